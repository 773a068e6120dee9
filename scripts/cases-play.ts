import path from "node:path";
import { hasErrors, scorePath, type ChoiceRef } from "~/engine";
import { loadContent, UsageError } from "~/utils/case-files.server";
import { parseChoose } from "./lib/choose";
import { EXIT_CONTENT, EXIT_OK, printDiagnostics, runCli } from "./lib/cli";

const usage = `Usage: npm run cases:play -- FILE (--choose DECISION=CHOICE,... | --expert) [--json]

Simulates one path through a case, as an author's "test this path": prints the nodes walked,
the points earned against each standard next to the best possible, the score and pass/fail.

  --choose q1=decline,q2=review   the choice to take at each decision met (by id)
  --expert                        take the expert (best-scoring) path
  --json                          machine-readable output
  --help                          this text

Exit codes: 0 the path was played (pass or fail), 1 content errors or an impossible path, 2 usage.`;

runCli(
  usage,
  { choose: { type: "string" }, expert: { type: "boolean" }, json: { type: "boolean" } },
  ({ values, positionals }) => {
    if (positionals.length !== 1) throw new UsageError("give exactly one case FILE");
    if (!values.expert && values.choose === undefined) throw new UsageError("give --choose or --expert");
    if (values.expert && values.choose !== undefined) throw new UsageError("give --choose or --expert, not both");
    const file = positionals[0]!;
    if (!file.endsWith(".json")) throw new UsageError(`${file}: a case file is a .json file`);

    const content = loadContent([file]);
    const loaded = content.cases.find((c) => path.resolve(c.file) === path.resolve(file));
    if (hasErrors(content.diagnostics) || !loaded) {
      printDiagnostics(content.diagnostics);
      return EXIT_CONTENT;
    }
    const { caseFile, analysis } = loaded;
    const choices: Record<string, string> | ChoiceRef[] = values.expert
      ? analysis.expertPath
      : parseChoose(values.choose ?? "");
    const result = scorePath(caseFile, analysis, choices);
    if (!result.ok) {
      console.error(`${loaded.file}: ${result.error.message}`);
      return EXIT_CONTENT;
    }
    if (values.json) {
      console.log(
        JSON.stringify({ file: loaded.file, bestTotal: analysis.bestTotal, best: analysis.best, ...result }, null, 2),
      );
      return EXIT_OK;
    }
    console.log(`${loaded.file} (${caseFile.slug})`);
    console.log("Path:");
    for (const step of result.steps) {
      const critical = result.criticalChoices.some((c) => c.nodeId === step.nodeId) ? "  [critical]" : "";
      console.log(`  ${step.kind.padEnd(10)} ${step.nodeId}${step.choiceId ? ` -> ${step.choiceId}` : ""}${critical}`);
    }
    const width = Math.max(8, ...analysis.items.map((i) => i.length));
    console.log(`\n  ${"standard".padEnd(width)}  earned  best`);
    for (const item of analysis.items) {
      console.log(
        `  ${item.padEnd(width)}  ${String(result.earned[item] ?? 0).padStart(6)}  ${String(analysis.best[item] ?? 0).padStart(4)}`,
      );
    }
    const percent = `${(result.score * 100).toFixed(1)}%`;
    console.log(
      `\nTotal ${result.total} of ${analysis.bestTotal}: score ${percent} (pass mark ${caseFile.passMark * 100}%)`,
    );
    const why =
      result.reason === "critical-choice"
        ? `critical choice ${result.criticalChoices.map((c) => `${c.nodeId}=${c.choiceId}`).join(", ")}`
        : result.reason === "below-pass-mark"
          ? "below the pass mark"
          : "score at or above the pass mark, no critical choice";
    console.log(`${result.passed ? "PASSED" : "FAILED"}: ${why}`);
    return EXIT_OK;
  },
);
