// Node options for the production server, shared by `npm start` and the benchmark so both run it
// the same way. V8 sizes its heap from the machine's memory (here 24 GB) and lets it grow far past
// what the app keeps alive (50–120 MB); these caps keep resident memory near what is really used.
export const SERVER_NODE_FLAGS = ["--max-old-space-size=160", "--max-semi-space-size=4"];
