// A node's image in the visual editor: upload it (the draft's image store answers its src), write
// its alt text in every locale and an optional caption, add a picture per locale when it holds
// words, or remove it. The bytes go to the same upload action as the draft's Images page.
import { useEffect, useId, useRef, useState } from "react";
import { useCsrfToken } from "~/components/csrf-field";
import { getAt, imageHash, isRecord, setAt, setText, type CaseValue, type Diagnostic, type Locale } from "~/engine";
import { CSRF_FIELD } from "~/forms/csrf";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { caseImageUrl } from "~/utils/case-image-view";
import { setOptionalText } from "./case-reading";
import { FieldProblems, LocalizedField, problemsAt, type LocalizedValue } from "./fields";
import type { VisualEditorProps } from "./props";

type UploadAnswer = { ok: true; src: string } | { ok: false; message: string };

export function NodeImageField({
  draftId,
  value,
  base,
  locales,
  diagnostics,
  onEdit,
}: {
  draftId: string;
  value: CaseValue;
  /** The node's pointer, e.g. "/nodes/intro". */
  base: string;
  locales: readonly Locale[];
  diagnostics: readonly Diagnostic[];
  onEdit: VisualEditorProps["onEdit"];
}) {
  const { t, locale } = useTranslation();
  const id = useId();
  const csrf = useCsrfToken();
  const pointer = `${base}/image`;
  const image = getAt(value, pointer);
  const current = isRecord(image) ? image : null;
  const src = typeof current?.src === "string" ? current.src : null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The upload answers later: its src goes into the case as it is then, not as it was.
  const latest = useRef(value);
  useEffect(() => {
    latest.current = value;
  });

  const upload = async (file: File, target: "main" | Locale) => {
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.set("file", file);
      if (csrf) form.set(CSRF_FIELD, csrf);
      const response = await fetch(`/studio/drafts/${encodeURIComponent(draftId)}/images.json`, {
        method: "POST",
        body: form,
      });
      const answer = (await response.json()) as UploadAnswer;
      if (!answer.ok) {
        setError(answer.message);
        return;
      }
      const now = latest.current;
      const existing = getAt(now, pointer);
      const next =
        target === "main"
          ? isRecord(existing)
            ? setAt(now, `${pointer}/src`, answer.src)
            : setAt(now, pointer, { src: answer.src, alt: {} })
          : setAt(now, `${pointer}/variants/${target}`, answer.src);
      onEdit(next);
    } catch {
      setError(t("editor.image.failed"));
    } finally {
      setBusy(false);
    }
  };

  const fileInput = (target: "main" | Locale, label: string) => {
    const inputId = `${id}-${target}`;
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) void upload(file, target);
          }}
        />
      </div>
    );
  };

  const variants = isRecord(current?.variants) ? current.variants : {};
  return (
    <fieldset className="loc-field node-image">
      <legend>
        {t("editor.image.legend")} <span className="muted">({t("editor.optional")})</span>
      </legend>
      {src ? (
        <img
          className="image-preview"
          src={caseImageUrl(imageHash(src))}
          alt={localized(current?.alt as LocalizedValue, locale)}
        />
      ) : null}
      {fileInput("main", src ? t("editor.image.replace") : t("editor.image.upload"))}
      <p className="hint" role="status">
        {busy ? t("editor.image.uploading") : t("editor.image.hint")}
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {current ? (
        <>
          <LocalizedField
            label={t("editor.image.alt")}
            pointer={`${pointer}/alt`}
            text={current.alt as LocalizedValue}
            locales={locales}
            diagnostics={diagnostics}
            onChange={(l, s) => onEdit(setText(value, `${pointer}/alt`, l, s), { typing: true })}
          />
          <LocalizedField
            label={t("editor.image.caption")}
            pointer={`${pointer}/caption`}
            text={current.caption as LocalizedValue}
            locales={locales}
            optional
            diagnostics={diagnostics}
            onChange={(l, s) => onEdit(setOptionalText(value, `${pointer}/caption`, l, s), { typing: true })}
          />
          {locales.length > 1
            ? locales.map((l) => (
                <div key={l} className="image-variant">
                  {fileInput(l, t("editor.image.variant", { locale: t(`editor.locale.${l}`) }))}
                  {typeof variants[l] === "string" ? (
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => {
                        const rest = Object.fromEntries(Object.entries(variants).filter(([k]) => k !== l));
                        onEdit(setAt(value, `${pointer}/variants`, Object.keys(rest).length > 0 ? rest : undefined));
                      }}
                    >
                      {t("editor.image.removeVariant", { locale: t(`editor.locale.${l}`) })}
                    </button>
                  ) : null}
                </div>
              ))
            : null}
          <button type="button" className="button-secondary" onClick={() => onEdit(setAt(value, pointer, undefined))}>
            {t("editor.image.remove")}
          </button>
        </>
      ) : null}
      <FieldProblems
        diagnostics={problemsAt(diagnostics, pointer).filter(
          (d) => !d.path.startsWith(`${pointer}/alt`) && !d.path.startsWith(`${pointer}/caption`),
        )}
      />
    </fieldset>
  );
}
