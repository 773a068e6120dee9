// extwee ships declarations (types/) but does not point to them from its package.json; the tests
// compare this module's parsers with extwee's, and need only this much of its API.
declare module "extwee" {
  type Passage = { name: string; tags: string[]; text: string };
  type Story = { name: string; start: string; format: string; passages: Passage[] };
  export function parseTwine2HTML(content: string): Story;
  export function parseTwee(content: string): Story;
}
