// One node's form: rename, change its kind, make it the start, delete it (after asking), the nodes
// that lead to it, and the fields of its kind (texts, image, where it leads, its choices).
import { useState } from "react";
import { getAt, isRecord, linksTo, removeNode, renameNode, setAt, setText } from "~/engine";
import { useTranslation } from "~/i18n/react";
import { caseLocales, kindKey, nodeOfPointer, text } from "./case-reading";
import { Choices } from "./choices-editor";
import { ConfirmBox, useConfirm } from "./confirm";
import { FieldProblems, LocalizedField } from "./fields";
import { NodeImageField } from "./image-field";
import { KindChange } from "./kind-change";
import { LinkRow } from "./link-row";
import type { FormProps } from "./props";

export function NodeForm(props: FormProps & { id: string; select: (id: string | null) => void }) {
  const { value, diagnostics, onEdit, id, headingRef, entries, select } = props;
  const { t } = useTranslation();
  const locales = caseLocales(value);
  const base = `/nodes/${id}`;
  const node = getAt(value, base);
  const n = isRecord(node) ? node : {};
  const kind = kindKey(typeof n.kind === "string" ? n.kind : "");
  const [newId, setNewId] = useState(id);
  const [renameError, setRenameError] = useState<string | null>(null);
  const deletion = useConfirm();
  const { questionRef: deleteQuestionRef, buttonRef: deleteButtonRef } = deletion;
  const textField = (field: string, label: string, options: { multiline?: boolean; optional?: boolean } = {}) => (
    <LocalizedField
      label={label}
      pointer={`${base}/${field}`}
      text={text(n[field])}
      locales={locales}
      diagnostics={diagnostics}
      {...options}
      onChange={(l, s) => onEdit(setText(value, `${base}/${field}`, l, s), { typing: true })}
    />
  );
  const link = (pointer: string, label: string) => <LinkRow pointer={pointer} label={label} {...props} />;
  const incoming = linksTo(value, id);
  return (
    <section aria-labelledby="node-heading" className="edit-node">
      <h2 id="node-heading" ref={headingRef} tabIndex={-1}>
        {t("editor.node.heading", { id, kind: t(`studio.graph.kind.${kind}`) })}
      </h2>
      <FieldProblems diagnostics={diagnostics.filter((d) => d.path === base || d.path === `${base}/kind`)} />
      <div className="node-tools">
        <div className="field rename">
          <label htmlFor="node-id">{t("editor.node.id")}</label>
          <input
            id="node-id"
            type="text"
            value={newId}
            aria-describedby={renameError ? "node-id-error" : undefined}
            onChange={(e) => setNewId(e.target.value)}
          />
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              const renamed = renameNode(value, id, newId.trim());
              if (!renamed.ok) {
                setRenameError(t(`editor.node.renameErrors.${renamed.code}`));
                return;
              }
              setRenameError(null);
              onEdit(renamed.value);
              select(newId.trim());
            }}
          >
            {t("editor.node.rename")}
          </button>
          {renameError ? (
            <p id="node-id-error" className="field-error" role="alert">
              {renameError}
            </p>
          ) : null}
        </div>
        <KindChange key={`${id} ${kind}`} value={value} id={id} kind={kind} onEdit={onEdit} headingRef={headingRef} />
        {value.start !== id ? (
          <button type="button" className="button-secondary" onClick={() => onEdit(setAt(value, "/start", id))}>
            {t("editor.node.makeStart")}
          </button>
        ) : (
          <p className="hint">▶ {t("editor.node.isStart")}</p>
        )}
        {deletion.asking ? (
          <ConfirmBox
            id="delete-question"
            questionRef={deleteQuestionRef}
            onCancel={deletion.cancel}
            question={t("editor.node.deleteQuestion", { id, count: incoming.length })}
            confirmLabel={t("editor.node.deleteConfirm")}
            cancelLabel={t("editor.node.deleteCancel")}
            onConfirm={() => {
              // The form goes with the node; the case's settings take the focus.
              onEdit(removeNode(value, id));
              select(null);
            }}
          />
        ) : (
          <button ref={deleteButtonRef} type="button" className="button-secondary" onClick={deletion.ask}>
            {t("editor.node.delete")}
          </button>
        )}
      </div>
      {incoming.length > 0 ? (
        <p className="hint">
          {t("editor.node.incoming")}{" "}
          {incoming.map((p, i) => {
            const from = nodeOfPointer(p);
            return (
              <span key={p}>
                {i > 0 ? ", " : ""}
                {from ? (
                  <button type="button" className="link-button" onClick={() => select(from)}>
                    {from}
                  </button>
                ) : (
                  t("editor.node.fromStart")
                )}
              </span>
            );
          })}
        </p>
      ) : null}

      {kind === "outcome"
        ? textField("title", t("editor.node.title"))
        : textField("title", t("editor.node.title"), { optional: true })}
      {kind === "scene" || kind === "outcome" ? textField("body", t("editor.node.body"), { multiline: true }) : null}
      {kind === "decision" || kind === "reflection"
        ? textField("prompt", t("editor.node.prompt"), { multiline: true })
        : null}
      {kind === "scene" || kind === "decision" || kind === "outcome" ? (
        <NodeImageField
          draftId={props.draftId}
          value={value}
          base={base}
          locales={locales}
          diagnostics={diagnostics}
          onEdit={onEdit}
        />
      ) : null}
      {kind === "scene" || kind === "reflection" ? link(`${base}/next`, t("editor.node.next")) : null}
      {kind === "decision" ? <Choices {...props} base={base} entries={entries} /> : null}
    </section>
  );
}
