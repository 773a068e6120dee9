// Chaînes françaises des pages analytics (mêmes clés que analytics.en.ts).
import type { AnalyticsMessages } from "./analytics.en";

export const analyticsFr: AnalyticsMessages = {
  title: "Analytics",
};
