// English strings for the studio pages (merged under "studio." in app/i18n/index.ts).
export const studioEn = {
  title: "Studio",
};

export type StudioMessages = typeof studioEn;
