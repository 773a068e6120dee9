// Shared plumbing for the command-line tools: argument parsing, --help, and the exit codes every
// tool documents (0 ok, 1 content errors, 2 usage).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from "~/engine";
import { UsageError } from "~/utils/case-files.server";

export const EXIT_OK = 0;
export const EXIT_CONTENT = 1;
export const EXIT_USAGE = 2;

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>;

export function runCli<O extends Options>(
  usage: string,
  options: O,
  main: (args: Parsed<O>) => Promise<number> | number,
): void {
  const run = async (): Promise<number> => {
    let args: Parsed<O>;
    try {
      args = parseArgs({
        options: { ...options, help: { type: "boolean", short: "h" } },
        allowPositionals: true,
      }) as Parsed<O>;
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${usage}`);
      return EXIT_USAGE;
    }
    if ((args.values as { help?: boolean }).help) {
      console.log(usage);
      return EXIT_OK;
    }
    try {
      return await main(args);
    } catch (error) {
      if (error instanceof UsageError) {
        console.error(`${error.message}\n\n${usage}`);
        return EXIT_USAGE;
      }
      throw error;
    }
  };
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exitCode = EXIT_CONTENT;
    },
  );
}

/** Diagnostics for people: sorted per file, one line each, then a count. */
export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  stream: NodeJS.WritableStream = process.stderr,
): void {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  for (const list of byFile.values()) {
    for (const d of sortDiagnostics(list)) stream.write(`${formatDiagnostic(d)}\n`);
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length > 0) stream.write(`${errors} error(s), ${warnings} warning(s)\n`);
}
