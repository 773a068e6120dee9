// A wide table stays readable on a narrow screen: it scrolls sideways inside this region (data
// tables are two-dimensional, so WCAG's reflow criterion lets them), and the region can be focused
// and scrolled with the keyboard.
import type { ReactNode } from "react";

export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
