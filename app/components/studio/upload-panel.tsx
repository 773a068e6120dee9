import { UploadForm } from "~/components/upload-form";

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
      <UploadForm
        name={props.id}
        label={props.label}
        hint={props.hint}
        accept=".json,application/json"
        submit={props.submit}
        action={props.action}
      />
    </section>
  );
}
