/**
 * The case format (format 1) and the standards catalog format, as zod schemas.
 *
 * The schemas check shape only (types, required and unknown fields, id patterns, ranges).
 * Everything that needs the whole file — links between nodes, locales per text, catalog codes —
 * lives in validate.ts, so that one broken node does not hide the other problems.
 */
import { z } from "zod";
import { FORMAT_LIMITS } from "./limits";

export const SUPPORTED_LOCALES = ["en", "fr"] as const;
export const NODE_KINDS = ["scene", "decision", "reflection", "outcome"] as const;

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
export const ITEM_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** `catalogId:code`, e.g. "coto-boundaries:2.1". */
export const ITEM_KEY_PATTERN = /^[a-z0-9][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const RELEASE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const localeSchema = z.enum(SUPPORTED_LOCALES).meta({ description: "A supported locale." });

// Partial on purpose: which locales a text needs depends on the file's `locales`, checked in validate.ts.
const localizedText = (maxLength: number) =>
  z
    .partialRecord(
      localeSchema,
      z
        .string()
        .min(1, "text must not be empty")
        .max(maxLength, `text must be at most ${maxLength.toLocaleString("en")} characters`),
    )
    .meta({
      description: 'Text in each of the file\'s locales, e.g. {"en": "…", "fr": "…"}.',
    });

export const localizedTextSchema = localizedText(FORMAT_LIMITS.textLength);
/** Titles are shown in lists, headings and certificates: shorter. */
export const localizedTitleSchema = localizedText(FORMAT_LIMITS.titleLength);

const tooLong = (what: string) => `${what} must be at most ${FORMAT_LIMITS.idLength} characters`;

const slug = (what: string) =>
  z.string().regex(SLUG_PATTERN, `${what} must be lowercase letters, digits and "-" (e.g. "my-${what}")`);

const nodeId = z
  .string()
  .max(FORMAT_LIMITS.idLength, tooLong("node ids"))
  .regex(NODE_ID_PATTERN, 'node ids use letters, digits, "_" and "-" only')
  .meta({ description: "The id of a node in `nodes`." });

export const effectSchema = z
  .strictObject({
    standard: z
      .string()
      .regex(ITEM_KEY_PATTERN, 'write the standard as "catalogId:code", e.g. "coto-boundaries:2.1"')
      .meta({ description: "The catalog item scored: `catalogId:code`." }),
    points: z
      .number()
      .int("points must be a whole number")
      .meta({ description: "Points earned for the item; negative for a breach." }),
  })
  .meta({ description: "Points a choice earns (or loses) against one standards item." });

export const choiceSchema = z
  .strictObject({
    id: z
      .string()
      .max(FORMAT_LIMITS.idLength, tooLong("choice ids"))
      .regex(NODE_ID_PATTERN, 'choice ids use letters, digits, "_" and "-" only')
      .meta({ description: "Unique within its decision; attempts record it." }),
    label: localizedTextSchema.meta({ description: "What the learner picks." }),
    feedback: localizedTextSchema.optional().meta({ description: "Shown after the choice." }),
    next: nodeId.meta({ description: "The node this choice leads to." }),
    effects: z
      .array(effectSchema)
      .max(FORMAT_LIMITS.effectsPerChoice, `a choice scores at most ${FORMAT_LIMITS.effectsPerChoice} standards`)
      .optional(),
    critical: z
      .boolean()
      .optional()
      .meta({ description: "A critical error: any path that takes it fails, whatever the score." }),
  })
  .meta({ description: "One option of a decision." });

const optionalTitle = localizedTitleSchema.optional();

/** An image's address: "sha256:" and the hex sha256 of the stored (re-encoded) image; see ADR 022. */
export const IMAGE_SRC_PATTERN = /^sha256:[0-9a-f]{64}$/;
/** Characters of an image's alt text: a sentence or two (a long description belongs in the body). */
export const IMAGE_ALT_LENGTH = 1_000;

const imageSrc = z
  .string()
  .regex(
    IMAGE_SRC_PATTERN,
    'an image src is "sha256:" and 64 hex digits, the address the studio answers when you upload the image',
  )
  .meta({ description: 'A stored image, "sha256:<hex>", as the studio\'s image upload answers it.' });

export const nodeImageSchema = z
  .strictObject({
    src: imageSrc,
    alt: localizedText(IMAGE_ALT_LENGTH).meta({
      description: "What the image shows, for who cannot see it; required in every locale of the case.",
    }),
    caption: localizedTitleSchema.optional().meta({ description: "Shown under the image." }),
    variants: z
      .partialRecord(localeSchema, imageSrc)
      .optional()
      .meta({ description: 'Another image per locale when the picture holds words, e.g. {"fr": "sha256:…"}.' }),
  })
  .meta({ description: "A picture shown with the node (a photo of the ward, a mock message)." });

export const sceneNodeSchema = z
  .strictObject({
    kind: z.literal("scene"),
    title: optionalTitle,
    body: localizedTextSchema.meta({ description: "Markdown." }),
    image: nodeImageSchema.optional(),
    next: nodeId,
  })
  .meta({ description: "Narrative the learner reads, then moves on." });

export const decisionNodeSchema = z
  .strictObject({
    kind: z.literal("decision"),
    title: optionalTitle,
    prompt: localizedTextSchema,
    image: nodeImageSchema.optional(),
    choices: z
      .array(choiceSchema)
      .max(
        FORMAT_LIMITS.choicesPerDecision,
        `a decision has at most ${FORMAT_LIMITS.choicesPerDecision} choices; split it into two decisions`,
      )
      .meta({ description: `At least two choices, at most ${FORMAT_LIMITS.choicesPerDecision}.` }),
  })
  .meta({ description: "The learner picks one of the choices." });

export const reflectionNodeSchema = z
  .strictObject({
    kind: z.literal("reflection"),
    title: optionalTitle,
    prompt: localizedTextSchema,
    next: nodeId,
  })
  .meta({ description: "A free-text reflection; not scored." });

export const outcomeNodeSchema = z
  .strictObject({
    kind: z.literal("outcome"),
    title: localizedTitleSchema,
    body: localizedTextSchema.meta({ description: "Markdown." }),
    image: nodeImageSchema.optional(),
  })
  .meta({ description: "An ending." });

export const caseNodeSchema = z.discriminatedUnion("kind", [
  sceneNodeSchema,
  decisionNodeSchema,
  reflectionNodeSchema,
  outcomeNodeSchema,
]);

export const caseFileSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Editor hint; ignored." }),
    format: z.literal(1).meta({ description: "Case file format version." }),
    slug: slug("slug").meta({ description: "Stable id of the case; the file is cases/<slug>.json." }),
    regulator: slug("regulator"),
    locales: z
      .array(localeSchema)
      .min(1, "list at least one locale")
      .meta({ description: "Every localized text must have each of these locales." }),
    title: localizedTitleSchema,
    summary: localizedTextSchema,
    profession: slug("profession"),
    release: z
      .string()
      .regex(RELEASE_PATTERN, 'release is a month written "YYYY-MM", e.g. "2021-05"')
      .meta({ description: "Month of publication, YYYY-MM." }),
    credit: z.strictObject({
      hours: z
        .number()
        .positive("credit hours must be more than 0")
        .refine((h) => Number.isInteger(h * 4), "credit hours go in steps of 0.25 (e.g. 0.5, 0.75, 1)")
        .meta({ description: "Positive, in steps of 0.25." }),
      category: slug("category").meta({ description: 'e.g. "ethics".' }),
    }),
    passMark: z
      .number()
      .min(0, "passMark is a fraction from 0 to 1 (e.g. 0.7 for 70%)")
      .max(1, "passMark is a fraction from 0 to 1 (e.g. 0.7 for 70%)")
      .meta({ description: "Fraction of the best achievable score needed to pass, 0..1." }),
    maxAttempts: z
      .number()
      .int("maxAttempts must be a whole number")
      .positive("maxAttempts must be at least 1 (leave it out for unlimited attempts)")
      .optional()
      .meta({ description: "Leave out for unlimited attempts." }),
    standards: z
      .array(slug("catalog id"))
      .max(FORMAT_LIMITS.standards, `a case scores against at most ${FORMAT_LIMITS.standards} catalogs`)
      .meta({ description: "Ids of the standards catalogs the case scores against." }),
    start: nodeId.meta({ description: "The first node." }),
    nodes: z.record(nodeId, caseNodeSchema).meta({ description: "The case graph, by node id." }),
  })
  .meta({ title: "Vignette case", description: "A Vignette case file (format 1)." });

