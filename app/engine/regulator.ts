/** Rules a regulator's profile sets for the people who register with it. Pure: no I/O. */
import type { RegulatorProfile } from "./schema";

/** Whether a registration number has the form the profile asks for (a whole match; any without a pattern). */
export function registrationMatches(profile: Pick<RegulatorProfile, "registration">, number: string): boolean {
  const pattern = profile.registration?.pattern;
  return pattern === undefined || new RegExp(`^(?:${pattern})$`, "u").test(number);
}
