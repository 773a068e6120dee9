import type { TranslationKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";

type FieldProps = {
  name: string;
  label: string;
  error?: TranslationKey;
  hint?: string;
} & React.InputHTMLAttributes<HTMLInputElement>;

/** The attributes tying a control to its hint and error, and the ids they use. */
function described(id: string, hint: string | undefined, error: string | undefined) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return {
    hintId,
    errorId,
    control: {
      "aria-invalid": error ? true : undefined,
      "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
    },
  };
}

function FieldHint({ id, hint }: { id?: string; hint?: string }) {
  return hint ? (
    <p id={id} className="hint">
      {hint}
    </p>
  ) : null;
}

/** A field's error: an i18n key, translated with `values`. */
function FieldError({ id, error, values }: { id?: string; error?: TranslationKey; values?: Record<string, unknown> }) {
  const { t } = useTranslation();
  return error ? (
    <p id={id} className="field-error">
      {t(error, values ?? {})}
    </p>
  ) : null;
}

/** A labelled input whose error (an i18n key) is announced and tied to it with aria-describedby. */
export function Field({ name, label, error, hint, ...input }: FieldProps) {
  const { hintId, errorId, control } = described(name, hint, error);
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <FieldHint id={hintId} hint={hint} />
      <input id={name} name={name} {...control} {...input} />
      <FieldError id={errorId} error={error} />
    </div>
  );
}

type TextareaFieldProps = {
  name: string;
  label: string;
  /** An i18n key, translated with `errorValues`. */
  error?: TranslationKey;
  errorValues?: Record<string, unknown>;
  hint?: string;
} & React.TextareaHTMLAttributes<HTMLTextAreaElement>;

/** A labelled textarea with the same hint and error wiring as Field. */
export function TextareaField({ name, label, error, errorValues, hint, ...textarea }: TextareaFieldProps) {
  const { hintId, errorId, control } = described(name, hint, error);
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <FieldHint id={hintId} hint={hint} />
      <textarea id={name} name={name} {...control} {...textarea} />
      <FieldError id={errorId} error={error} values={errorValues} />
    </div>
  );
}

export function FormAlert({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" className="alert">
      {message}
    </div>
  );
}

type SelectFieldProps = {
  name: string;
  label: string;
  /** An i18n key, shown under the select and tied to it. */
  error?: TranslationKey;
  /** A disabled first option asking for a choice. */
  placeholder: string;
  /** Defaults to the name. */
  id?: string;
  defaultValue?: string;
  children: React.ReactNode;
};

/** A labelled, required select with the same error wiring as Field. */
export function SelectField({ name, label, error, placeholder, id = name, defaultValue, children }: SelectFieldProps) {
  const { errorId, control } = described(id, undefined, error);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} required defaultValue={defaultValue ?? ""} {...control}>
        <option value="" disabled>
          {placeholder}
        </option>
        {children}
      </select>
      <FieldError id={errorId} error={error} />
    </div>
  );
}