export type CatalogItem = {
  code: string;
  title: LocalizedText;
  text?: LocalizedText | undefined;
  items?: CatalogItem[] | undefined;
};

export const catalogItemSchema: z.ZodType<CatalogItem> = z
  .strictObject({
    code: z
      .string()
      .max(FORMAT_LIMITS.idLength, tooLong("codes"))
      .regex(ITEM_CODE_PATTERN, 'codes use letters, digits, ".", "_" and "-" (e.g. "2.1")')
      .meta({ description: "Unique within the catalog; effects reference `catalogId:code`." }),
    title: localizedTitleSchema,
    text: localizedTextSchema.optional(),
    get items() {
      return z.array(catalogItemSchema).optional();
    },
  })
  .meta({ description: "A standard, expectation or indicator; nests to any depth." });

export const catalogSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Editor hint; ignored." }),
    format: z.literal(1),
    id: slug("catalog id"),
    regulator: slug("regulator"),
    version: z.string().min(1, "version must not be empty").max(FORMAT_LIMITS.idLength, tooLong("version")),
    effective: z
      .string()
      .regex(DATE_PATTERN, 'effective is a date written "YYYY-MM-DD"')
      .meta({ description: "Date the standards took effect, YYYY-MM-DD." }),
    locales: z
      .array(localeSchema)
      .min(1, "list at least one locale")
      .default(["en", "fr"])
      .meta({ description: 'Locales every text must have; defaults to ["en", "fr"].' }),
    title: localizedTitleSchema,
    // Shown to learners as a link: https only (a javascript: or data: URL would run or hide content).
    url: z
      .url('url must be a full URL, e.g. "https://…"')
      .regex(/^https:\/\//, 'url must be an https:// address, e.g. "https://www.example.org/standards"')
      .optional()
      .meta({ description: "The official text of the standards, an https:// address." }),
    items: z.array(catalogItemSchema),
  })
  .meta({ title: "Vignette standards catalog", description: "A regulator's standards (format 1)." });

