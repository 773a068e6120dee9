// English strings for the analytics pages (merged under "analytics." in app/i18n/index.ts).
export const analyticsEn = {
  title: "Analytics",
  intro:
    "How learners did on each case version, for authors and administrators. Figures are aggregates: no learner is named, no reflection is shown, and no figure describing fewer than 5 learners is shown.",
  list: {
    caption: "Case versions with their attempts",
    empty: "No case version has been published yet.",
    case: "Case",
    version: "Version",
    status: "Status",
    release: "Release",
    started: "Started",
    completed: "Completed",
    passed: "Passed",
    versionLink: "Version {{version}}",
    versionLinkLabel: "Analytics for {{title}}, version {{version}}",
  },
  status: {
    published: "Published",
    scheduled: "Scheduled",
    retired: "Retired",
    other: "Not published",
  },
  version: {
    title: "Analytics: {{title}}",
    meta: "Version {{version}} · {{status}} · released {{release}}",
    back: "All case versions",
  },
  filters: {
    legend: "Filter attempts",
    from: "Started on or after",
    to: "Started on or before",
    dateHint: "By the day the attempt was started (UTC). Leave empty for no limit.",
    cohort: "Cohort",
    allCohorts: "All learners",
    cohortOption_one: "{{name}} ({{count}} member)",
    cohortOption_other: "{{name}} ({{count}} members)",
    apply: "Apply filters",
    clear: "Clear filters",
    invalidDates: "Enter valid dates (YYYY-MM-DD), the first no later than the second.",
    unknownCohort: "Choose a cohort from the list.",
  },
  suppressed:
    "Fewer than {{threshold}} learners match these filters: the figures are hidden to protect their privacy. Widen the filters to see them.",
  partlyHidden:
    "Some figures below describe fewer than {{threshold}} learners and are hidden to protect their privacy (“hidden”), together with one figure beside them from which they could be worked out.",
  hiddenCell: "hidden",
  funnel: {
    heading: "Funnel",
    caption: "Attempts started, completed and passed",
    stage: "Stage",
    attempts: "Attempts",
    share: "Share of started",
    chart: "Chart",
    learners: "Learners",
    started: "Started",
    completed: "Completed",
    passed: "Passed",
    learnersCount_one: "{{count}} learner made these attempts.",
    learnersCount_other: "{{count}} learners made these attempts.",
    meanScore: "Mean score of completed attempts",
    medianTime: "Median time on task",
    none: "—",
    medianTimeNote:
      "Over completed attempts: active time from the start to each step, a pause longer than 30 minutes counting as 30 minutes (the same measure as on completion records).",
  },
  choices: {
    heading: "Where practitioners go wrong",
    intro:
      "For each decision, how learners chose: every recorded answer, from attempts in progress and completed. The expert's choice is marked “★ Expert choice”; a critical choice, which fails an attempt whatever the score, is marked “⚠ Critical”.",
    decision: "Decision {{number}}",
    caption: "Answers at decision {{number}}",
    responses_one: "{{count}} answer.",
    responses_other: "{{count}} answers.",
    responsesHidden: "Fewer than {{threshold}} learners answered here: the answers are hidden.",
    expertShare: "{{percent}} chose as the expert would.",
    offPath: "The expert path does not pass through this decision: the marked choice is the best way on from here.",
    choice: "Choice",
    count: "Answers",
    share: "Share",
    chart: "Chart",
    expert: "Expert choice",
    bestFromHere: "Best choice from here",
    critical: "Critical",
  },
  standards: {
    heading: "Standards, weakest first",
    intro_one:
      "Mean points earned per completed attempt ({{count}} attempt), against the best a path can earn for the clause. Each attempt's path is scored by the case engine. Lowest share of the best first.",
    intro_other:
      "Mean points earned per completed attempt ({{count}} attempts), against the best a path can earn for the clause. Each attempt's path is scored by the case engine. Lowest share of the best first.",
    caption: "Mean earned against best, per standard",
    clause: "Clause",
    mean: "Mean earned",
    best: "Best",
    ratio: "Mean / best",
    firstIntro_one:
      "The last two columns count each learner once, by their first completed attempt ({{count}} learner), so that replays do not weigh more.",
    firstIntro_other:
      "The last two columns count each learner once, by their first completed attempt ({{count}} learners), so that replays do not weigh more.",
    introHidden:
      "Mean points earned per completed attempt, against the best a path can earn for the clause. Each attempt's path is scored by the case engine. Lowest share of the best first.",
    firstIntroHidden:
      "The last two columns count each learner once, by their first completed attempt, so that replays do not weigh more.",
    firstMean: "Mean, first attempts",
    firstRatio: "First attempts / best",
    chart: "Chart",
    none: "No completed attempt matches these filters yet.",
  },
  csv: "Download these aggregates (CSV)",
  csvNote: "The file holds the same aggregates as this page, with the filters used: no learner names, no reflections.",
};

export type AnalyticsMessages = typeof analyticsEn;
