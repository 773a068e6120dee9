// Proving addresses against a real migrated database: the link is made when the mail is sent, goes
// to the address being proved, works once within 24 hours, and a change switches the address only
// then (sessions ended, other links dead, audited), never onto an address another account took.
import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { composeMail } from "~/utils/mail.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import {
  checkEmailToken,
  emailPolicy,
  emailStatus,
  maskEmail,
  queueJoinVerification,
  redeemEmailToken,
  requestEmailChange,
  sendVerificationAgain,
} from "./email-change.server";
import { claimDueMessages, prepareMail } from "./mail-outbox.server";
import { createPasswordToken, redeemPasswordToken } from "./password-token.server";
import { closeAccount, updateProfile } from "./user.server";

setupModelDb();

const t0 = new Date("2026-12-15T09:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const HOUR = 3_600_000;

/** Sends what is queued (as the server's sender would, at `now`): each prepared mail. */
async function send(now = t0) {
  const mails = [];
  for (const message of await claimDueMessages(50, now)) {
    const prepared = await prepareMail(message, now);
    if (prepared.status === "ready") mails.push(prepared.mail);
    await getDb().mailMessage.update({ where: { id: message.id }, data: { status: "sent", params: "{}" } });
  }
  return mails;
}
const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;
const user = (id: string) => getDb().user.findUniqueOrThrow({ where: { id } });
const audit = (userId: string) =>
  getDb().auditEntry.findMany({ where: { subject: `account:${userId}` }, orderBy: { id: "asc" } });
async function session(userId: string, id: string) {
  await getDb().session.create({ data: { id, userId, csrfToken: id, expiresAt: at(30 * 24 * HOUR) } });
}

describe("a new account's address", () => {
  it("gets a link made at send time, works once, and marks the address verified", async () => {
    const person = await insertUser("new.joiner@example.test");
    await queueJoinVerification(await user(person.id), t0);
    const queued = await getDb().mailMessage.findFirstOrThrow({ where: { userId: person.id } });
    // The outbox row names the pending row, never a link.
    expect(queued.params).not.toContain("token");
    const [mail] = await send();
    expect(mail).toMatchObject({
      to: "new.joiner@example.test",
      content: { kind: "email_verification", change: false },
    });
    const link = mail!.content.kind === "email_verification" ? mail!.content.link : "";
    expect(link).toMatch(/^http:\/\/localhost:\d+\/verify-email\?token=[\w-]{43}$/);
    expect((await emailStatus(person.id, t0)).verified).toBe(false);

    const check = await checkEmailToken(tokenOf(link), t0);
    expect(check).toEqual({
      ok: true,
      value: { userId: person.id, purpose: "verify", email: "new.joiner@example.test", masked: "n***@example.test" },
    });
    expect((await redeemEmailToken(tokenOf(link), null, at(1000))).ok).toBe(true);
    expect((await user(person.id)).emailVerifiedAt).toEqual(at(1000));
    expect(await redeemEmailToken(tokenOf(link), null, at(2000))).toEqual({ ok: false, code: "used" });
    expect((await audit(person.id)).map((a) => a.action)).toEqual(["email_verified"]);
    expect(await sendVerificationAgain(person.id, at(3000))).toEqual({ ok: false, code: "verified" });
  });

  it("sends again at most three times an hour, and only the last link works", async () => {
    const person = await insertUser("again@example.test");
    for (let i = 0; i < emailPolicy.perHour; i++) {
      expect((await sendVerificationAgain(person.id, at(i * 1000))).ok).toBe(true);
    }
    const refused = await sendVerificationAgain(person.id, at(10_000));
    expect(refused).toMatchObject({ ok: false, code: "throttled" });
    expect(refused.ok ? 0 : "retryAfterMs" in refused ? refused.retryAfterMs : 0).toBe(HOUR - 10_000);
    expect((await sendVerificationAgain(person.id, at(HOUR + 1))).ok).toBe(true);
    // Four rows were queued, but each new one replaced the one before: one pending row, one link.
    const mails = await send(at(HOUR + 2));
    expect(mails.filter((m) => m.to === "again@example.test")).toHaveLength(1);
  });

  it("is verified by a password link mailed to it, which also cancels a pending change", async () => {
    const person = await insertUser("reset.proves@example.test");
    await getDb().password.create({ data: { userId: person.id, hash: "x" } });
    expect((await requestEmailChange(person.id, "elsewhere@example.test", t0)).ok).toBe(true);
    const token = await createPasswordToken(person.id, "reset", HOUR, t0);
    expect((await redeemPasswordToken(token, "a new passphrase of some length", at(1000))).ok).toBe(true);
    expect((await user(person.id)).emailVerifiedAt).toEqual(at(1000));
    expect((await emailStatus(person.id, at(2000))).pending).toBeNull();
    // The link already in the other inbox is dead.
    const mails = await send(at(2000));
    expect(mails.filter((m) => m.content.kind === "email_verification")).toEqual([]);
  });
});

describe("a change of address", () => {
  it("mails the new address a link and the old one a notice, and switches only when the link is used", async () => {
    const person = await insertUser("old.address@example.test", ["learner"], "Noor <b>");
    await session(person.id, "this-browser");
    await session(person.id, "other-device");
    const reset = await createPasswordToken(person.id, "reset", HOUR, t0);

    expect(await requestEmailChange(person.id, " New.Address@Example.test ", t0)).toEqual({
      ok: true,
      value: { masked: "n***@example.test" },
    });
    expect((await user(person.id)).email).toBe("old.address@example.test");
    expect((await emailStatus(person.id, t0)).pending).toEqual({
      masked: "n***@example.test",
      expiresAt: at(24 * HOUR),
    });

    const mails = await send();
    const verification = mails.find((m) => m.content.kind === "email_verification")!;
    const notice = mails.find((m) => m.content.kind === "email_change_notice")!;
    expect(verification.to).toBe("new.address@example.test");
    expect(notice.to).toBe("old.address@example.test");
    expect(notice.content).toMatchObject({ maskedEmail: "n***@example.test", name: "Noor <b>" });
    const composed = composeMail(notice);
    expect(composed.text).toContain("asked to change its address to n***@example.test");
    expect(composed.html).toContain("Hello Noor &lt;b&gt;,");
    expect(composed.html).not.toContain("<b>");
    expect(composeMail(verification).subject).toBe("Confirm your new email address for Vignette");
    const link = verification.content.kind === "email_verification" ? verification.content.link : "";

    const used = await redeemEmailToken(tokenOf(link), { sessionId: "this-browser", userId: person.id }, at(HOUR));
    expect(used.ok).toBe(true);
    const after = await user(person.id);
    expect([after.email, after.emailVerifiedAt]).toEqual(["new.address@example.test", at(HOUR)]);
    const sessions = await getDb().session.findMany({ where: { userId: person.id }, select: { id: true } });
    expect(sessions).toEqual([{ id: "this-browser" }]);
    // A reset link mailed to the old address no longer works.
    expect(await redeemPasswordToken(reset, "another passphrase entirely", at(HOUR))).toEqual({
      ok: false,
      code: "invalid",
    });
    expect((await audit(person.id)).map((a) => [a.action, JSON.parse(a.detail)])).toEqual([
      ["email_change_requested", { to: "n***@example.test" }],
      ["email_changed", { from: "o***@example.test", to: "n***@example.test" }],
    ]);
    expect(await redeemEmailToken(tokenOf(link), null, at(HOUR + 1))).toEqual({ ok: false, code: "used" });
  });

  it("answers an address another account has like any other, and the link then changes nothing", async () => {
    const owner = await insertUser("owner@example.test");
    const person = await insertUser("asker@example.test");
    const free = await requestEmailChange(person.id, "someone.free@example.test", t0);
    const taken = await requestEmailChange(person.id, "owner@example.test", at(1));
    expect([free.ok, taken.ok]).toEqual([true, true]);
    const mails = await send(at(2));
    const link = mails.find((m) => m.to === "owner@example.test" && m.content.kind === "email_verification");
    expect(link).toBeDefined();
    const token = tokenOf(link!.content.kind === "email_verification" ? link!.content.link : "");
    expect(await checkEmailToken(token, at(3))).toEqual({ ok: false, code: "taken" });
    expect(await redeemEmailToken(token, null, at(3))).toEqual({ ok: false, code: "taken" });
    expect((await user(person.id)).email).toBe("asker@example.test");
    expect((await user(owner.id)).email).toBe("owner@example.test");
  });

  it("refuses the link once the address is taken meanwhile, after 24 hours, and a third request an hour", async () => {
    const person = await insertUser("slow@example.test");
    expect((await requestEmailChange(person.id, "wanted@example.test", t0)).ok).toBe(true);
    const [verification] = (await send()).filter((m) => m.content.kind === "email_verification");
    const token = tokenOf(verification!.content.kind === "email_verification" ? verification!.content.link : "");
    const thief = await insertUser("wanted@example.test");
    expect(await redeemEmailToken(token, null, at(1000))).toEqual({ ok: false, code: "taken" });
    await getDb().user.update({ where: { id: thief.id }, data: { email: "thief.gone@example.test" } });
    expect(await redeemEmailToken(token, null, at(24 * HOUR))).toEqual({ ok: false, code: "expired" });
    expect((await user(person.id)).email).toBe("slow@example.test");

    expect(await requestEmailChange(person.id, "slow@example.test", at(2000))).toEqual({ ok: false, code: "same" });
    expect((await requestEmailChange(person.id, "b@example.test", at(3000))).ok).toBe(true);
    expect((await requestEmailChange(person.id, "c@example.test", at(4000))).ok).toBe(true);
    expect(await requestEmailChange(person.id, "d@example.test", at(5000))).toMatchObject({
      ok: false,
      code: "throttled",
    });
    expect(await checkEmailToken("not a token")).toEqual({ ok: false, code: "invalid" });
  });

  it("is not offered to an account whose address and name a registrant portal owns", async () => {
    const person = await insertUser("portal@example.test", ["learner"], "Portal Name");
    await getDb().oidcIdentity.create({
      data: { userId: person.id, regulatorId: "coto", issuer: "https://portal.example", subject: "sub-1" },
    });
    expect(await requestEmailChange(person.id, "mine@example.test", t0)).toEqual({ ok: false, code: "portal" });
    expect(await updateProfile(person.id, { name: "Another Name", locale: "fr" }, t0)).toEqual({
      ok: false,
      code: "portal-name",
    });
    expect(await updateProfile(person.id, { name: "Portal Name", locale: "fr" }, t0)).toEqual({
      ok: true,
      value: { name: false, locale: true },
    });
    expect((await emailStatus(person.id)).portal).toBe(true);
  });
});

describe("the profile", () => {
  it("audits a name change with its old and new value, and a language change", async () => {
    const person = await insertUser("profile@example.test", ["learner"], "Ann Smith");
    expect(await updateProfile(person.id, { name: "  Ann Smith-Tremblay ", locale: "fr" }, t0)).toEqual({
      ok: true,
      value: { name: true, locale: true },
    });
    expect(await updateProfile(person.id, { name: "Ann Smith-Tremblay", locale: "fr" }, t0)).toEqual({
      ok: true,
      value: { name: false, locale: false },
    });
    expect((await audit(person.id)).map((a) => [a.action, JSON.parse(a.detail)])).toEqual([
      ["name_changed", { from: "Ann Smith", to: "Ann Smith-Tremblay" }],
      ["locale_changed", { from: "en", to: "fr" }],
    ]);
    expect(maskEmail("x@y.test")).toBe("x***@y.test");
  });

  it("loses its pending address when the account is closed", async () => {
    const person = await insertUser("closing@example.test");
    expect((await requestEmailChange(person.id, "next.address@example.test", t0)).ok).toBe(true);
    expect(await closeAccount(person.id, at(1000))).not.toBeNull();
    expect(await getDb().emailChange.count({ where: { userId: person.id } })).toBe(0);
    // Its mails are not sent either: the account is closed.
    expect((await send(at(2000))).filter((m) => m.to === "next.address@example.test")).toEqual([]);
  });
});
