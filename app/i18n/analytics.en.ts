// English strings for the analytics pages (merged under "analytics." in app/i18n/index.ts).
export const analyticsEn = {
  title: "Analytics",
};

export type AnalyticsMessages = typeof analyticsEn;
