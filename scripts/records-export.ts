import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isLocale, translator } from "../app/i18n";
import { qaReport, recordExport, resolveCycle } from "../app/models/qa-report.server";
import { getRegulator, listRegulators } from "../app/models/regulator.server";
import { UsageError } from "../app/utils/case-files.server";
import { getDb } from "../app/utils/db.server";
import { getEnv } from "../app/utils/env.server";
import { renderQaExport } from "../app/utils/qa-export.server";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";
import { unmigratedReason } from "./lib/database";

const usage = `Usage: npm run records:export -- --regulator ID [--cycle START] [--format csv|xlsx|json]
       [--kind registrants|completions] [--status all|meets|short] [--search TEXT] [--locale en|fr] [--out FILE]

Exports a regulator's QA report for one CE cycle, the same files as the /registrar page's downloads:
"registrants" (default) is one row per registrant with the hours that count in the cycle, the cases
passed and whether they meet the required hours; "completions" is one CE record per completion in
the cycle (learner, provider, activity, credit, date and time zone, score, attempt, certificate).

  --regulator ID    the regulator's id (cases/regulators/<id>.json)
  --cycle START     the cycle's first day, YYYY-MM-DD (default: the cycle running now, on the
                    regulator's clock)
  --format FORMAT   csv (default), xlsx or json
  --kind KIND       registrants (default) or completions
  --status STATUS   all (default), meets or short
  --search TEXT     only registrants whose name or registration number contains TEXT
  --locale LOCALE   language of the headers and activity titles: en (default) or fr
  --out FILE        where to write (default: the download's file name, in the current directory);
                    "-" writes to standard output

Works on the database named by DATABASE_URL (default file:./data/vignette.db), which must be
migrated. Every export is recorded in the audit log, with the operating-system account that ran it.

Exit codes: 0 written, 1 the database is missing or not migrated, or no such regulator, 2 usage.`;

const choice = <T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name}: expected ${allowed.join(", ")}, got ${value}`);
};

runCli(
  usage,
  {
    regulator: { type: "string" },
    cycle: { type: "string" },
    format: { type: "string" },
    kind: { type: "string" },
    status: { type: "string" },
    search: { type: "string" },
    locale: { type: "string" },
    out: { type: "string" },
  },
  async ({ positionals, values }) => {
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    if (!values.regulator) throw new UsageError("--regulator is required");
    const format = choice("format", values.format, ["csv", "xlsx", "json"] as const, "csv");
    const kind = choice("kind", values.kind, ["registrants", "completions"] as const, "registrants");
    const status = choice("status", values.status, ["all", "meets", "short"] as const, "all");
    const locale = values.locale ?? "en";
    if (!isLocale(locale)) throw new UsageError(`--locale: expected en or fr, got ${locale}`);
    const filters = { status, q: (values.search ?? "").trim() };

    const unmigrated = await unmigratedReason(getEnv().DATABASE_URL);
    if (unmigrated) {
      console.error(unmigrated);
      return EXIT_CONTENT;
    }
    try {
      const profile = await getRegulator(values.regulator);
      if (!profile) {
        const known = (await listRegulators()).map((r) => r.id);
        console.error(`No regulator "${values.regulator}". Known: ${known.join(", ") || "none"}.`);
        return EXIT_CONTENT;
      }
      const cycle = resolveCycle(profile, values.cycle ?? null);
      if (!cycle.ok) {
        const current = resolveCycle(profile, null);
        throw new UsageError(
          `--cycle: no cycle of ${profile.id} starts on ${values.cycle}` +
            (current.ok ? ` (the current one starts on ${current.value.start})` : ""),
        );
      }
      const report = await qaReport(profile, cycle.value, filters, locale);
      const rendered = await renderQaExport(report, kind, format, { t: translator(locale), filters });
      const out = values.out ?? rendered.filename;
      if (out === "-") process.stdout.write(rendered.body);
      else fs.writeFileSync(out, rendered.body);
      await recordExport({
        actorId: null,
        regulatorId: profile.id,
        cycle: cycle.value,
        kind,
        format,
        rows: rendered.rows,
        filters,
        via: "cli",
        osUser: os.userInfo().username,
      });
      if (out !== "-") {
        console.error(
          `Wrote ${rendered.rows} ${kind} row(s) of ${profile.id}, cycle ${cycle.value.start} to ${cycle.value.end}, to ${path.resolve(out)}.`,
        );
      }
      return EXIT_OK;
    } finally {
      await getDb().$disconnect();
    }
  },
);
