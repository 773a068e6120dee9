import type { LinksFunction } from "@remix-run/node";

/** Every studio route loads the studio stylesheet beside the site's own. */
export const studioLinks: LinksFunction = () => [{ rel: "stylesheet", href: "/studio.css" }];
