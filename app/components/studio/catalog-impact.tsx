// What a proposed catalog version changes for the cases scored against it
// (models/catalog-impact.server.ts): the clauses removed or changed, then each case or open draft
// with the choices that score them. Lists, not a table, so it reflows on a narrow screen.
import { Link } from "@remix-run/react";
import { useId } from "react";
import type { AffectedChoice, CaseImpact, ClauseChange } from "~/engine";
import { intlLocale, localized, type Locale, type Translate } from "~/i18n";
import { useTranslation } from "~/i18n/react";

export type CatalogImpactView = {
  changes: ClauseChange[];
  cases: CaseImpact[];
  otherCases: number;
};

function ChangeText({ change }: { change: ClauseChange }) {
  const { t, locale } = useTranslation();
  const parts: string[] = [];
  if (change.kinds.includes("removed")) {
    parts.push(t("studio.impact.removed", { title: localized(change.oldTitle, locale) }));
    if (change.renamedTo) parts.push(t("studio.impact.renamed", { code: change.renamedTo }));
  }
  // The reader's own language first; another language is named, so a French-only retitle does not
  // read "Title changed: “X” → “X”" in English.
  for (const changed of ownFirst(change.titleIn ?? [], locale)) {
    const titles = { from: change.oldTitle[changed] ?? "", to: change.newTitle?.[changed] ?? "" };
    parts.push(
      changed === locale
        ? t("studio.impact.title", titles)
        : t("studio.impact.titleIn", { ...titles, language: languageName(changed, locale) }),
    );
  }
  const textIn = change.textIn ?? [];
  if (textIn.length > 0) {
    parts.push(
      textIn.includes(locale)
        ? t("studio.impact.text")
        : t("studio.impact.textIn", { language: textIn.map((l) => languageName(l, locale)).join(", ") }),
    );
  }
  if (change.moved) {
    const place = (code: string) => code || t("studio.impact.topLevel");
    parts.push(t("studio.impact.moved", { from: place(change.moved.from), to: place(change.moved.to) }));
  }
  const removed = change.kinds.includes("removed");
  return (
    <>
      {removed ? <strong className="flag">⚠ </strong> : null}
      {parts.join(" ")}
    </>
  );
}

function ownFirst(changed: Locale[], locale: Locale): Locale[] {
  return [...changed].sort((a, b) => Number(b === locale) - Number(a === locale));
}

function languageName(language: Locale, locale: Locale): string {
  return new Intl.DisplayNames(intlLocale(locale), { type: "language" }).of(language) ?? language;
}

function caseHeading(impact: CaseImpact, t: Translate): string {
  if ("version" in impact.ref) return t("studio.impact.version", { slug: impact.slug, version: impact.ref.version });
  return impact.slug ? t("studio.impact.draft", { slug: impact.slug }) : t("studio.impact.untitledDraft");
}

function caseHref(impact: CaseImpact): string {
  return "version" in impact.ref
    ? `/studio/cases/${encodeURIComponent(impact.slug)}`
    : `/studio/drafts/${encodeURIComponent(impact.ref.draftId)}`;
}

const signed = (points: number, locale: Locale) =>
  new Intl.NumberFormat(intlLocale(locale), { signDisplay: "exceptZero" }).format(points);

function ChoiceLine({ choice }: { choice: AffectedChoice }) {
  const { t, locale } = useTranslation();
  const label = localized(choice.label, locale);
  const where = { node: choice.nodeId, choice: choice.choiceId };
  const what = label ? t("studio.impact.choiceLabelled", { ...where, label }) : t("studio.impact.choiceIn", where);
  const points = t("studio.impact.points", { points: signed(choice.points, locale), key: choice.change.key });
  return (
    <li>
      {`${what} · ${points} · `}
      <ChangeText change={choice.change} />
    </li>
  );
}

/** The impact list, under an h3 (it sits in a section of the page). */
export function CatalogImpact({ impact }: { impact: CatalogImpactView }) {
  const { t } = useTranslation();
  const headingId = useId();
  const scoresRemoved = impact.cases.some((c) => c.choices.some((choice) => choice.change.kinds.includes("removed")));
  return (
    <section className="catalog-impact" aria-labelledby={headingId}>
      <h3 id={headingId}>{t("studio.impact.heading")}</h3>
      {impact.changes.length === 0 ? (
        <p>{t("studio.impact.none")}</p>
      ) : (
        <>
          <p>{t("studio.impact.clauses", { count: impact.changes.length })}</p>
          <ul>
            {impact.changes.map((change) => (
              <li key={change.key}>
                <code>{change.code}</code> <ChangeText change={change} />
              </li>
            ))}
          </ul>
          {scoresRemoved ? (
            <p className="flag" role="note">
              ⚠ {t("studio.impact.removedWarning")}
            </p>
          ) : null}
          {impact.cases.length === 0 ? (
            <p>{t("studio.impact.noCases")}</p>
          ) : (
            <>
              <p>{t("studio.impact.cases", { count: impact.cases.length })}</p>
              <ul>
                {impact.cases.map((c) => (
                  <li key={"version" in c.ref ? `v:${c.slug}` : `d:${c.ref.draftId}`}>
                    <Link to={caseHref(c)}>{caseHeading(c, t)}</Link>
                    <ul>
                      {c.choices.map((choice, i) => (
                        <ChoiceLine key={`${i}:${choice.change.key}`} choice={choice} />
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </>
          )}
          {impact.otherCases > 0 ? <p>{t("studio.impact.others", { count: impact.otherCases })}</p> : null}
        </>
      )}
    </section>
  );
}
