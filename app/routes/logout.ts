import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { destroySession, getCurrentSession } from "~/utils/session.server";

export async function action({ request }: ActionFunctionArgs) {
  const session = await getCurrentSession(request);
  if (!session) return redirect("/");
  assertCsrf(request, await readForm(request), session);
  return destroySession(request, "/");
}

export async function loader() {
  return redirect("/");
}
