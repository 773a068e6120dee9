/** Content diagnostics: one shape for the CLI, the importer and (later) an editor. */

export type Severity = "error" | "warning";

export type Diagnostic = {
  severity: Severity;
  /** The file as the caller named it, e.g. "cases/blair.json". */
  file: string;
  /** JSON pointer to the offending value, e.g. "/nodes/q1/choices/2/next"; "" for the whole file. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
  /** 1-based, when the source text is known. */
  line?: number;
  /** 1-based, in UTF-16 code units. */
  column?: number;
};

/**
 * `cases/blair.json:12:5: /nodes/q1/choices/2/next: no node "q9" (did you mean "q2"?)`.
 * Warnings say so; errors don't need to, they are the default.
 */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file;
  if (d.line !== undefined) where += `:${d.line}` + (d.column !== undefined ? `:${d.column}` : "");
  const path = d.path === "" ? "" : `${d.path}: `;
  const severity = d.severity === "warning" ? "warning: " : "";
  return `${where}: ${severity}${path}${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Stable order for display: by line and column; diagnostics without a line keep their place first. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.column ?? 0) - (b.d.column ?? 0) || a.i - b.i)
    .map(({ d }) => d);
}

/** Levenshtein distance; small inputs only (ids and field names). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `name`, if close enough to be a plausible typo: a case-only difference,
 * or within max(2, a third of the length) edits (but never a complete rewrite of a short id).
 * Ties go to the first candidate, so callers pass candidates in file order.
 */
export function closestMatch(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  if (best === undefined || bestDistance > limit || bestDistance >= Math.max(name.length, best.length)) {
    return undefined;
  }
  return best;
}

/** ` (did you mean "q2"?)` or "". */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closestMatch(name, candidates);
  return match === undefined ? "" : ` (did you mean "${match}"?)`;
}
