import type { LoaderFunctionArgs } from "@remix-run/node";
import { findRegulatorLogo } from "~/models/regulator.server";
import { notFound } from "~/utils/http.server";

// A regulator's logo, public (certificates are verified by anyone), from the database: the image
// was checked and stored at import, so nothing here reads content files. The URL names the image's
// sha256, so its content never changes: browsers and proxies may keep it for a year.
export async function loader({ params }: LoaderFunctionArgs) {
  const hash = params.hash ?? "";
  const logo = /^[0-9a-f]{64}$/.test(hash) ? await findRegulatorLogo(params.id ?? "", hash) : null;
  if (!logo) throw notFound();
  return new Response(Buffer.from(logo.bytes), {
    headers: {
      "Content-Type": logo.type,
      "Content-Length": String(logo.bytes.length),
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: `"${logo.hash}"`,
      // X-Content-Type-Options: nosniff comes with every response (scripts/serve.js).
      // Opened on its own, the image runs nothing and embeds nothing.
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
    },
  });
}
