// Chaînes françaises des pages analytics (mêmes clés que analytics.en.ts).
import type { AnalyticsMessages } from "./analytics.en";

export const analyticsFr: AnalyticsMessages = {
  title: "Analyses",
  intro:
    "Les résultats des personnes apprenantes pour chaque version d’un cas, à l’intention des auteurs et des administrateurs. Les chiffres sont agrégés : aucune personne n’est nommée, aucune réflexion n’est affichée et aucun chiffre décrivant moins de 5 personnes n’est montré.",
  list: {
    caption: "Versions de cas et leurs tentatives",
    empty: "Aucune version de cas n’a encore été publiée.",
    case: "Cas",
    version: "Version",
    status: "Statut",
    release: "Parution",
    started: "Commencées",
    completed: "Terminées",
    passed: "Réussies",
    versionLink: "Version {{version}}",
    versionLinkLabel: "Analyses de {{title}}, version {{version}}",
  },
  status: {
    published: "Publiée",
    scheduled: "Programmée",
    retired: "Retirée",
    other: "Non publiée",
  },
  version: {
    title: "Analyses : {{title}}",
    meta: "Version {{version}} · {{status}} · parution {{release}}",
    back: "Toutes les versions de cas",
  },
  filters: {
    legend: "Filtrer les tentatives",
    from: "Commencées le ou après le",
    to: "Commencées le ou avant le",
    dateHint: "Selon le jour où la tentative a commencé (UTC). Laissez vide pour ne pas limiter.",
    cohort: "Cohorte",
    allCohorts: "Toutes les personnes apprenantes",
    cohortOption_one: "{{name}} ({{count}} membre)",
    cohortOption_other: "{{name}} ({{count}} membres)",
    apply: "Appliquer les filtres",
    clear: "Effacer les filtres",
    invalidDates: "Entrez des dates valides (AAAA-MM-JJ), la première au plus tard à la seconde.",
    unknownCohort: "Choisissez une cohorte dans la liste.",
  },
  suppressed:
    "Moins de {{threshold}} personnes correspondent à ces filtres : les chiffres sont masqués pour protéger leur vie privée. Élargissez les filtres pour les voir.",
  partlyHidden:
    "Certains chiffres ci-dessous décrivent moins de {{threshold}} personnes et sont masqués pour protéger leur vie privée (« masqué »), avec un chiffre voisin qui permettrait de les retrouver.",
  hiddenCell: "masqué",
  funnel: {
    heading: "Entonnoir",
    caption: "Tentatives commencées, terminées et réussies",
    stage: "Étape",
    attempts: "Tentatives",
    share: "Part des commencées",
    chart: "Graphique",
    learners: "Personnes apprenantes",
    started: "Commencées",
    completed: "Terminées",
    passed: "Réussies",
    learnersCount_one: "{{count}} personne a fait ces tentatives.",
    learnersCount_other: "{{count}} personnes ont fait ces tentatives.",
    meanScore: "Note moyenne des tentatives terminées",
    medianTime: "Durée médiane de travail",
    none: "—",
    medianTimeNote:
      "Sur les tentatives terminées : temps actif entre le début et chaque étape, une pause de plus de 30 minutes comptant pour 30 minutes (la même mesure que sur les attestations de réussite).",
  },
  choices: {
    heading: "Où les praticiens se trompent",
    intro:
      "Pour chaque décision, comment les personnes ont choisi : toutes les réponses enregistrées, des tentatives en cours comme terminées. Le choix de l’expert est marqué « ★ Choix de l’expert » ; un choix critique, qui fait échouer la tentative quelle que soit la note, est marqué « ⚠ Critique ».",
    decision: "Décision {{number}}",
    caption: "Réponses à la décision {{number}}",
    responses_one: "{{count}} réponse.",
    responses_other: "{{count}} réponses.",
    responsesHidden: "Moins de {{threshold}} personnes ont répondu ici : les réponses sont masquées.",
    expertShare: "{{percent}} ont choisi comme l’expert.",
    offPath:
      "Le parcours de l’expert ne passe pas par cette décision : le choix marqué est la meilleure suite à partir d’ici.",
    choice: "Choix",
    count: "Réponses",
    share: "Part",
    chart: "Graphique",
    expert: "Choix de l’expert",
    bestFromHere: "Meilleur choix à partir d’ici",
    critical: "Critique",
  },
  standards: {
    heading: "Normes, de la plus faible à la plus forte",
    intro_one:
      "Points obtenus en moyenne par tentative terminée ({{count}} tentative), comparés au maximum qu’un parcours peut obtenir pour la clause. Le parcours de chaque tentative est noté par le moteur de cas. La plus faible part du maximum en premier.",
    intro_other:
      "Points obtenus en moyenne par tentative terminée ({{count}} tentatives), comparés au maximum qu’un parcours peut obtenir pour la clause. Le parcours de chaque tentative est noté par le moteur de cas. La plus faible part du maximum en premier.",
    caption: "Moyenne obtenue comparée au maximum, par norme",
    clause: "Clause",
    mean: "Moyenne obtenue",
    best: "Maximum",
    ratio: "Moyenne / maximum",
    firstIntro_one:
      "Les deux dernières colonnes comptent chaque apprenant une seule fois, par sa première tentative terminée ({{count}} apprenant), pour que les reprises ne pèsent pas davantage.",
    firstIntro_other:
      "Les deux dernières colonnes comptent chaque apprenant une seule fois, par sa première tentative terminée ({{count}} apprenants), pour que les reprises ne pèsent pas davantage.",
    introHidden:
      "Points obtenus en moyenne par tentative terminée, comparés au maximum qu’un parcours peut obtenir pour la clause. Le parcours de chaque tentative est noté par le moteur de cas. La plus faible part du maximum en premier.",
    firstIntroHidden:
      "Les deux dernières colonnes comptent chaque apprenant une seule fois, par sa première tentative terminée, pour que les reprises ne pèsent pas davantage.",
    firstMean: "Moyenne, premières tentatives",
    firstRatio: "Premières tentatives / maximum",
    chart: "Graphique",
    none: "Aucune tentative terminée ne correspond encore à ces filtres.",
  },
  csv: "Télécharger ces données agrégées (CSV)",
  csvNote:
    "Le fichier contient les mêmes données agrégées que cette page, avec les filtres utilisés : aucun nom, aucune réflexion.",
};
