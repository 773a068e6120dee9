import { useTranslation } from "~/i18n/react";
import type { DraftStatus, VersionStatus } from "~/models/studio.server";

const SYMBOLS: Record<DraftStatus | VersionStatus, string> = {
  editing: "✎",
  rejected: "↩",
  in_review: "⧗",
  approved: "✓",
  scheduled: "◷",
  published: "●",
  retired: "⊘",
};

/** A status as text with a symbol; the colour only repeats what the words say. */
export function StatusBadge({ status }: { status: DraftStatus | VersionStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${status}`}>
      <span aria-hidden="true">{SYMBOLS[status]} </span>
      {t(`studio.status.${status}`)}
    </span>
  );
}
