import { Form } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";

/** A panel with a JSON file upload form (cases and catalogs share it). */
export function UploadPanel(props: {
  id: string;
  heading: string;
  label: string;
  hint: string;
  submit: string;
  action?: string;
}) {
  return (
    <section aria-labelledby={`${props.id}-heading`} className="panel">
      <h2 id={`${props.id}-heading`}>{props.heading}</h2>
      <Form method="post" action={props.action} encType="multipart/form-data" className="upload-form">
        <CsrfField />
        <div className="field">
          <label htmlFor={`${props.id}-file`}>{props.label}</label>
          <p id={`${props.id}-file-hint`} className="hint">
            {props.hint}
          </p>
          <input
            id={`${props.id}-file`}
            name="file"
            type="file"
            accept=".json,application/json"
            required
            aria-describedby={`${props.id}-file-hint`}
          />
        </div>
        <button type="submit">{props.submit}</button>
      </Form>
    </section>
  );
}
