// What a choice scores: its clauses with their points, and a clause picker to add one.
import { useMemo, useState } from "react";
import { addEffect, isRecord, removeEffect, setAt } from "~/engine";
import { useTranslation } from "~/i18n/react";
import { ClausePicker } from "../clause-picker";
import { clauseOptions } from "./case-reading";
import { FieldProblems, problemsAt } from "./fields";
import { asNumber } from "./member-input";
import type { FormProps } from "./props";

export function Effects(props: FormProps & { pointer: string; effects: unknown }) {
  const { value, onEdit, pointer, effects, catalogs, diagnostics } = props;
  const { t, locale } = useTranslation();
  const list = Array.isArray(effects) ? effects : [];
  const options = useMemo(() => clauseOptions(value, catalogs, locale), [value, catalogs, locale]);
  const titles = useMemo(() => new Map(options.map((o) => [o.key, o.title])), [options]);
  const [points, setPoints] = useState("1");
  return (
    <fieldset className="effects">
      <legend>{t("editor.effects.legend")}</legend>
      {list.length === 0 ? <p className="hint">{t("editor.effects.none")}</p> : null}
      <ul className="plain-list">
        {list.map((effect, i) => {
          const e = isRecord(effect) ? effect : {};
          const key = typeof e.standard === "string" ? e.standard : "";
          const inputId = `${pointer.replace(/\//g, "-")}-effect-${i}`;
          return (
            <li key={i} className="effect">
              <label htmlFor={inputId}>
                <strong>{key}</strong> {titles.get(key) ? `— ${titles.get(key)}` : ""}
              </label>{" "}
              <input
                id={inputId}
                type="number"
                step="1"
                className="points"
                value={typeof e.points === "number" ? String(e.points) : ""}
                onChange={(ev) =>
                  onEdit(
                    setAt(
                      value,
                      `${pointer}/effects/${i}/points`,
                      ev.target.value === "" ? 0 : asNumber(ev.target.value),
                    ),
                    { typing: true },
                  )
                }
              />{" "}
              {t("editor.effects.points")}{" "}
              <button
                type="button"
                className="button-secondary"
                onClick={() => onEdit(removeEffect(value, pointer, i))}
              >
                {t("editor.effects.remove", { clause: key })}
              </button>
              <FieldProblems diagnostics={problemsAt(diagnostics, `${pointer}/effects/${i}`)} />
            </li>
          );
        })}
      </ul>
      <div className="field-row add-effect">
        <div className="field">
          <label htmlFor={`${pointer}-new-points`}>{t("editor.effects.newPoints")}</label>
          <input
            id={`${pointer}-new-points`}
            type="number"
            step="1"
            className="points"
            value={points}
            onChange={(e) => setPoints(e.target.value)}
          />
        </div>
        <ClausePicker
          label={t("editor.effects.clause")}
          options={options}
          onPick={(key) => onEdit(addEffect(value, pointer, key, Number.parseInt(points, 10) || 0))}
        />
      </div>
      {options.length === 0 ? <p className="hint">{t("editor.effects.noClauses")}</p> : null}
    </fieldset>
  );
}
