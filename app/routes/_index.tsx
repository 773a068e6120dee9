import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Vignette" }];

export async function loader() {
  const cases = await getDb().case.findMany({ orderBy: { slug: "asc" }, select: { slug: true } });
  return { cases };
}

export default function Index() {
  const { cases } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>Vignette</h1>
      <ul>
        {cases.map((c) => (
          <li key={c.slug}>{c.slug}</li>
        ))}
      </ul>
    </main>
  );
}
