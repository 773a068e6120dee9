import { useTranslation } from "~/i18n/react";
import type { AuditRow } from "~/models/studio-audit.server";

/** The subject's history, newest first. The log itself is append-only in the database. */
export function AuditLog({ entries }: { entries: AuditRow[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">{t("studio.audit.heading")}</h2>
      {entries.length === 0 ? (
        <p>{t("studio.audit.empty")}</p>
      ) : (
        <table className="audit-log">
          <thead>
            <tr>
              <th scope="col">{t("studio.audit.when")}</th>
              <th scope="col">{t("studio.audit.who")}</th>
              <th scope="col">{t("studio.audit.what")}</th>
              <th scope="col">{t("studio.audit.detail")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{e.at}</td>
                <td>{e.actor ?? t("studio.audit.system")}</td>
                <td>{e.knownAction ? t(`studio.audit.actions.${e.knownAction}`) : e.action}</td>
                <td>
                  {e.version !== null ? (
                    <span className="block">{t("studio.list.versionShort", { version: e.version })}</span>
                  ) : null}
                  {e.label ? <span className="block">{e.label}</span> : null}
                  {e.publishAt ? (
                    <span className="block">{t("studio.audit.publishAt", { date: e.publishAt })}</span>
                  ) : null}
                  {e.fromVersion !== null ? (
                    <span className="block">{t("studio.audit.fromVersion", { version: e.fromVersion })}</span>
                  ) : null}
                  {e.upload ? <span className="block">{t("studio.audit.upload", { file: e.upload })}</span> : null}
                  {e.versions ? (
                    <span className="block">{t("studio.audit.versions", { versions: e.versions })}</span>
                  ) : null}
                  {e.note ? <q className="block">{e.note}</q> : null}
                  {e.message ? <span className="block">{e.message}</span> : null}
                  {e.changes.length > 0 ? (
                    <ul className="plain-list">
                      {e.changes.map((c, i) => (
                        <li key={i}>
                          <code>{c}</code>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
