// The pages shown for a draft and for a published version alike (preview, graph, translations).
import { Form, Link } from "@remix-run/react";
import { CaseImage } from "~/components/case-image";
import { Markdown } from "~/components/markdown";
import { useTranslation } from "~/i18n/react";
import type { TargetHeader } from "~/models/studio-pages.server";
import type { PreviewModel, TextRow, scoringReport, simulatePath } from "~/models/studio-view.server";
import type { CaseImageView } from "~/utils/case-image-view";
import { CaseGraph, type GraphPicture } from "./case-graph";
import { TargetHeading } from "./target-nav";

function NotPlayable({ header }: { header: TargetHeader }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="alert">
      {t("studio.preview.invalid", { count: header.errorCount })}{" "}
      {header.draftId ? <Link to={header.base}>{t("studio.preview.fixErrors")}</Link> : null}
    </div>
  );
}

export function GraphPage({
  header,
  picture,
  busy = false,
}: {
  header: TargetHeader;
  picture: GraphPicture | null;
  /** The layout pool was full: nothing to draw yet (the answer is 503 with Retry-After). */
  busy?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <section className="studio">
      <TargetHeading header={header} page={t("studio.graph.title")} />
      {busy ? (
        <p role="alert" className="alert">
          {t("studio.graph.busy")}
        </p>
      ) : picture ? (
        <CaseGraph picture={picture} />
      ) : (
        <p role="alert" className="alert">
          {t("studio.graph.unavailable")}
        </p>
      )}
    </section>
  );
}

