// Node options for the production server, shared by `npm start` and the benchmark so both run it
// the same way. V8 sizes its heap from the machine's memory (here 24 GB) and lets it grow far past
// what the app keeps alive (50–120 MB); these caps keep resident memory near what is really used.
// --liftoff-only keeps Prisma's query compiler (WebAssembly) as baseline code, never compiled a
// second time by the optimizing tier: about 70 MB less at peak, no measurable slowdown (ADR 028).
export const SERVER_NODE_FLAGS = ["--max-old-space-size=160", "--max-semi-space-size=4", "--liftoff-only"];
