// The best and worst totals the scorer finds for the case as it stands, clause by clause.
import { useMemo } from "react";
import type { CaseAnalysis, CaseValue, Catalog } from "~/engine";
import { useTranslation } from "~/i18n/react";
import { formatPercent } from "~/utils/format";
import { clauseOptions } from "./case-reading";

export function ScoringSummary({
  analysis,
  value,
  catalogs,
}: {
  analysis: CaseAnalysis | undefined;
  value: CaseValue;
  catalogs: readonly Catalog[];
}) {
  const { t, locale } = useTranslation();
  const titles = useMemo(
    () => new Map(clauseOptions(value, catalogs, locale).map((o) => [o.key, o.title])),
    [value, catalogs, locale],
  );
  const passMark = typeof value.passMark === "number" ? value.passMark : null;
  return (
    <section aria-labelledby="scoring-heading" className="panel scoring-summary">
      <h2 id="scoring-heading">{t("editor.scoring.heading")}</h2>
      {!analysis ? (
        <p role="status">{t("editor.scoring.unavailable")}</p>
      ) : (
        <div role="status">
          <p>
            {t("editor.scoring.totals", {
              best: analysis.bestTotal,
              worst: analysis.worstTotal,
              decisions: analysis.decisionCount,
            })}{" "}
            {passMark !== null
              ? t("editor.scoring.passMark", {
                  mark: formatPercent(passMark, locale),
                  points: Math.ceil(passMark * analysis.bestTotal * 100) / 100,
                })
              : null}
          </p>
          {!analysis.hasCleanPath ? <p className="flag">✕ {t("editor.scoring.noCleanPath")}</p> : null}
          {analysis.items.length > 0 ? (
            <div className="table-scroll">
              <table>
                <caption>{t("editor.scoring.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("editor.scoring.clause")}</th>
                    <th scope="col">{t("editor.scoring.best")}</th>
                    <th scope="col">{t("editor.scoring.worst")}</th>
                  </tr>
                </thead>
                <tbody>
                  {analysis.items.map((item) => (
                    <tr key={item}>
                      <th scope="row">
                        {item} {titles.get(item) ? `— ${titles.get(item)}` : ""}
                      </th>
                      <td>{analysis.best[item] ?? 0}</td>
                      <td>{analysis.worst[item] ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>{t("editor.scoring.nothingScored")}</p>
          )}
        </div>
      )}
    </section>
  );
}
