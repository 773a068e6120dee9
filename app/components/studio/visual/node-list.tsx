// The editor's list of nodes: the case's settings first, then every node with its kind, its start
// mark and its count of errors, filtered by what the author types.
import { useState } from "react";
import { isRecord, type Diagnostic, type Locale } from "~/engine";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { kindKey, nodeOfPointer, text, truncate } from "./case-reading";
import type { NodeEntry } from "./props";

/** The list's entries: each node's id and first text (title, prompt or body), kind, start mark and errors. */
export function nodeEntries(
  nodes: Record<string, unknown>,
  start: unknown,
  diagnostics: readonly Diagnostic[],
  locale: Locale,
): NodeEntry[] {
  const problems = new Map<string, number>();
  for (const d of diagnostics) {
    const id = nodeOfPointer(d.path);
    if (id !== null && d.severity === "error") problems.set(id, (problems.get(id) ?? 0) + 1);
  }
  return Object.entries(nodes).map(([id, node]) => {
    const n = isRecord(node) ? node : {};
    const title =
      localized(text(n.title), locale) || localized(text(n.prompt), locale) || localized(text(n.body), locale);
    return {
      id,
      kind: typeof n.kind === "string" ? n.kind : "unknown",
      label: title ? `${id} — ${truncate(title, 48)}` : id,
      problems: problems.get(id) ?? 0,
      start: start === id,
    };
  });
}

export function NodeFinder({
  entries,
  selected,
  onSelect,
  caseProblems,
}: {
  entries: NodeEntry[];
  selected: string | null;
  onSelect: (id: string | null) => void;
  caseProblems: number;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const q = query.trim().toLowerCase();
  const shown = q ? entries.filter((e) => e.label.toLowerCase().includes(q)) : entries;
  return (
    <>
      <button
        type="button"
        className={selected === null ? "node-entry current" : "node-entry"}
        aria-current={selected === null ? "true" : undefined}
        onClick={() => onSelect(null)}
      >
        {t("editor.settings.heading")}
        {caseProblems > 0 ? (
          <span className="node-problems"> ✕ {t("editor.nodes.problems", { count: caseProblems })}</span>
        ) : null}
      </button>
      <div className="field">
        <label htmlFor="node-find">{t("editor.nodes.find")}</label>
        <input id="node-find" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <p className="hint" role="status">
        {t("editor.nodes.count", { count: shown.length, total: entries.length })}
      </p>
      <ol className="node-list">
        {shown.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className={entry.id === selected ? "node-entry current" : "node-entry"}
              aria-current={entry.id === selected ? "true" : undefined}
              onClick={() => onSelect(entry.id)}
            >
              <span className={`node-kind node-kind-${entry.kind}`}>
                {t(`studio.graph.kind.${kindKey(entry.kind)}`)}
              </span>{" "}
              {entry.start ? `▶ ` : ""}
              {entry.label}
              {entry.problems > 0 ? (
                <span className="node-problems"> ✕ {t("editor.nodes.problems", { count: entry.problems })}</span>
              ) : null}
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}
