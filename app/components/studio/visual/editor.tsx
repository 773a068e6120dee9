// The visual case editor: the same case file as the JSON source, edited through forms. The node
// list (and the map beside it, in the workbench) picks what to edit; each node's form writes its
// texts in every locale side by side, its choices, where each leads and what it scores. Every edit
// goes through the engine's case-edit functions and comes back as a new value of the one source.
import { useEffect, useMemo, useRef, useState } from "react";
import { addNode, nodesOf, NODE_KINDS, type NodeKind } from "~/engine";
import { useTranslation } from "~/i18n/react";
import { nodeOfPointer } from "./case-reading";
import { NodeForm } from "./node-form";
import { NodeFinder, nodeEntries } from "./node-list";
import type { VisualEditorProps } from "./props";
import { ScoringSummary } from "./scoring-summary";
import { CaseSettings } from "./settings-panel";

export type { VisualEditorProps } from "./props";

export function VisualEditor(props: VisualEditorProps) {
  const { value, diagnostics, selected, onSelect } = props;
  const { t, locale } = useTranslation();
  const nodes = nodesOf(value);
  const entries = useMemo(
    () => nodeEntries(nodes, value.start, diagnostics, locale),
    [nodes, diagnostics, locale, value.start],
  );
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Picking a node moves the focus to its form, as a new page would.
  const focusPending = useRef(false);
  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    headingRef.current?.focus();
  }, [selected]);
  const select = (id: string | null) => {
    focusPending.current = true;
    onSelect(id);
  };
  const [newKind, setNewKind] = useState<NodeKind>("scene");
  const caseProblems = diagnostics.filter((d) => nodeOfPointer(d.path) === null && d.severity === "error").length;
  const current = selected !== null && selected in nodes ? selected : null;

  return (
    <div className="visual-editor">
      <nav className="visual-nodes" aria-label={t("editor.nodes.label")}>
        <NodeFinder entries={entries} selected={current} onSelect={select} caseProblems={caseProblems} />
        <div className="add-node">
          <label htmlFor="add-node-kind">{t("editor.nodes.addKind")}</label>
          <select id="add-node-kind" value={newKind} onChange={(e) => setNewKind(e.target.value as NodeKind)}>
            {NODE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`studio.graph.kind.${kind}`)}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={() => {
              const added = addNode(value, newKind);
              props.onEdit(added.value);
              select(added.id);
            }}
          >
            {t("editor.nodes.add")}
          </button>
        </div>
      </nav>
      <div className="visual-form">
        {current === null ? (
          <CaseSettings {...props} headingRef={headingRef} entries={entries} />
        ) : (
          <NodeForm key={current} {...props} id={current} headingRef={headingRef} entries={entries} select={select} />
        )}
        <ScoringSummary analysis={props.analysis} value={value} catalogs={props.catalogs} />
      </div>
    </div>
  );
}
