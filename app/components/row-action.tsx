import { IntentButton } from "./intent-button";

/**
 * A table row's own action (leave a cohort, remove a member, revoke an invitation): a small
 * secondary button in the row's last cell, whose accessible name says which row it acts on.
 */
export function RowAction({
  intent,
  fields,
  label,
  children,
}: {
  intent: string;
  fields: Record<string, string | number>;
  /** The accessible name, naming the row ("Remove Ana Lopez"). */
  label: string;
  children: React.ReactNode;
}) {
  return (
    <td>
      <IntentButton
        intent={intent}
        fields={fields}
        formClassName="inline-form"
        className="secondary"
        aria-label={label}
      >
        {children}
      </IntentButton>
    </td>
  );
}