export function TranslationsPage({
  header,
  rows,
  locales,
}: {
  header: TargetHeader;
  rows: TextRow[];
  locales: string[];
}) {
  const { t } = useTranslation();
  const missing = rows.filter((r) => r.missing.length > 0).length;
  const identical = rows.filter((r) => r.identical).length;
  return (
    <section className="studio">
      <TargetHeading header={header} page={t("studio.translations.title")} />
      <p role="status" className={missing > 0 ? "diag-summary diag-summary-error" : "diag-summary diag-summary-ok"}>
        {missing > 0
          ? `✕ ${t("studio.translations.missingCount", { count: missing })}`
          : `✓ ${t("studio.translations.complete")}`}
        {identical > 0 ? ` · ⚠ ${t("studio.translations.identicalCount", { count: identical })}` : ""}
      </p>
      <p className="muted">{t("studio.translations.locales", { locales: locales.join(", ") })}</p>
      <table className="translations">
        <caption className="visually-hidden">{t("studio.translations.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("studio.translations.where")}</th>
            <th scope="col" lang="en">
              English
            </th>
            <th scope="col" lang="fr">
              Français
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.path} className={row.missing.length > 0 ? "row-missing" : undefined}>
              <th scope="row">
                {row.node ? <code>{row.node}</code> : null} <span className="block">{row.field}</span>
                {row.identical ? <strong className="flag block">⚠ {t("studio.translations.identical")}</strong> : null}
              </th>
              {(["en", "fr"] as const).map((l) => (
                <td key={l} lang={l}>
                  {row.missing.includes(l) ? (
                    <strong className="flag">✕ {t("studio.translations.missing")}</strong>
                  ) : (
                    <span className="pre-wrap">{row[l] ?? ""}</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type Report = ReturnType<typeof scoringReport>;
type Simulation = ReturnType<typeof simulatePath>;

function ScoringReport({ report }: { report: Report }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="report-heading" className="panel">
      <h2 id="report-heading">{t("studio.report.heading")}</h2>
      <dl className="facts report-facts">
        <div>
          <dt>{t("studio.report.bestTotal")}</dt>
          <dd>{report.bestTotal}</dd>
        </div>
        <div>
          <dt>{t("studio.report.worstTotal")}</dt>
          <dd>{report.worstTotal}</dd>
        </div>
        <div>
          <dt>{t("studio.report.passMark")}</dt>
          <dd>{report.passMark}</dd>
        </div>
        <div>
          <dt>{t("studio.report.decisions")}</dt>
          <dd>{report.decisionCount}</dd>
        </div>
        <div>
          <dt>{t("studio.report.longestPath")}</dt>
          <dd>{report.longestPath}</dd>
        </div>
      </dl>
      {!report.hasCleanPath ? <p className="flag">✕ {t("studio.report.noCleanPath")}</p> : null}
      <h3>{t("studio.report.expertPath")}</h3>
      <ol>
        {report.expertPath.map((step) => (
          <li key={step.nodeId}>
            <code>
              {step.nodeId}={step.choiceId}
            </code>{" "}
            — {step.prompt} → <strong>{step.label}</strong>
          </li>
        ))}
      </ol>
      <h3>{t("studio.report.perStandard")}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("studio.report.standard")}</th>
            <th scope="col">{t("studio.report.best")}</th>
            <th scope="col">{t("studio.report.worst")}</th>
          </tr>
        </thead>
        <tbody>
          {report.standards.map((s) => (
            <tr key={s.item}>
              <th scope="row">{s.label}</th>
              <td>{s.best}</td>
              <td>{s.worst}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t("studio.report.outcomes")}</h3>
      <ul className="plain-list">
        {report.outcomes.map((o) => (
          <li key={o.id}>
            <code>{o.id}</code> — {o.title}:{" "}
            {o.passable ? (
              `✓ ${t("studio.report.passable", { score: o.bestScore })}`
            ) : (
              <strong className="flag">✕ {t("studio.report.notPassable")}</strong>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function SimulateForm({
  report,
  chosen,
  simulation,
  action,
}: {
  report: Report;
  chosen: Record<string, string>;
  simulation: Simulation | null;
  action: string;
}) {
  const { t } = useTranslation();
  const expertQuery = new URLSearchParams([
    ["simulate", "1"],
    ...report.expertPath.map((s) => [`c.${s.nodeId}`, s.choiceId] as [string, string]),
  ]);
  return (
    <section aria-labelledby="simulate-heading" className="panel">
      <h2 id="simulate-heading">{t("studio.simulate.heading")}</h2>
      <p>{t("studio.simulate.intro")}</p>
      <p>
        <Link to={`${action}?${expertQuery.toString()}#simulate-heading`}>{t("studio.simulate.expert")}</Link>
      </p>
      <Form method="get" action={`${action}#simulate-result`} className="simulate-form">
        <input type="hidden" name="simulate" value="1" />
        {report.decisions.map((decision) => (
          <div className="field" key={decision.id}>
            <label htmlFor={`c-${decision.id}`}>
              <code>{decision.id}</code> — {decision.prompt}
            </label>
            <select id={`c-${decision.id}`} name={`c.${decision.id}`} defaultValue={chosen[decision.id] ?? ""}>
              <option value="">{t("studio.simulate.none")}</option>
              {decision.choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.id} — {c.label}
                </option>
              ))}
            </select>
          </div>
        ))}
        <button type="submit">{t("studio.simulate.submit")}</button>
      </Form>
      {simulation ? (
        <div id="simulate-result" role="status" className="simulation" tabIndex={-1}>
          {simulation.ok ? (
            <>
              <h3>{t("studio.simulate.result")}</h3>
              <p className={simulation.passed ? "result result-pass" : "result result-fail"}>
                <strong>
                  {simulation.passed ? `✓ ${t("studio.simulate.passed")}` : `✕ ${t("studio.simulate.failed")}`}
                </strong>{" "}
                —{" "}
                {t("studio.simulate.score", {
                  score: simulation.score,
                  total: simulation.total,
                  best: simulation.bestTotal,
                })}
              </p>
              <p>
                {simulation.reason === "critical-choice"
                  ? t("studio.simulate.reasonCritical", { choices: simulation.critical.join("; ") })
                  : simulation.reason === "below-pass-mark"
                    ? t("studio.simulate.reasonBelow", { passMark: report.passMark })
                    : t("studio.simulate.reasonPassed", { passMark: report.passMark })}
              </p>
              <h4>{t("studio.simulate.walked")}</h4>
              <ol>
                {simulation.steps.map((s) => (
                  <li key={s.nodeId}>
                    <code>{s.nodeId}</code> ({t(`studio.graph.kind.${s.kind}`)}) {s.text}
                    {s.choice ? (
                      <>
                        {" "}
                        → <strong>{s.choice}</strong>
                      </>
                    ) : null}
                  </li>
                ))}
              </ol>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("studio.report.standard")}</th>
                    <th scope="col">{t("studio.simulate.earned")}</th>
                    <th scope="col">{t("studio.report.best")}</th>
                  </tr>
                </thead>
                <tbody>
                  {simulation.earned.map((e) => (
                    <tr key={e.item}>
                      <th scope="row">{e.label}</th>
                      <td>{e.earned}</td>
                      <td>{e.best}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p role="alert" className="alert">
              {t("studio.simulate.impossible", { node: simulation.error.nodeId })}{" "}
              <code>{simulation.error.message}</code>
            </p>
          )}
        </div>
      ) : null}
    </section>
  );
}

export type PreviewPageData = {
  preview: PreviewModel;
  report: Report;
  chosen: Record<string, string>;
  simulate: Simulation | null;
  locales: string[];
} | null;

export function PreviewPage({
  header,
  data,
  image = null,
}: {
  header: TargetHeader;
  data: PreviewPageData;
  /** The node's image in the previewed language (app/components/case-image.tsx). */
  image?: CaseImageView | null;
}) {
  const { t } = useTranslation();
  if (!data) {
    return (
      <section className="studio">
        <TargetHeading header={header} page={t("studio.preview.title")} />
        <NotPlayable header={header} />
      </section>
    );
  }
  const { preview } = data;
  const { node } = preview;
  const action = `${header.base}/preview`;
  return (
    <section className="studio">
      <TargetHeading header={header} page={t("studio.preview.title")} />
      <p className="notice">{t("studio.preview.nothingSaved")}</p>
      {preview.mismatch ? (
        <p role="alert" className="alert">
          {t("studio.preview.mismatch")}
        </p>
      ) : null}
      <div className="preview-tools">
        <Link to={preview.restartHref}>{t("studio.preview.restart")}</Link>
        {data.locales.includes(preview.otherLang) ? (
          <Link to={preview.otherLangHref} lang={preview.otherLang}>
            {t("studio.preview.showIn", { lang: preview.otherLang === "fr" ? "français" : "English" })}
          </Link>
        ) : null}
        <Form method="get" action={action} className="inline-form start-form">
          <label htmlFor="start-at">{t("studio.preview.startFrom")}</label>{" "}
          <select id="start-at" name="from" defaultValue={preview.from}>
            {preview.nodeOptions.map((n) => (
              <option key={n.id} value={n.id}>
                {n.id} ({t(`studio.graph.kind.${n.kind}`)}) {n.text}
              </option>
            ))}
          </select>{" "}
          <input type="hidden" name="lang" value={preview.lang} />
          <button type="submit" className="button-secondary">
            {t("studio.preview.go")}
          </button>
        </Form>
      </div>

      <article className="player preview-player" lang={preview.lang}>
        {!preview.fromStart ? <p className="muted">{t("studio.preview.startedAt", { id: preview.from })}</p> : null}
        {preview.feedback ? (
          <section className="feedback-box" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">{t("play.feedbackHeading")}</h2>
            <p>{t("play.youChose", { label: preview.feedback.label })}</p>
            {preview.feedback.text ? <Markdown>{preview.feedback.text}</Markdown> : null}
          </section>
        ) : null}
        <section className="node" aria-labelledby="node-heading">
          <p className="muted">
            <code>{node.id}</code> · {t(`studio.graph.kind.${node.kind}`)}
          </p>
          <h2 id="node-heading">
            {node.kind === "outcome"
              ? t("play.outcomeTitle", { title: node.title ?? "" })
              : (node.title ?? header.title)}
          </h2>
          <CaseImage image={image} />
          {node.body ? <Markdown>{node.body}</Markdown> : null}
          {node.prompt ? <Markdown>{node.prompt}</Markdown> : null}
          {node.kind === "reflection" ? <p className="muted">{t("studio.preview.reflectionNotSaved")}</p> : null}
          {node.continueHref ? (
            <p>
              <Link to={node.continueHref} className="button">
                {t("play.continue")}
              </Link>
            </p>
          ) : null}
          {node.choices.length > 0 ? (
            <ul className="preview-choices">
              {node.choices.map((c) => (
                <li key={c.id}>
                  <Link to={c.href} className="choice-link">
                    {c.label}
                  </Link>
                  <span className="choice-meta">
                    <code>{c.id}</code> → <code>{c.next}</code>
                    {c.critical ? <strong className="flag"> · ✕ {t("studio.graph.critical")}</strong> : null}
                    {c.effects.map((e) => (
                      <span key={e.item} className="effect">
                        {" "}
                        · {e.points > 0 ? `+${e.points}` : e.points} {e.label}
                      </span>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        {node.kind === "outcome" ? (
          <section aria-labelledby="preview-result-heading" className="debrief">
            <h2 id="preview-result-heading">{t("studio.preview.resultHeading")}</h2>
            {preview.result ? (
              <p className={preview.result.passed ? "result result-pass" : "result result-fail"}>
                <strong>
                  {preview.result.passed ? `✓ ${t("studio.simulate.passed")}` : `✕ ${t("studio.simulate.failed")}`}
                </strong>{" "}
                —{" "}
                {t("studio.simulate.score", {
                  score: preview.result.score,
                  total: preview.result.total,
                  best: preview.result.bestTotal,
                })}
              </p>
            ) : (
              <p>{t("studio.preview.partial", { total: preview.total })}</p>
            )}
          </section>
        ) : null}
      </article>

      {preview.history.length > 0 ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">{t("studio.preview.history")}</h2>
          <ol>
            {preview.history.map((h) => (
              <li key={h.nodeId}>
                {h.prompt} → <strong>{h.label}</strong>
                {h.critical ? <strong className="flag"> · ✕ {t("studio.graph.critical")}</strong> : null}
              </li>
            ))}
          </ol>
          {preview.earned.length > 0 ? (
            <ul className="plain-list">
              {preview.earned.map((e) => (
                <li key={e.item}>
                  {e.label}: {e.points > 0 ? `+${e.points}` : e.points}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      <ScoringReport report={data.report} />
      <SimulateForm report={data.report} chosen={data.chosen} simulation={data.simulate} action={action} />
    </section>
  );
}
