// Chaînes françaises des pages educator (mêmes clés que educator.en.ts).
import type { EducatorMessages } from "./educator.en";

export const educatorFr: EducatorMessages = {
  title: "Educator",
};
