/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single Fetch is on (remix.config.js): this gives loaders and actions its return types.
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}
export {};
