// The header's branding: the regulator in context (a case's pages and certificate verification name
// the case's regulator; other pages the signed-in person's home regulator), or Vignette alone.
// A route that speaks for a regulator exports `handle = brandHandle` and returns `brand: PageBrand | null`
// from its loader; the root loader gives the person's. Loader data, so it is in the server's HTML.
import { Link, useMatches } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";

/** What the header shows of a regulator (models/regulator-brand.server.ts pageBrand). */
export type PageBrand = {
  name: string;
  colour: string | null;
  logo: { url: string; width: number; height: number } | null;
};

/** The `handle` of a route whose loader returns `brand`: its regulator brands the header. */
export const brandHandle = { brand: true } as const;

/** The logo's height in the header, in CSS pixels: its width is scaled to match, so nothing shifts. */
export const LOGO_HEIGHT = 32;

/** The brand of the deepest route that speaks for a regulator, else the one given (the person's). */
export function usePageBrand(fallback: PageBrand | null | undefined): PageBrand | null {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const match = matches[i]!;
    const handle = match.handle as { brand?: boolean } | undefined;
    const data = match.data as { brand?: PageBrand | null } | undefined;
    if (handle?.brand && data && "brand" in data) return data.brand ?? null;
  }
  return fallback ?? null;
}

export function SiteBrand({ brand }: { brand: PageBrand | null }) {
  const { t } = useTranslation();
  return (
    <div className="site-brand">
      <Link to="/" className="brand">
        {t("app.name")}
      </Link>
      {brand ? (
        <span className="regulator-brand">
          {brand.logo ? (
            <img
              src={brand.logo.url}
              alt={brand.name}
              height={LOGO_HEIGHT}
              width={Math.max(1, Math.round((brand.logo.width * LOGO_HEIGHT) / brand.logo.height))}
            />
          ) : null}
          {/* With a logo, its alt text already names the regulator to assistive technology. */}
          <span className="regulator-name" aria-hidden={brand.logo ? true : undefined}>
            {brand.name}
          </span>
        </span>
      ) : null}
    </div>
  );
}

/**
 * The regulator's colour as a rule under the header: an SVG fill (the CSP refuses inline styles),
 * decorative only, so the colour never carries text (its contrast on white is checked at import).
 */
export function BrandRule({ brand }: { brand: PageBrand | null }) {
  if (!brand?.colour) return null;
  return (
    <svg className="brand-rule" aria-hidden="true" focusable="false" viewBox="0 0 100 4" preserveAspectRatio="none">
      <rect width="100" height="4" fill={brand.colour} />
    </svg>
  );
}
