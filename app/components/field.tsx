import { useTranslation } from "~/i18n/react";

type FieldProps = {
  name: string;
  label: string;
  error?: string;
  hint?: string;
} & React.InputHTMLAttributes<HTMLInputElement>;

/** A labelled input whose error (an i18n key) is announced and tied to it with aria-describedby. */
export function Field({ name, label, error, hint, ...input }: FieldProps) {
  const { t } = useTranslation();
  const hintId = hint ? `${name}-hint` : undefined;
  const errorId = error ? `${name}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <input
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {error ? (
        <p id={errorId} className="field-error">
          {t(error)}
        </p>
      ) : null}
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
  error?: string;
  /** A disabled first option asking for a choice. */
  placeholder: string;
  /** Defaults to the name. */
  id?: string;
  defaultValue?: string;
  children: React.ReactNode;
};

/** A labelled, required select with the same error wiring as Field. */
export function SelectField({ name, label, error, placeholder, id = name, defaultValue, children }: SelectFieldProps) {
  const { t } = useTranslation();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        required
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
      >
        <option value="" disabled>
          {placeholder}
        </option>
        {children}
      </select>
      {error ? (
        <p id={errorId} className="field-error">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}
