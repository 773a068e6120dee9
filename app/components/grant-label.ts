// How the admin area names a role held for a regulator: "Author — College of …".
import type { Translate } from "~/i18n";
import { EVERY_REGULATOR, type Grant } from "~/utils/roles";

/** The grant's label, with the regulator's name from `names` (its id when it has no profile). */
export function grantLabel(t: Translate, grant: Grant, names: ReadonlyMap<string, string>): string {
  return t("people.grant", {
    role: t(`people.roles.${grant.role}`),
    regulator:
      grant.regulator === EVERY_REGULATOR
        ? t("people.everyRegulator")
        : (names.get(grant.regulator) ?? grant.regulator),
  });
}
