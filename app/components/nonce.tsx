import { createContext, useContext } from "react";

// The per-request CSP nonce, provided by entry.server.tsx; empty in the browser, where the
// attribute is hidden from scripts anyway.
export const NonceContext = createContext("");
export const useNonce = () => useContext(NonceContext);
