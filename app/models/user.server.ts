import { hash, verify } from "@node-rs/argon2";
import type { Locale } from "~/i18n";
import { getDb } from "~/utils/db.server";
import { logEvent } from "~/utils/log.server";
import type { Role } from "~/utils/session.server";

// argon2id with OWASP's minimum recommended parameters (19 MiB, 2 passes): @node-rs/argon2's defaults.
const argonOptions = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions);
}

export type NewUser = {
  email: string;
  name: string;
  password: string;
  registrationNumber: string;
  regulator: string;
  locale: Locale;
  roles?: Role[];
};

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(email: string) {
  return getDb().user.findUnique({ where: { email: normalizeEmail(email) } });
}

export async function createUser(input: NewUser) {
  const passwordHash = await hashPassword(input.password);
  return getDb().user.create({
    data: {
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      registrationNumber: input.registrationNumber.trim(),
      regulator: input.regulator,
      locale: input.locale,
      password: { create: { hash: passwordHash } },
      roles: { create: (input.roles ?? ["learner"]).map((roleId) => ({ roleId })) },
    },
  });
}

// A real hash of a random password, verified when the email is unknown so that a wrong email and
// a wrong password take the same time (no account enumeration by timing).
let dummyHash: Promise<string> | undefined;

/** The user id when the email and password match, otherwise null. */
export async function verifyLogin(email: string, password: string): Promise<string | null> {
  const user = await getDb().user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { id: true, password: { select: { hash: true } } },
  });
  if (!user?.password) {
    dummyHash ??= hashPassword(crypto.randomUUID());
    await verify(await dummyHash, password);
    return null;
  }
  return (await verify(user.password.hash, password)) ? user.id : null;
}

export async function setUserLocale(userId: string, locale: Locale): Promise<void> {
  await getDb().user.update({ where: { id: userId }, data: { locale } });
}

/** Changes the password and signs the user out of every other session. */
export async function changePassword(userId: string, password: string, keepSessionId?: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await getDb().$transaction([
    getDb().password.update({ where: { userId }, data: { hash: passwordHash } }),
    getDb().session.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } }),
  ]);
  logEvent("auth.password_changed", { userId });
}
