import { useTranslation } from "~/i18n/react";

const SYMBOLS: Record<string, string> = {
  editing: "✎",
  rejected: "↩",
  in_review: "⧗",
  approved: "✓",
  scheduled: "◷",
  published: "●",
  retired: "⊘",
};

/** A status as text with a symbol; the colour only repeats what the words say. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${status}`}>
      <span aria-hidden="true">{SYMBOLS[status] ?? "•"} </span>
      {t(`studio.status.${status}`, { defaultValue: status })}
    </span>
  );
}
