import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import {
  checkSecondFactor,
  confirmEnrolment,
  consumePendingLogin,
  createPendingLogin,
  decryptSecret,
  encryptSecret,
  matchingStep,
  mayUseTwoFactor,
  mustUseTwoFactor,
  needsTwoFactorEnrolment,
  PENDING_LOGIN_TTL_MS,
  pendingEnrolment,
  readCode,
  readPendingLogin,
  signInSecondStep,
  verifySecondFactor,
} from "./two-factor.server";

setupModelDb();

const STEP = 30_000;
const codeAt = (base32: string, timestamp: number) => TOTP.generate({ secret: Secret.fromBase32(base32), timestamp });
// A moment 10 s into a time step some minutes ago, so ±1 step is exact and "now" is later still.
const T0 = Math.floor(Date.now() / STEP) * STEP - 10 * STEP + 10_000;

async function enrolled(email: string, roles = ["author"]) {
  const user = await insertUser(email, roles);
  const { secret } = (await pendingEnrolment(user))!;
  const result = await confirmEnrolment(user.id, codeAt(secret, T0), undefined, new Date(T0));
  if (!result.ok) throw new Error(`enrolment failed: ${result.code}`);
  return { user, secret, recoveryCodes: result.value.recoveryCodes };
}

describe("who uses two-factor sign-in", () => {
  it("admins (and operators) must; staff may; learners may not", () => {
    expect(mustUseTwoFactor({ roles: ["admin"] })).toBe(true);
    expect(mustUseTwoFactor({ roles: ["operator"] })).toBe(true);
    expect(mustUseTwoFactor({ roles: ["author", "educator"] })).toBe(false);
    expect(mayUseTwoFactor({ roles: ["registrar"] })).toBe(true);
    expect(mayUseTwoFactor({ roles: ["learner"] })).toBe(false);
  });
});

describe("the secret at rest", () => {
  const secrets = ["first-secret-0123456789-0123456789-abc", "older-secret-0123456789-0123456789-abc"];

  it("round-trips through AES-256-GCM, with a fresh IV each time and no plain text stored", () => {
    const plain = new Secret({ size: 20 }).base32;
    const a = encryptSecret(plain, secrets);
    const b = encryptSecret(plain, secrets);
    expect(a).not.toBe(b);
    expect(a).not.toContain(plain);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decryptSecret(a, secrets)).toEqual({ plain, current: true });
  });

  it("opens what an older (rotated) secret sealed, and says so; refuses tampering and unknown keys", () => {
    const plain = "JBSWY3DPEHPK3PXP";
    const sealedByOld = encryptSecret(plain, [secrets[1]!]);
    expect(decryptSecret(sealedByOld, secrets)).toEqual({ plain, current: false });
    expect(decryptSecret(sealedByOld, [secrets[0]!])).toBeNull();
    const [format, iv, tag, body] = encryptSecret(plain, secrets).split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(decryptSecret([format, iv, tag, flipped.toString("base64url")].join("."), secrets)).toBeNull();
    expect(decryptSecret("not a sealed secret", secrets)).toBeNull();
  });
});

describe("codes", () => {
  const secret = new Secret({ size: 20 }).base32;

  it("accepts the codes of the previous, current and next time step only", () => {
    const step = Math.floor(T0 / STEP);
    expect(matchingStep(secret, codeAt(secret, T0), T0)).toBe(step);
    expect(matchingStep(secret, codeAt(secret, T0 - STEP), T0)).toBe(step - 1);
    expect(matchingStep(secret, codeAt(secret, T0 + STEP), T0)).toBe(step + 1);
    expect(matchingStep(secret, codeAt(secret, T0 - 2 * STEP), T0)).toBeNull();
    expect(matchingStep(secret, codeAt(secret, T0 + 2 * STEP), T0)).toBeNull();
  });

  it("reads a code as typed: spaces and dashes dropped; recovery codes in any case", () => {
    expect(readCode(" 123 456 ")).toEqual({ kind: "totp", value: "123456" });
    expect(readCode("ABCDE-FGHJK")).toEqual({ kind: "recovery", value: "abcdefghjk" });
    expect(readCode("12345")).toBeNull();
    expect(readCode("abcde-fghj0")).toBeNull();
  });
});

