// One decision's answers as a bar chart that is also a data table: each row names the choice,
// its count and share in text, then draws the bar. The expert's choice and critical choices carry
// a text label (with an icon), never colour alone.
import { useTranslation } from "~/i18n/react";
import type { AnalyticsView } from "~/models/analytics.server";
import { Bar } from "./bar";
import { TableScroll } from "./table-scroll";

type Decision = AnalyticsView["decisions"][number];

export function ChoiceChart({ decision }: { decision: Decision }) {
  const { t } = useTranslation();
  const expertLabel = decision.onExpertPath ? t("analytics.choices.expert") : t("analytics.choices.bestFromHere");
  const caption = t("analytics.choices.caption", { number: decision.number });
  return (
    <TableScroll label={caption}>
      <table className="chart-table choice-chart">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("analytics.choices.choice")}</th>
            <th scope="col" className="num">
              {t("analytics.choices.count")}
            </th>
            <th scope="col" className="num">
              {t("analytics.choices.share")}
            </th>
            <th scope="col" className="chart-col">
              <span className="visually-hidden">{t("analytics.choices.chart")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {decision.choices.map((c) => (
            <tr key={c.choiceId} className={c.expert ? "is-expert" : undefined}>
              <th scope="row">
                <span className="choice-label">{c.label}</span>
                {c.expert ? (
                  <span className="marker marker-expert">
                    <span aria-hidden="true">★ </span>
                    {expertLabel}
                  </span>
                ) : null}
                {c.critical ? (
                  <span className="marker marker-critical">
                    <span aria-hidden="true">⚠ </span>
                    {t("analytics.choices.critical")}
                  </span>
                ) : null}
              </th>
              <td className="num">{c.countText}</td>
              <td className="num">{c.shareText}</td>
              <td className="chart-col">
                {typeof c.share === "number" ? (
                  <Bar fraction={c.share} tone={c.expert ? "expert" : c.critical ? "critical" : "default"} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
