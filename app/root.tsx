import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { useNonce } from "~/components/nonce";
import { BrandRule, SiteBrand, usePageBrand } from "~/components/site-brand";
import { defaultLocale, translator, type Locale, type Translate } from "~/i18n";
import { TranslationProvider, useTranslation } from "~/i18n/react";
import { pageBrand, regulatorBrand } from "~/models/regulator-brand.server";
import { resolveLocale } from "~/utils/locale.server";
import { hasRole } from "~/utils/roles";
import { getCurrentSession } from "~/utils/session.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/styles.css" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  const locale = await resolveLocale(request, session?.user.locale);
  return {
    locale,
    csrf: session?.csrfToken ?? null,
    user: session ? { name: session.user.name, roles: session.user.roles } : null,
    // The person's home regulator brands the pages that belong to no case (cached: no query).
    brand: pageBrand(session ? await regulatorBrand(session.user.regulator) : null, locale),
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

/** What an error page is called: its heading, and its tab title. */
function errorTitle(error: unknown, t: Translate): string {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return status === 404 ? t("app.notFound") : status === 403 ? t("app.forbidden") : t("app.error");
}

// Every page names itself; this is the title of the error pages the root's boundary shows (the
// page's own meta is not used when its loader failed) and of any page without a title of its own.
export const meta: MetaFunction<typeof loader> = ({ data, error }) => [
  { title: error ? `${errorTitle(error, translator(data?.locale ?? defaultLocale))} · Vignette` : "Vignette" },
];

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>("root");
}

function Header({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const data = useRootData();
  const location = useLocation();
  const other: Locale = locale === "en" ? "fr" : "en";
  const here = location.pathname + location.search;
  const brand = usePageBrand(data?.brand);
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <SiteBrand brand={brand} />
      <nav aria-label={t("app.mainNav")}>
        <ul>
          <li>
            <Link to="/cases">{t("nav.cases")}</Link>
          </li>
          {data?.user ? (
            <>
              <li>
                <Link to="/me/transcript">{t("nav.transcript")}</Link>
              </li>
              <li>
                <Link to="/me/account">{t("nav.account")}</Link>
              </li>
              {hasRole(data.user, "author", "reviewer") ? (
                <li>
                  <Link to="/studio">{t("nav.studio")}</Link>
                </li>
              ) : null}
              {hasRole(data.user, "author", "admin") ? (
                <li>
                  <Link to="/analytics">{t("nav.analytics")}</Link>
                </li>
              ) : null}
              {hasRole(data.user, "educator", "author", "admin") ? (
                <li>
                  <Link to="/educator">{t("nav.educator")}</Link>
                </li>
              ) : null}
              {hasRole(data.user, "admin") ? (
                <li>
                  <Link to="/admin/certificates">{t("nav.admin")}</Link>
                </li>
              ) : null}
              {hasRole(data.user, "admin") ? (
                <li>
                  <Link to="/admin/people">{t("people.nav")}</Link>
                </li>
              ) : null}
              {hasRole(data.user, "admin") ? (
                <li>
                  <Link to="/admin/regulators">{t("regulators.nav")}</Link>
                </li>
              ) : null}
              {hasRole(data.user, "registrar", "admin") ? (
                <li>
                  <Link to="/registrar">{t("registrar.nav")}</Link>
                </li>
              ) : null}
            </>
          ) : (
            <>
              <li>
                <Link to="/login">{t("nav.login")}</Link>
              </li>
              <li>
                <Link to="/join">{t("nav.join")}</Link>
              </li>
            </>
          )}
        </ul>
      </nav>
      <div className="header-actions">
        <Form method="post" action="/locale" className="inline-form">
          <CsrfField />
          <input type="hidden" name="locale" value={other} />
          <input type="hidden" name="redirectTo" value={here} />
          <button type="submit" lang={other} aria-label={t("app.switchToLabel")}>
            {t("app.switchTo")}
          </button>
        </Form>
        {data?.user ? (
          <Form method="post" action="/logout" className="inline-form">
            <CsrfField />
            <span className="signed-in">{t("app.signedInAs", { name: data.user.name })}</span>{" "}
            <button type="submit">{t("nav.logout")}</button>
          </Form>
        ) : null}
      </div>
      <BrandRule brand={brand} />
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  const locale: Locale = data?.locale ?? defaultLocale;
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <TranslationProvider locale={locale}>
          <Header locale={locale} />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </TranslationProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = errorTitle(error, t);
  return (
    <section className="error">
      <h1>{title}</h1>
      {status >= 500 ? <p>{t("app.errorBody")}</p> : null}
      <p>
        <Link to="/cases">{t("nav.cases")}</Link>
      </p>
    </section>
  );
}
