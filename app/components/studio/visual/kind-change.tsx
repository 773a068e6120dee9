// Changing a node's kind (a scene that should have been a decision): what the new kind holds is
// kept (engine changeKind); when something would be removed the author is told what and asked
// first, like a delete. The question is worked out from the case as it is when shown, so an edit
// made while it is open is part of what it lists.
import { useState, type RefObject } from "react";
import { changeKind, NODE_KINDS, type CaseValue, type NodeKind } from "~/engine";
import { useTranslation } from "~/i18n/react";
import { formatList } from "~/utils/format";
import type { kindKey } from "./case-reading";
import { ConfirmBox, useConfirm } from "./confirm";
import type { VisualEditorProps } from "./props";

export function KindChange(props: {
  value: CaseValue;
  id: string;
  kind: ReturnType<typeof kindKey>;
  onEdit: VisualEditorProps["onEdit"];
  headingRef: RefObject<HTMLHeadingElement>;
}) {
  const { value, id, kind, onEdit, headingRef } = props;
  const { t, locale } = useTranslation();
  const current = kind === "unknown" ? null : kind;
  const [wanted, setWanted] = useState<NodeKind>(current === "decision" ? "scene" : "decision");
  const { asking, ask, cancel, close, questionRef, buttonRef } = useConfirm();

  const kindName = (k: NodeKind) => t(`studio.graph.kind.${k}`);
  // Worked out on every render, so what is confirmed is what the question shows.
  const proposed = changeKind(value, id, wanted);
  const change = () => {
    close();
    onEdit(proposed.value);
    headingRef.current?.focus();
  };
  const { lost } = proposed;
  const what = [
    ...(lost.choices > 0 ? [t("editor.node.kindLost.choices", { count: lost.choices })] : []),
    ...(lost.image ? [t("editor.node.kindLost.image")] : []),
    ...(lost.next ? [t("editor.node.kindLost.next")] : []),
  ];

  if (asking && what.length > 0) {
    return (
      <ConfirmBox
        id="kind-question"
        questionRef={questionRef}
        onCancel={cancel}
        question={
          <>
            {t("editor.node.kindQuestion", { id, kind: kindName(wanted), what: formatList(what, locale) })}
            {current === "decision" && wanted !== "outcome" ? ` ${t("editor.node.keptLink")}` : null}
          </>
        }
        confirmLabel={t("editor.node.kindConfirm")}
        cancelLabel={t("editor.node.kindCancel")}
        onConfirm={change}
      />
    );
  }
  // The component is keyed by node and kind, so `wanted` starts as, and stays, another kind.
  const others = NODE_KINDS.filter((k) => k !== current);
  return (
    <div className="field kind-change">
      <label htmlFor="node-kind">{t("editor.node.kind")}</label>
      <select id="node-kind" value={wanted} onChange={(e) => setWanted(e.target.value as NodeKind)}>
        {others.map((k) => (
          <option key={k} value={k}>
            {kindName(k)}
          </option>
        ))}
      </select>
      <button
        ref={buttonRef}
        type="button"
        className="button-secondary"
        onClick={() => {
          if (what.length === 0) return change();
          ask();
        }}
      >
        {t("editor.node.changeKind")}
      </button>
    </div>
  );
}
