// One file upload form: a labelled file input (always named "file") with its hint, sent as
// multipart with the session's CSRF token, and a submit button. The case upload, the catalog and
// case panels, a draft's images and the XLIFF import all use it, so every upload reads and works
// the same, without JavaScript too. What the action answers (errors included) the page shows.
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { CsrfField } from "~/components/csrf-field";

export function UploadForm({
  name,
  label,
  hint,
  accept,
  submit,
  action,
  children,
}: {
  /** What is uploaded: the input's id is `<name>-file`, its hint's `<name>-file-hint`. */
  name: string;
  label: string;
  hint: string;
  /** The input's accept attribute (the action checks the file itself). */
  accept: string;
  submit: string;
  /** Where the form posts; the current route when left out. */
  action?: string;
  /** More fields, after the file (e.g. the regulator an import is for). */
  children?: ReactNode;
}) {
  const id = `${name}-file`;
  return (
    <Form method="post" action={action} encType="multipart/form-data" className="upload-form">
      <CsrfField />
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
        <input id={id} name="file" type="file" accept={accept} required aria-describedby={`${id}-hint`} />
      </div>
      {children}
      <button type="submit">{submit}</button>
    </Form>
  );
}
