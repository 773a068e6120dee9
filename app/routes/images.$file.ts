import type { LoaderFunctionArgs } from "@remix-run/node";
import { findServedImage } from "~/models/case-image.server";
import { notFound } from "~/utils/http.server";
import { hasRole, regulatorScope } from "~/utils/roles";
import { getCurrentSession } from "~/utils/session.server";

// A case's image, /images/<sha256>.webp, from the database (ADR 022). The name is the hash of the
// bytes, so its content never changes: once a published case names it, anyone's browser and any
// proxy may keep it for a year. Before that only the regulator's staff see it, and only their own
// browser may keep it. Unknown and not-yours are the same 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const match = /^([0-9a-f]{64})\.webp$/.exec(params.file ?? "");
  if (!match) throw notFound();
  const hash = match[1]!;
  const session = await getCurrentSession(request);
  const staff =
    session && hasRole(session.user, "author", "reviewer") ? regulatorScope(session.user, "author", "reviewer") : null;
  const image = await findServedImage(hash, staff);
  if (!image) throw notFound();
  const etag = `"${image.hash}"`;
  const headers = {
    "Content-Type": image.mime,
    "Cache-Control": image.public ? "public, max-age=31536000, immutable" : "private, max-age=31536000, immutable",
    ETag: etag,
    // X-Content-Type-Options: nosniff comes with every response (scripts/serve.js).
    // Opened on its own, the image runs nothing and embeds nothing.
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
  };
  const sent = request.headers.get("If-None-Match");
  if (sent && sent.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(Buffer.from(image.bytes), {
    headers: { ...headers, "Content-Length": String(image.bytes.length) },
  });
}
