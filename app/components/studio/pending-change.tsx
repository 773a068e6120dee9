// A change waiting for a second person (models/change-request.server.ts): who asked and when, and
// for anyone else the approve and send-back forms; for the asker, withdraw.
import { Form } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { IntentButton } from "~/components/intent-button";
import { useTranslation } from "~/i18n/react";

export type PendingChangeView = {
  id: string;
  kind: "catalog_publish" | "case_retire";
  subject: string;
  requestedBy: string | null;
  requestedAt: string;
  mine: boolean;
};

export function PendingChanges({ changes }: { changes: PendingChangeView[] }) {
  const { t } = useTranslation();
  if (changes.length === 0) return null;
  return (
    <section aria-labelledby="pending-changes-heading" className="panel">
      <h2 id="pending-changes-heading">{t("studio.changes.heading")}</h2>
      <ul className="plain-list">
        {changes.map((change) => (
          <li key={change.id}>
            <p>
              <strong>{t(`studio.changes.kind.${change.kind}`, { subject: change.subject })}</strong>{" "}
              <span className="muted">
                {t("studio.changes.requestedBy", { name: change.requestedBy ?? "?", date: change.requestedAt })}
              </span>
            </p>
            {change.mine ? (
              <>
                <p>{t("studio.changes.mine")}</p>
                <IntentButton intent="decline-change" fields={{ requestId: change.id }} className="button-secondary">
                  {t("studio.changes.withdraw")}
                </IntentButton>
              </>
            ) : (
              <>
                <IntentButton intent="approve-change" fields={{ requestId: change.id }}>
                  {t("studio.changes.approve")}
                </IntentButton>
                <Form method="post">
                  <CsrfField />
                  <input type="hidden" name="intent" value="decline-change" />
                  <input type="hidden" name="requestId" value={change.id} />
                  <div className="field">
                    <label htmlFor={`note-${change.id}`}>{t("studio.changes.note")}</label>
                    <textarea id={`note-${change.id}`} name="note" rows={2} maxLength={2000} />
                  </div>
                  <button type="submit" className="button-secondary">
                    {t("studio.changes.decline")}
                  </button>
                </Form>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
