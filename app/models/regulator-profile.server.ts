// A regulator profile uploaded in the admin area: checked the way `cases:check` checks the file in
// cases/regulators/ (the engine's validateRegulator and validateLogo), compared with the current
// version, and kept with its logo for the second person who approves it (change-request.server.ts).
import {
  pointerLocator,
  profileChanges,
  regulatorProfileSchema,
  validateLogo,
  validateRegulator,
  type Diagnostic,
  type ProfileChange,
  type RegulatorProfile,
} from "~/engine";
import { getDb } from "~/utils/db.server";
import { scopeFilter, type RegulatorScope } from "~/utils/roles";
import { profileVersionHash } from "./content.server";
import { getRegulator } from "./regulator.server";

/** What the admin uploads: the profile's JSON and, when it names one, its logo image. */
export type ProfileUpload = { file: string; text: string; logo?: Uint8Array };

/** A profile that validated, with the logo it will be published with (uploaded, or the current one kept). */
export type CheckedProfile = {
  file: string;
  text: string;
  profile: RegulatorProfile;
  logo?: { type: string; bytes: Uint8Array };
};

export type ProfileCheck =
  { ok: true; value: CheckedProfile } | { ok: false; code: "invalid"; diagnostics: Diagnostic[] };

/** The current version's logo bytes, to keep when a new profile names a logo but comes without the file. */
async function currentLogo(id: string): Promise<Uint8Array | null> {
  const row = await getDb().regulatorVersion.findFirst({
    where: { regulatorId: id },
    orderBy: { sequence: "desc" },
    select: { logo: true },
  });
  return row?.logo ? new Uint8Array(row.logo) : null;
}

/**
 * Validates an uploaded profile and its logo. A profile that names a logo and comes without the image
 * keeps the current version's; an image sent with a profile that names none is an error (it would be
 * dropped without a word).
 */
export async function checkProfileUpload(upload: ProfileUpload): Promise<ProfileCheck> {
  const { file, text } = upload;
  const result = validateRegulator({ file, text });
  if (!result.profile) return { ok: false, code: "invalid", diagnostics: result.diagnostics };
  const { profile } = result;
  const locate = pointerLocator(text);
  const at = (d: Diagnostic): Diagnostic => ({ ...d, ...(locate?.(d.path) ?? {}) });
  if (profile.logo === undefined) {
    if (upload.logo) {
      const message =
        'an image was sent but the profile names no logo: add "logo": "<file name>" to the profile, or send no image';
      return { ok: false, code: "invalid", diagnostics: [{ severity: "error", file, path: "", message }] };
    }
    return { ok: true, value: { file, text, profile } };
  }
  const bytes = upload.logo ?? (await currentLogo(profile.id));
  if (!bytes) {
    const message = `${profile.logo}: choose the logo image too (this regulator has no logo yet), or remove \`logo\``;
    return { ok: false, code: "invalid", diagnostics: [at({ severity: "error", file, path: "/logo", message })] };
  }
  const checked = validateLogo({ file, logo: profile.logo, bytes });
  if (!checked.image) return { ok: false, code: "invalid", diagnostics: checked.diagnostics.map(at) };
  return { ok: true, value: { file, text, profile, logo: { type: checked.image.type, bytes } } };
}

/** The version the profile is identical to (same content and logo), if it is the current one. */
export async function unchangedVersion(checked: CheckedProfile): Promise<number | null> {
  const latest = await getDb().regulatorVersion.findFirst({
    where: { regulatorId: checked.profile.id },
    orderBy: { sequence: "desc" },
    select: { sequence: true, contentHash: true },
  });
  const { hash } = profileVersionHash(checked.profile, checked.logo?.bytes);
  return latest?.contentHash === hash ? latest.sequence : null;
}

/** What a waiting profile would change, field by field, and whether its logo is a new image. */
export async function profileChangeSummary(
  checked: CheckedProfile,
): Promise<{ fields: ProfileChange[]; logo: "same" | "new" | "removed" | "none" }> {
  const current = await getRegulator(checked.profile.id);
  const before = await currentLogo(checked.profile.id);
  const after = checked.logo?.bytes ?? null;
  const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
  const logo = !before && !after ? "none" : !after ? "removed" : before && sameBytes(before, after) ? "same" : "new";
  // The logo's file name is only where the image came from: the image itself is compared above.
  const fields = profileChanges(current, checked.profile).filter((c) => c.path !== "/logo");
  return { fields, logo };
}

/** Every version of a regulator's profile, newest first, with who published it (null: the command line). */
export async function listProfileVersions(id: string) {
  const db = getDb();
  const versions = await db.regulatorVersion.findMany({
    where: { regulatorId: id },
    orderBy: { sequence: "desc" },
    select: { sequence: true, importedAt: true, logoHash: true },
  });
  const audit = await db.auditEntry.findMany({
    where: { subject: `regulator:${id}`, action: "regulator_published" },
    select: { actorId: true, detail: true },
  });
  const actors = new Map<number, string | null>();
  for (const entry of audit) {
    const version = (JSON.parse(entry.detail) as { version?: number }).version;
    if (typeof version === "number") actors.set(version, entry.actorId);
  }
  const users = await db.user.findMany({
    where: { id: { in: [...actors.values()].filter((v): v is string => Boolean(v)) } },
    select: { id: true, name: true },
  });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return versions.map((v) => {
    const actor = actors.get(v.sequence);
    return { ...v, publishedBy: actor ? (names.get(actor) ?? null) : null };
  });
}

/** The file of one version exactly as it was uploaded or imported; null when there is no such version. */
export async function profileVersionSource(id: string, sequence: number): Promise<string | null> {
  const row = await getDb().regulatorVersion.findUnique({
    where: { regulatorId_sequence: { regulatorId: id, sequence } },
    select: { source: true },
  });
  return row?.source ?? null;
}

/** The regulators in scope with their current version: what the admin area lists. */
export async function listProfilesInScope(adminScope: RegulatorScope) {
  const rows = await getDb().regulatorVersion.findMany({
    where: { regulatorId: scopeFilter(adminScope) },
    orderBy: [{ regulatorId: "asc" }, { sequence: "desc" }],
    distinct: ["regulatorId"],
    select: { regulatorId: true, sequence: true, importedAt: true, content: true },
  });
  return rows.map((row) => ({
    id: row.regulatorId,
    sequence: row.sequence,
    importedAt: row.importedAt,
    profile: regulatorProfileSchema.parse(JSON.parse(row.content)),
  }));
}
