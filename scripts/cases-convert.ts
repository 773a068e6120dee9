import fs from "node:fs";
import path from "node:path";
import { formatDiagnostic, hasErrors, SUPPORTED_LOCALES, type Locale } from "~/engine";
import { convertCase, type ConvertWarning } from "~/engine/convert";
import { displayPath, UsageError } from "~/utils/case-files.server";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";

const usage = `Usage: npm run cases:convert -- INPUT --out cases/<slug>.json [options]

Converts an H5P Branching Scenario (.h5p), a published Twine 2 story (.html) or a Twee 3 story
(.twee, .tw) into a Vignette case file. Prints every warning with where it was in the source
(H5P: content index and content.json pointer; Twine: passage and line), then what is left to
fill in before the case validates (cases:check says the same). See docs/authoring.md.

  --out FILE         the case file to write (required); never overwritten without --force
  --locale L         the source's language when it does not say (${SUPPORTED_LOCALES.join(", ")}; default en)
  --locales L,L      the case's locales (default: the source's); the other texts are left to write
  --regulator ID     the case's regulator (default: a placeholder to replace)
  --slug SLUG        the case's slug (default: made from the story's title)
  --force            overwrite --out if it exists
  --help             this text

Exit codes: 0 written (warnings and things left to fill in allowed), 1 not converted, 2 usage.`;

function locale(value: string, option: string): Locale {
  if (!(SUPPORTED_LOCALES as readonly string[]).includes(value)) {
    throw new UsageError(`${option} "${value}" is not a supported locale (${SUPPORTED_LOCALES.join(", ")})`);
  }
  return value as Locale;
}

const formatWarning = (input: string, w: ConvertWarning) => `${input}: ${w.where}: ${w.kind}: ${w.message}`;

runCli(
  usage,
  {
    out: { type: "string" },
    locale: { type: "string" },
    locales: { type: "string" },
    regulator: { type: "string" },
    slug: { type: "string" },
    force: { type: "boolean" },
  },
  ({ values, positionals }) => {
    if (positionals.length !== 1) throw new UsageError("give exactly one INPUT file");
    if (!values.out) throw new UsageError("--out FILE is required");
    const input = path.resolve(positionals[0]!);
    const out = path.resolve(values.out);
    if (!fs.existsSync(input) || !fs.statSync(input).isFile()) throw new UsageError(`no file ${displayPath(input)}`);
    if (fs.existsSync(out) && !values.force) {
      console.error(`${displayPath(out)} exists; nothing was written (add --force to overwrite it)`);
      return EXIT_CONTENT;
    }
    const result = convertCase(
      { name: path.basename(input), bytes: new Uint8Array(fs.readFileSync(input)) },
      {
        ...(values.locale ? { locale: locale(values.locale, "--locale") } : {}),
        ...(values.locales ? { locales: values.locales.split(",").map((l) => locale(l.trim(), "--locales")) } : {}),
        ...(values.regulator ? { regulator: values.regulator } : {}),
        ...(values.slug ? { slug: values.slug } : {}),
      },
    );
    const shownInput = displayPath(input);
    if (!result.ok) {
      console.error(`${shownInput}: ${result.message}`);
      return EXIT_CONTENT;
    }
    const { source, warnings, diagnostics, slug } = result.value;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, source);
    const shownOut = displayPath(out);
    // A placeholder's "where" is a pointer into the written file; everything else is in the source.
    for (const w of warnings) console.error(formatWarning(w.kind === "to-fill" ? shownOut : shownInput, w));
    for (const d of diagnostics) console.error(formatDiagnostic({ ...d, file: shownOut }));
    if (path.basename(out) !== `${slug}.json`) {
      console.error(`${shownOut}: warning: the file of slug "${slug}" must be named ${slug}.json for cases:check`);
    }
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    console.log(
      `Wrote ${shownOut} from ${shownInput}: ${warnings.length} warning(s) about what was not carried over; ${
        hasErrors(diagnostics)
          ? `${errors} thing(s) left to fill in before it validates (listed above).`
          : "it validates."
      }`,
    );
    return EXIT_OK;
  },
);
