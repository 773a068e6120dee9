// A decision's choices: label and feedback in every locale, where each leads, critical or not, what
// it scores, its id, and moving or removing it.
import { addChoice, getAt, isRecord, moveChoice, removeChoice, setCritical, setText } from "~/engine";
import { useTranslation } from "~/i18n/react";
import { caseLocales, setOptionalText, text } from "./case-reading";
import { Effects } from "./effects-editor";
import { FieldProblems, LocalizedField } from "./fields";
import { LinkRow } from "./link-row";
import { MemberInput } from "./member-input";
import type { FormProps } from "./props";

export function Choices(props: FormProps & { base: string; select: (id: string | null) => void }) {
  const { value, onEdit, base, diagnostics } = props;
  const { t } = useTranslation();
  const locales = caseLocales(value);
  const choices = getAt(value, `${base}/choices`);
  const list = Array.isArray(choices) ? choices : [];
  const nodeId = base.slice("/nodes/".length);
  return (
    <section aria-labelledby="choices-heading" className="choices">
      <h3 id="choices-heading">{t("editor.choice.heading", { count: list.length })}</h3>
      <FieldProblems diagnostics={diagnostics.filter((d) => d.path === `${base}/choices`)} />
      {list.map((choice, i) => {
        const c = isRecord(choice) ? choice : {};
        const pointer = `${base}/choices/${i}`;
        const name = typeof c.id === "string" && c.id ? c.id : String(i + 1);
        return (
          <fieldset key={i} className="edit-choice">
            <legend>{t("editor.choice.legend", { number: i + 1, id: name })}</legend>
            <LocalizedField
              label={t("editor.choice.label")}
              pointer={`${pointer}/label`}
              text={text(c.label)}
              locales={locales}
              diagnostics={diagnostics}
              onChange={(l, s) => onEdit(setText(value, `${pointer}/label`, l, s), { typing: true })}
            />
            <LocalizedField
              label={t("editor.choice.feedback")}
              pointer={`${pointer}/feedback`}
              text={text(c.feedback)}
              locales={locales}
              multiline
              optional
              diagnostics={diagnostics}
              onChange={(l, s) => onEdit(setOptionalText(value, `${pointer}/feedback`, l, s), { typing: true })}
            />
            <LinkRow {...props} pointer={`${pointer}/next`} label={t("editor.choice.next")} />
            <div className="field">
              <label className="radio-row">
                <input
                  type="checkbox"
                  checked={c.critical === true}
                  onChange={(e) => onEdit(setCritical(value, pointer, e.target.checked))}
                />{" "}
                {t("editor.choice.critical")}
              </label>
              <p className="hint">{t("editor.choice.criticalHint")}</p>
            </div>
            <Effects {...props} pointer={pointer} effects={c.effects} />
            <MemberInput
              label={t("editor.choice.id")}
              hint={t("editor.choice.idHint")}
              value={value}
              pointer={`${pointer}/id`}
              props={props}
            />
            <div className="choice-tools">
              <button
                type="button"
                className="button-secondary"
                disabled={i === 0}
                onClick={() => onEdit(moveChoice(value, nodeId, i, -1))}
              >
                {t("editor.choice.up", { number: i + 1 })}
              </button>
              <button
                type="button"
                className="button-secondary"
                disabled={i === list.length - 1}
                onClick={() => onEdit(moveChoice(value, nodeId, i, 1))}
              >
                {t("editor.choice.down", { number: i + 1 })}
              </button>
              <button type="button" className="button-secondary" onClick={() => onEdit(removeChoice(value, nodeId, i))}>
                {t("editor.choice.remove", { number: i + 1 })}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button type="button" onClick={() => onEdit(addChoice(value, nodeId))}>
        {t("editor.choice.add")}
      </button>
    </section>
  );
}
