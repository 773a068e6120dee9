import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { clauseChanges } from "~/engine";
import { baseCatalog, mutateCatalog } from "~/engine/test-fixtures";
import type { Locale } from "~/i18n";
import { TranslationProvider } from "~/i18n/react";
import { CatalogImpact } from "./catalog-impact";

/** The list's text as a reader of `locale` sees it, for the clauses `change` alters in the base catalog. */
function impactText(locale: Locale, change: Parameters<typeof mutateCatalog>[0]): string {
  const changes = clauseChanges(baseCatalog(), mutateCatalog(change));
  const html = renderToStaticMarkup(
    <TranslationProvider locale={locale}>
      <CatalogImpact impact={{ changes, cases: [], otherCases: 0 }} />
    </TranslationProvider>,
  );
  return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

describe("CatalogImpact", () => {
  it("names the language of a title changed only in the other one, instead of “X” → “X”", () => {
    const frenchOnly: Parameters<typeof mutateCatalog>[0] = (c) => {
      c.items[0].items[0].title.fr = "Documenter (nouveau)";
    };
    const english = impactText("en", frenchOnly);
    expect(english).toContain("1.1 French title changed: “Document (fr)” → “Documenter (nouveau)”.");
    expect(english).not.toContain("“Document” → “Document”"); // the English title did not change
    expect(impactText("fr", frenchOnly)).toContain("1.1 Titre modifié : « Document (fr) » → « Documenter (nouveau) ».");
  });

  it("gives the reader's own language first when a title changed in both", () => {
    const both = impactText("fr", (c) => {
      c.items[0].items[0].title = { en: "Record", fr: "Consigner" };
    });
    expect(both).toContain(
      "1.1 Titre modifié : « Document (fr) » → « Consigner ». Titre en anglais modifié : « Document » → « Record ».",
    );
  });

  it("says which language's text changed when it is not the reader's", () => {
    const text = (locale: Locale) =>
      impactText(locale, (c) => {
        c.items[1].text = { ...c.items[1].text, en: "Keep clear professional boundaries." };
      });
    expect(text("fr")).toContain("2 Texte modifié en anglais.");
    expect(text("en")).toContain("2 Text changed.");
  });
});