/** An IANA time zone the platform's Intl knows, e.g. "America/Toronto". Pure: no I/O. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return value.includes("/") || value === "UTC";
  } catch {
    return false;
  }
}

/** A regular expression that compiles and is short enough to read. */
function isPattern(value: string): boolean {
  try {
    new RegExp(value, "u");
    return true;
  } catch {
    return false;
  }
}

/** WCAG contrast of a #rrggbb colour against white: at least 4.5:1, so it may colour text. */
export function readableOnWhite(hex: string): boolean {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) return true; // the pattern's own message says what is wrong
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05) >= 4.5;
}

const shortText = (max: number) =>
  z.partialRecord(
    localeSchema,
    z.string().min(1, "text must not be empty").max(max, `text must be at most ${max} characters`),
  );

export const regulatorProfileSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Editor hint; ignored." }),
    format: z.literal(1).meta({ description: "Regulator profile format version." }),
    id: slug("regulator").meta({
      description: "The id cases and catalogs name in `regulator`; the file is cases/regulators/<id>.json.",
    }),
    name: localizedTitleSchema.meta({ description: "Full name, in every locale (certificates, pages, emails)." }),
    shortName: shortText(40).optional().meta({ description: 'Abbreviation, e.g. {"en": "COTO", "fr": "OEO"}.' }),
    timeZone: z
      .string()
      .refine(isTimeZone, 'timeZone is an IANA time zone such as "America/Toronto" or "America/Vancouver"')
      .meta({ description: "Dates are shown, and calendar days cut, on this clock." }),
    logo: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
        'logo is the name of an image file beside the profile, e.g. "coto.png" (no folders)',
      )
      .optional()
      .meta({ description: "A PNG or JPEG beside the profile (at most 512 KiB and 2000 px a side), on certificates." }),
    colour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'colour is written "#rrggbb", e.g. "#17546b"')
      .refine(readableOnWhite, "colour must be dark enough to read on white (a contrast of 4.5:1 or more)")
      .optional()
      .meta({ description: "Accent colour of the certificate (heading and frame), #rrggbb, readable on white." }),
    contact: z
      .strictObject({
        email: z.email("contact email must be an email address").optional(),
        url: z
          .url('contact url must be a full URL, e.g. "https://…"')
          .refine((u) => u.startsWith("https://"), "contact url must start with https://")
          .optional(),
      })
      .optional()
      .meta({ description: "Shown to learners as the CE provider's contact." }),
    registration: z
      .strictObject({
        label: shortText(80).optional().meta({ description: 'What the number is called, e.g. "Registration number".' }),
        pattern: z
          .string()
          .max(200, "pattern must be at most 200 characters")
          .refine(isPattern, "pattern must be a valid regular expression")
          .optional()
          .meta({ description: "A whole registration number must match it (anchored)." }),
      })
      .optional(),
    ce: z
      .strictObject({
        cycleYears: z.number().int("cycleYears must be a whole number").min(1).max(10).default(1),
        requiredHours: z
          .number()
          .min(0, "requiredHours must be 0 or more")
          .max(1000)
          .refine((h) => Number.isInteger(h * 4), "requiredHours go in steps of 0.25")
          .default(0),
        cycleStart: z
          .string()
          .regex(
            /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
            'cycleStart is a month and day written "MM-DD", e.g. "04-01"',
          )
          .default("01-01"),
      })
      .optional()
      .meta({ description: "The continuing-education cycle the regulator's QA program checks." }),
    certificate: z
      .strictObject({
        statement: localizedTextSchema.optional().meta({ description: "Printed on every certificate." }),
        signatory: z.strictObject({ name: z.string().min(1).max(120), title: shortText(120).optional() }).optional(),
      })
      .optional(),
    retentionYears: z
      .number()
      .int("retentionYears must be a whole number")
      .min(1)
      .max(100)
      .default(6)
      .meta({ description: "How long completion records are kept after the completion (default 6)." }),
  })
  .meta({ title: "Vignette regulator profile", description: "A regulator on this deployment (format 1)." });

export type Locale = z.infer<typeof localeSchema>;
export type LocalizedText = Partial<Record<Locale, string>>;
export type Effect = z.infer<typeof effectSchema>;
export type Choice = z.infer<typeof choiceSchema>;
export type SceneNode = z.infer<typeof sceneNodeSchema>;
export type DecisionNode = z.infer<typeof decisionNodeSchema>;
export type ReflectionNode = z.infer<typeof reflectionNodeSchema>;
export type OutcomeNode = z.infer<typeof outcomeNodeSchema>;
export type CaseNode = z.infer<typeof caseNodeSchema>;
export type NodeImage = z.infer<typeof nodeImageSchema>;
export type NodeKind = CaseNode["kind"];
export type CaseFile = z.infer<typeof caseFileSchema>;
export type Catalog = z.infer<typeof catalogSchema>;
export type RegulatorProfile = z.infer<typeof regulatorProfileSchema>;

// JSON Schema for editors. "input" so fields with defaults (catalog locales) are not required.
export function caseJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(caseFileSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
}

export function catalogJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(catalogSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
}

export function regulatorJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(regulatorProfileSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
}
