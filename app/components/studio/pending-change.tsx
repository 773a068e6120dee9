// A change waiting for a second person (models/change-request.server.ts): who asked and when, and
// for anyone else the approve and send-back forms; for the asker, withdraw.
import { Form } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { IntentButton } from "~/components/intent-button";
import { useTranslation } from "~/i18n/react";
import { CatalogImpact, type CatalogImpactView } from "./catalog-impact";

export type PendingChangeView = {
  id: string;
  kind: "catalog_publish" | "case_retire" | "regulator_profile";
  subject: string;
  requestedBy: string | null;
  requestedAt: string;
  mine: boolean;
  /** Whether this person may approve or send it back (a reviewer of its regulator, not the asker). */
  mayDecide?: boolean;
  /** A catalog version's: what it changes for the cases scored against it, shown before anyone decides. */
  impact?: CatalogImpactView | null;
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
            {change.impact ? <CatalogImpact impact={change.impact} /> : null}
            {change.mine ? (
              <>
                <p>{t("studio.changes.mine")}</p>
                <IntentButton intent="decline-change" fields={{ requestId: change.id }} className="button-secondary">
                  {t("studio.changes.withdraw")}
                </IntentButton>
              </>
            ) : change.mayDecide === false ? (
              <p className="muted">{t("studio.changes.reviewersOnly")}</p>
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

const DECIDED = ["approved", "rejected", "withdrawn"] as const;

/** What the page says after a decision it redirected with (`?decided=approved|rejected|withdrawn`). */
export function DecisionNotice({ decided }: { decided: string | null }) {
  const { t } = useTranslation();
  const done = DECIDED.find((d) => d === decided);
  return done ? (
    <p role="status" className="notice">
      ✓ {t(`studio.changes.done.${done}`)}
    </p>
  ) : null;
}
