import type { LoadedCase } from "~/utils/case-files.server";

export type CaseReport = {
  file: string;
  slug: string;
  bestTotal: number;
  worstTotal: number;
  decisions: number;
  longestPath: number;
  passMark: number;
  expertPath: string[];
  standards: Array<{ item: string; best: number; worst: number }>;
};

export function caseReport({ file, caseFile, analysis }: LoadedCase): CaseReport {
  return {
    file,
    slug: caseFile.slug,
    bestTotal: analysis.bestTotal,
    worstTotal: analysis.worstTotal,
    decisions: analysis.decisionCount,
    longestPath: analysis.longestPath,
    passMark: caseFile.passMark,
    expertPath: analysis.expertPath.map((step) => `${step.nodeId}=${step.choiceId}`),
    standards: analysis.items.map((item) => ({
      item,
      best: analysis.best[item] ?? 0,
      worst: analysis.worst[item] ?? 0,
    })),
  };
}

export function formatCaseReport(report: CaseReport): string {
  const width = Math.max(8, ...report.standards.map((s) => s.item.length));
  const lines = [
    `${report.file} (${report.slug})`,
    `  best total ${report.bestTotal}, worst total ${report.worstTotal}, pass mark ${report.passMark}`,
    `  ${report.decisions} decision(s), longest path ${report.longestPath} decision(s)`,
    `  expert path: ${report.expertPath.join(", ") || "(no decisions)"}`,
    `  ${"standard".padEnd(width)}  best  worst`,
    ...report.standards.map(
      (s) => `  ${s.item.padEnd(width)}  ${String(s.best).padStart(4)}  ${String(s.worst).padStart(5)}`,
    ),
  ];
  return lines.join("\n");
}
