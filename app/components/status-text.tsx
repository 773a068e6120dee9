import { useTranslation } from "~/i18n/react";

export type StatusName = "not_started" | "in_progress" | "passed" | "failed" | "overdue" | "late";

/** A status in words (colour only adds to the text, never replaces it). */
export function StatusText({ status }: { status: StatusName }) {
  const { t } = useTranslation();
  return <span className={`status status-${status}`}>{t(`educator.status.${status}`)}</span>;
}
