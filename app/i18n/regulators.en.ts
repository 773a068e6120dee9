// English strings for the admin area's regulator profile pages (merged under "regulators." in app/i18n/index.ts).
export const regulatorsEn = {
  nav: "Regulators",
  title: "Regulators",
  intro:
    "Each regulator's profile sets its name, logo and colour, its clock, the form of its registration numbers, its continuing-education cycle and what its certificates say. A new version is published once a second admin of the regulator approves it.",
  columns: {
    regulator: "Regulator",
    timeZone: "Time zone",
    version: "Current version",
    pending: "Waiting for approval",
  },
  versionShort: "Version {{version}}",
  pendingYes: "A new version waits",
  none: "No regulator in your scope has a profile yet.",
  profileTitle: "Profile of {{name}}",
  current: "Version {{version}}, published on {{date}} by {{name}}.",
  currentCli: "Version {{version}}, published on {{date}} from the command line.",
  fields: {
    id: "Id",
    name: "Name",
    shortName: "Short name",
    timeZone: "Time zone",
    colour: "Colour",
    logo: "Logo",
    contact: "Contact",
    registration: "Registration number",
    ce: "Continuing-education cycle",
    ceValue: "{{hours}} h every {{years}} year(s), from {{start}}",
    retention: "Records kept",
    retentionValue: "{{years}} years after each completion",
    none: "—",
  },
  logoAlt: "Logo of {{name}}",
  versions: "Versions",
  download: "Download the file",
  upload: {
    heading: "Propose a new version",
    addHeading: "Add a regulator",
    addHint:
      "Operators only: upload the profile of a regulator this deployment does not serve yet. Another operator approves it.",
    intro:
      "Download the current file, change it, and upload it here. The new version is published when another admin of this regulator approves it.",
    profileLabel: "Profile (.json)",
    profileHint: "The regulator's profile file, as in cases/regulators/. At most {{size}} MB.",
    logoLabel: "Logo image (optional)",
    logoHint:
      "PNG or JPEG, at most 512 KiB and 2000 px a side. Leave it empty to keep the current logo; the profile's `logo` names the file.",
    submit: "Ask for approval",
    invalid: "The profile has errors and was not kept. Fix them and upload it again.",
    requested: "Version asked for: it is published once another admin of {{id}} approves it.",
    logoNotImage: "The logo must be a PNG or JPEG image.",
  },
  pending: {
    heading: "What the waiting version changes",
    field: "Field",
    before: "Now",
    after: "Proposed",
    noFields: "No field changes.",
    logo: {
      same: "The logo stays the same.",
      new: "A new logo image.",
      removed: "The logo is removed.",
      none: "No logo.",
    },
    broken: "The waiting version no longer validates; send it back.",
  },
};

export type RegulatorsMessages = typeof regulatorsEn;
