// A horizontal bar drawn in SVG. Its length is an SVG presentation attribute, not a style (the CSP
// forbids inline styles); colours come from public/analytics.css. Decorative: the table cell beside
// it always says the same thing in text.
export type BarTone = "default" | "expert" | "critical";

export function Bar({ fraction, tone = "default" }: { fraction: number; tone?: BarTone }) {
  const width = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) * 100 : 0;
  return (
    <svg
      className={`bar bar-${tone}`}
      viewBox="0 0 100 10"
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <rect className="bar-track" x="0" y="0" width="100" height="10" />
      <rect className="bar-fill" x="0" y="0" width={width.toFixed(2)} height="10" />
    </svg>
  );
}
