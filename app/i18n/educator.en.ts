// English strings for the educator pages (merged under "educator." in app/i18n/index.ts).
export const educatorEn = {
  title: "Educator",
};

export type EducatorMessages = typeof educatorEn;