describe("enrolment", () => {
  it("keeps one pending secret, encrypted, until a current code confirms it", async () => {
    const user = await insertUser("enrol@example.org", ["educator"]);
    const first = (await pendingEnrolment(user))!;
    const again = (await pendingEnrolment(user))!;
    expect(again.secret).toBe(first.secret);
    expect(first.uri).toMatch(/^otpauth:\/\/totp\/Vignette:enrol%40example\.org\?/);
    expect(new URL(first.uri).searchParams.get("issuer")).toBe("Vignette");
    const row = await getDb().twoFactor.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.secret).not.toContain(first.secret);
    expect(row.enabledAt).toBeNull();
    expect(await signInSecondStep(user.id)).toBe("none");

    const wrong = await confirmEnrolment(user.id, codeAt(first.secret, T0 + 5 * STEP), undefined, new Date(T0));
    expect(wrong).toEqual({ ok: false, code: "wrong" });
    const done = await confirmEnrolment(user.id, codeAt(first.secret, T0), undefined, new Date(T0));
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    expect(done.value.recoveryCodes).toHaveLength(10);
    expect(new Set(done.value.recoveryCodes).size).toBe(10);
    const stored = await getDb().recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const code of done.value.recoveryCodes) {
      expect(stored.some((r) => r.codeHash.includes(code.replace("-", "")))).toBe(false);
    }
    expect(await pendingEnrolment(user)).toBeNull();
    expect(await signInSecondStep(user.id)).toBe("code");
    expect(await confirmEnrolment(user.id, codeAt(first.secret, T0 + STEP), undefined, new Date(T0))).toEqual({
      ok: false,
      code: "not-pending",
    });
  });

  it("holds back an admin until they have enrolled", async () => {
    const admin = await insertUser("admin-enrol@example.org", ["admin"]);
    expect(await needsTwoFactorEnrolment(admin)).toBe(true);
    expect(await signInSecondStep(admin.id)).toBe("enrol");
    const { secret } = (await pendingEnrolment(admin))!;
    await confirmEnrolment(admin.id, codeAt(secret, T0), undefined, new Date(T0));
    expect(await needsTwoFactorEnrolment(admin)).toBe(false);
    expect(await signInSecondStep(admin.id)).toBe("code");
  });
});

describe("the second step", () => {
  it("refuses a code already used, and codes of earlier steps, but takes the next step's", async () => {
    const { user, secret } = await enrolled("replay@example.org");
    // The confirming code (T0) was used up by the enrolment itself.
    expect(await verifySecondFactor(user.id, codeAt(secret, T0), new Date(T0))).toEqual({ status: "reused" });
    const next = codeAt(secret, T0 + STEP);
    expect(await verifySecondFactor(user.id, next, new Date(T0 + STEP))).toEqual({ status: "ok", method: "totp" });
    expect(await verifySecondFactor(user.id, next, new Date(T0 + STEP))).toEqual({ status: "reused" });
    expect(await verifySecondFactor(user.id, codeAt(secret, T0), new Date(T0 + STEP))).toEqual({ status: "reused" });
  });

  it("takes each recovery code once", async () => {
    const { user, recoveryCodes } = await enrolled("recovery@example.org");
    const [first, second] = recoveryCodes;
    expect(await verifySecondFactor(user.id, first!.toUpperCase())).toEqual({ status: "ok", method: "recovery" });
    expect(await verifySecondFactor(user.id, first!)).toEqual({ status: "wrong" });
    expect(await verifySecondFactor(user.id, second!)).toEqual({ status: "ok", method: "recovery" });
    expect(await getDb().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(8);
  });

  it("throttles wrong codes with growing delays, and does not hold back another address", async () => {
    const { user, secret } = await enrolled("throttle@example.org");
    const wrong = "ZZZZZ-ZZZZZ";
    for (let i = 0; i < 3; i++) {
      expect(await checkSecondFactor(user.id, wrong, "192.0.2.1")).toEqual({ status: "wrong" });
    }
    const held = await checkSecondFactor(user.id, wrong, "192.0.2.1");
    expect(held.status).toBe("throttled");
    if (held.status === "throttled") expect(held.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // The owner elsewhere, with a right code, is let in at once.
    expect(await checkSecondFactor(user.id, codeAt(secret, Date.now()), "198.51.100.7")).toEqual({
      status: "ok",
      method: "totp",
    });
  });
});

describe("the pending sign-in", () => {
  it("is read while fresh, used once, and gone after five minutes", async () => {
    const user = await insertUser("pending@example.org", ["author"]);
    const now = new Date();
    const token = await createPendingLogin(user.id, "/studio", undefined, now);
    const row = await getDb().pendingLogin.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.id).not.toBe(token);
    expect(await readPendingLogin(token, now)).toEqual({ userId: user.id, redirectTo: "/studio" });
    expect(await readPendingLogin(token, new Date(now.getTime() + PENDING_LOGIN_TTL_MS))).toBeNull();
    expect(await readPendingLogin("short")).toBeNull();
    expect(await consumePendingLogin(token, now)).toBe(true);
    expect(await consumePendingLogin(token, now)).toBe(false);
    expect(await readPendingLogin(token, now)).toBeNull();
  });
});
