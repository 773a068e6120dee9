// Chaînes françaises des pages de profils des ordres (fusionnées sous « regulators. » dans app/i18n/index.ts).
import type { RegulatorsMessages } from "./regulators.en";

export const regulatorsFr: RegulatorsMessages = {
  nav: "Ordres",
  title: "Ordres professionnels",
  intro:
    "Le profil de chaque ordre fixe son nom, son logo et sa couleur, son fuseau horaire, la forme de ses numéros d’inscription, son cycle de formation continue et le texte de ses certificats. Une nouvelle version est publiée quand un second administrateur de l’ordre l’approuve.",
  columns: {
    regulator: "Ordre",
    timeZone: "Fuseau horaire",
    version: "Version actuelle",
    pending: "En attente d’approbation",
  },
  versionShort: "Version {{version}}",
  pendingYes: "Une nouvelle version attend",
  none: "Aucun ordre de votre périmètre n’a encore de profil.",
  profileTitle: "Profil de {{name}}",
  current: "Version {{version}}, publiée le {{date}} par {{name}}.",
  currentCli: "Version {{version}}, publiée le {{date}} en ligne de commande.",
  fields: {
    id: "Identifiant",
    name: "Nom",
    shortName: "Sigle",
    timeZone: "Fuseau horaire",
    colour: "Couleur",
    logo: "Logo",
    contact: "Contact",
    registration: "Numéro d’inscription",
    ce: "Cycle de formation continue",
    ceValue: "{{hours}} h tous les {{years}} an(s), à partir du {{start}}",
    retention: "Conservation des dossiers",
    retentionValue: "{{years}} ans après chaque réussite",
    none: "—",
  },
  logoAlt: "Logo de {{name}}",
  versions: "Versions",
  download: "Télécharger le fichier",
  upload: {
    heading: "Proposer une nouvelle version",
    addHeading: "Ajouter un ordre",
    addHint:
      "Réservé aux opérateurs : téléversez le profil d’un ordre que ce déploiement ne sert pas encore. Un autre opérateur l’approuve.",
    intro:
      "Téléchargez le fichier actuel, modifiez-le et téléversez-le ici. La nouvelle version est publiée quand un autre administrateur de cet ordre l’approuve.",
    profileLabel: "Profil (.json)",
    profileHint: "Le fichier de profil de l’ordre, comme dans cases/regulators/. {{size}} Mo au plus.",
    logoLabel: "Logo (facultatif)",
    logoHint:
      "PNG ou JPEG, 512 Kio et 2000 px de côté au plus. Laissez vide pour garder le logo actuel ; le champ `logo` du profil nomme le fichier.",
    submit: "Demander l’approbation",
    invalid: "Le profil contient des erreurs et n’a pas été conservé. Corrigez-les et téléversez-le de nouveau.",
    requested: "Version demandée : elle est publiée quand un autre administrateur de {{id}} l’approuve.",
    logoNotImage: "Le logo doit être une image PNG ou JPEG.",
  },
  pending: {
    heading: "Ce que change la version en attente",
    field: "Champ",
    before: "Actuel",
    after: "Proposé",
    noFields: "Aucun champ ne change.",
    logo: {
      same: "Le logo reste le même.",
      new: "Une nouvelle image de logo.",
      removed: "Le logo est retiré.",
      none: "Aucun logo.",
    },
    broken: "La version en attente n’est plus valide ; renvoyez-la.",
  },
};
