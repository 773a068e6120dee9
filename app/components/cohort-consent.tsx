import { useTranslation } from "~/i18n/react";

/**
 * What joining a cohort means, said before the learner accepts (the invitation link and the mailed
 * invitation): what the educator will see, what they will not, and that leaving is always possible.
 */
export function ConsentText() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="consent-heading">
      <h2 id="consent-heading">{t("educator.invite.consentTitle")}</h2>
      <ul>
        <li>{t("educator.invite.consentSees")}</li>
        <li>{t("educator.invite.consentNot")}</li>
        <li>{t("educator.invite.consentLeave")}</li>
      </ul>
    </section>
  );
}
