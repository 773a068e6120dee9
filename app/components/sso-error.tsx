import { Link } from "@remix-run/react";
import { FormAlert } from "~/components/field";
import { useTranslation } from "~/i18n/react";

/** Why a sign-in through a registrant portal did not open a session, and the ways on from there. */
export function SsoError({ message, retry }: { message: string; retry: string | null }) {
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <h1>{t("sso.errorTitle")}</h1>
      <FormAlert message={message} />
      <p>
        {retry ? (
          <>
            <a href={retry}>{t("sso.tryAgain")}</a> ·{" "}
          </>
        ) : null}
        <Link to="/login">{t("sso.backToLogin")}</Link>
      </p>
    </section>
  );
}
