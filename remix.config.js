/**
 * Remix classic compiler configuration (the customer's choice; see docs/decisions/001-stack-and-layout.md).
 * Every v3 future flag the classic compiler supports is on; v3_routeConfig is Vite-only.
 * @type {import('@remix-run/dev').AppConfig}
 */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  serverDependenciesToBundle: [],
  // A draft's graph, preview and translations pages are a version's, read from other params: one
  // module each, mounted at both paths (the file convention gives the version's path).
  routes: (defineRoutes) =>
    defineRoutes((route) => {
      for (const page of ["graph", "preview", "translations"]) {
        route(`studio/drafts/:draftId/${page}`, `routes/studio.cases.$slug.versions.$version.${page}.tsx`, {
          id: `routes/studio.drafts.$draftId.${page}`,
        });
      }
    }),
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
};
