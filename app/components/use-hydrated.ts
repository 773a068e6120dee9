// Whether the page runs with JavaScript: false while rendering on the server and while hydrating
// (so the first client render matches the server's HTML), true after.
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
