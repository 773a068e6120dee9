import { Form } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";

type IntentButtonProps = {
  /** What the action is asked to do (its `intent` field). */
  intent: string;
  /** Other hidden fields the action reads. */
  fields?: Record<string, string | number>;
  formClassName?: string;
} & React.ButtonHTMLAttributes<HTMLButtonElement>;

/** A form of one button that posts an intent, with the CSRF token and any hidden fields. */
export function IntentButton({ intent, fields = {}, formClassName, children, ...button }: IntentButtonProps) {
  return (
    <Form method="post" className={formClassName}>
      <CsrfField />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" {...button}>
        {children}
      </button>
    </Form>
  );
}
