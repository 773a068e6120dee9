// Changing a node's kind (a scene that should have been a decision): what the new kind holds is
// kept (engine changeKind); when something would be removed the author is told what and asked
// first, like a delete.
import { useState, type RefObject } from "react";
import { changeKind, NODE_KINDS, type CaseValue, type KindChangeLoss, type NodeKind } from "~/engine";
import { useTranslation } from "~/i18n/react";
import { formatList } from "~/utils/format";
import type { VisualEditorProps } from "./props";

export function KindChange(props: {
  value: CaseValue;
  id: string;
  kind: string;
  onEdit: VisualEditorProps["onEdit"];
  headingRef: RefObject<HTMLHeadingElement>;
}) {
  const { value, id, kind, onEdit, headingRef } = props;
  const { t, locale } = useTranslation();
  const current = (NODE_KINDS as readonly string[]).includes(kind) ? (kind as NodeKind) : null;
  const [wanted, setWanted] = useState<NodeKind>(current === "decision" ? "scene" : "decision");
  const [asking, setAsking] = useState<KindChangeLoss | null>(null);
  const change = (to: NodeKind) => {
    setAsking(null);
    onEdit(changeKind(value, id, to).value, { step: true });
    headingRef.current?.focus();
  };
  const kindName = (k: NodeKind) => t(`studio.graph.kind.${k}`);

  if (asking) {
    const what = [
      ...(asking.choices > 0 ? [t("editor.node.kindLost.choices", { count: asking.choices })] : []),
      ...(asking.image ? [t("editor.node.kindLost.image")] : []),
      ...(asking.next ? [t("editor.node.kindLost.next")] : []),
    ];
    return (
      <div role="group" aria-labelledby="kind-question" className="confirm">
        <p id="kind-question">
          {t("editor.node.kindQuestion", { id, kind: kindName(wanted), what: formatList(what, locale) })}
          {current === "decision" && wanted !== "outcome" ? ` ${t("editor.node.keptLink")}` : null}
        </p>
        <button type="button" className="button-danger" onClick={() => change(wanted)}>
          {t("editor.node.kindConfirm")}
        </button>{" "}
        <button type="button" className="button-secondary" onClick={() => setAsking(null)}>
          {t("editor.node.kindCancel")}
        </button>
      </div>
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
        type="button"
        className="button-secondary"
        onClick={() => {
          const { lost } = changeKind(value, id, wanted);
          if (lost.choices > 0 || lost.image || lost.next) setAsking(lost);
          else change(wanted);
        }}
      >
        {t("editor.node.changeKind")}
      </button>
    </div>
  );
}
