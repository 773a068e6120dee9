// Chaînes françaises des pages studio (mêmes clés que studio.en.ts).
import type { StudioMessages } from "./studio.en";

export const studioFr: StudioMessages = {
  title: "Studio",
};
