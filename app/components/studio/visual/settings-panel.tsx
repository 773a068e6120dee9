// The case's own settings: slug, title, summary, locales, credit, pass mark, attempts, catalogs, start.
import { setAt, setText } from "~/engine";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { caseLocales, text } from "./case-reading";
import { FieldProblems, LocalizedField, problemsAt } from "./fields";
import { asNumber, MemberInput } from "./member-input";
import type { FormProps } from "./props";

export function CaseSettings(props: FormProps) {
  const { value, diagnostics, onEdit, catalogs, headingRef, entries } = props;
  const { t, locale } = useTranslation();
  const locales = caseLocales(value);
  const listed = Array.isArray(value.locales) ? value.locales : [];
  const standards = Array.isArray(value.standards) ? (value.standards as unknown[]) : [];
  return (
    <section aria-labelledby="settings-heading" className="edit-node">
      <h2 id="settings-heading" ref={headingRef} tabIndex={-1}>
        {t("editor.settings.heading")}
      </h2>
      <p className="hint">{t("editor.settings.regulator", { regulator: String(value.regulator ?? "") })}</p>
      <MemberInput
        label={t("editor.settings.slug")}
        hint={t("editor.settings.slugHint")}
        value={value}
        pointer="/slug"
        props={props}
      />
      <LocalizedField
        label={t("editor.settings.title")}
        pointer="/title"
        text={text(value.title)}
        locales={locales}
        diagnostics={diagnostics}
        onChange={(l, s) => onEdit(setText(value, "/title", l, s), { typing: true })}
      />
      <LocalizedField
        label={t("editor.settings.summary")}
        pointer="/summary"
        text={text(value.summary)}
        locales={locales}
        multiline
        diagnostics={diagnostics}
        onChange={(l, s) => onEdit(setText(value, "/summary", l, s), { typing: true })}
      />
      <fieldset className="field">
        <legend>{t("editor.settings.locales")}</legend>
        {(["en", "fr"] as const).map((l) => (
          <label key={l} className="radio-row">
            <input
              type="checkbox"
              checked={listed.includes(l)}
              onChange={(e) =>
                onEdit(
                  setAt(
                    value,
                    "/locales",
                    (["en", "fr"] as const).filter((x) => (x === l ? e.target.checked : listed.includes(x))),
                  ),
                )
              }
            />{" "}
            {t(`editor.locale.${l}`)}
          </label>
        ))}
        <FieldProblems diagnostics={problemsAt(diagnostics, "/locales")} />
      </fieldset>
      <MemberInput label={t("editor.settings.profession")} value={value} pointer="/profession" props={props} />
      <MemberInput
        label={t("editor.settings.release")}
        hint={t("editor.settings.releaseHint")}
        value={value}
        pointer="/release"
        props={props}
      />
      <div className="field-row">
        <MemberInput
          label={t("editor.settings.hours")}
          type="number"
          step="0.25"
          min="0.25"
          value={value}
          pointer="/credit/hours"
          props={props}
          toValue={asNumber}
        />
        <MemberInput label={t("editor.settings.category")} value={value} pointer="/credit/category" props={props} />
      </div>
      <div className="field-row">
        <MemberInput
          label={t("editor.settings.passMark")}
          type="number"
          min="0"
          max="100"
          step="1"
          value={value}
          pointer="/passMark"
          props={props}
          // The file holds a fraction (0.7); people write a percentage (70).
          fromValue={(v) => (typeof v === "number" ? String(Math.round(v * 1000) / 10) : "")}
          toValue={(s) => (Number.isFinite(Number(s)) ? Math.round(Number(s) * 10) / 1000 : s)}
        />
        <MemberInput
          label={t("editor.settings.maxAttempts")}
          hint={t("editor.settings.maxAttemptsHint")}
          type="number"
          min="1"
          step="1"
          value={value}
          pointer="/maxAttempts"
          props={props}
          toValue={asNumber}
        />
      </div>
      <fieldset className="field">
        <legend>{t("editor.settings.standards")}</legend>
        {catalogs.length === 0 ? <p className="hint">{t("editor.settings.noCatalogs")}</p> : null}
        {catalogs.map((catalog) => (
          <label key={catalog.id} className="radio-row">
            <input
              type="checkbox"
              checked={standards.includes(catalog.id)}
              onChange={(e) =>
                onEdit(
                  setAt(
                    value,
                    "/standards",
                    e.target.checked ? [...standards, catalog.id] : standards.filter((s) => s !== catalog.id),
                  ),
                )
              }
            />{" "}
            {localized(catalog.title, locale)} <span className="muted">({catalog.id})</span>
          </label>
        ))}
        <FieldProblems diagnostics={problemsAt(diagnostics, "/standards")} />
      </fieldset>
      <div className="field">
        <label htmlFor="field-start">{t("editor.settings.start")}</label>
        <select
          id="field-start"
          value={typeof value.start === "string" ? value.start : ""}
          onChange={(e) => onEdit(setAt(value, "/start", e.target.value))}
        >
          <option value="">{t("editor.link.choose")}</option>
          {entries.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.label}
            </option>
          ))}
        </select>
        <FieldProblems diagnostics={problemsAt(diagnostics, "/start")} />
      </div>
    </section>
  );
}
