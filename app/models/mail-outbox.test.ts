import { describe, expect, it, vi } from "vitest";
import { getDb } from "~/utils/db.server";
import { startMailSender } from "~/utils/mail-sender.server";
import type { Mail, MailTransport } from "~/utils/mail.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import {
  backoffAfter,
  claimDueMessages,
  enqueueMail,
  markFailed,
  outboxPolicy,
  prepareMail,
  type ClaimedMessage,
} from "./mail-outbox.server";
import { requestPasswordReset, resetPolicy } from "./password-reset.server";
import { checkPasswordToken } from "./password-token.server";

setupModelDb();

const t0 = new Date("2026-12-13T09:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const rows = () => getDb().mailMessage.findMany({ orderBy: { createdAt: "asc" } });
const clear = () => getDb().mailMessage.deleteMany({});

async function queueReset(to: string, now = t0) {
  await enqueueMail(getDb(), { kind: "password_reset", to, locale: "en", params: {} }, now);
}

describe("the outbox's claims", () => {
  it("gives each due row to one claimant only, and not again while its lease runs", async () => {
    await clear();
    for (let i = 0; i < 6; i++) await queueReset(`nobody-${i}@example.test`);
    // Two senders (two app instances) claim at the same moment.
    const [a, b] = await Promise.all([claimDueMessages(10, at(1000)), claimDueMessages(10, at(1000))]);
    const ids = [...a, ...b].map((m) => m.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(await claimDueMessages(10, at(2000))).toEqual([]);
    // A sender that died with its claims: they come back once the lease is over.
    const again = await claimDueMessages(10, at(1000 + outboxPolicy.leaseMs));
    expect(again.map((m) => m.attempts)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it("retries after growing back-offs and gives up after the last attempt", async () => {
    await clear();
    await queueReset("retry@example.test");
    expect([1, 2, 3].map(backoffAfter)).toEqual([30_000, 60_000, 120_000]);
    let now = t0;
    let outcome: string = "";
    for (let attempt = 1; attempt <= outboxPolicy.maxAttempts; attempt++) {
      const [message] = await claimDueMessages(10, now);
      expect(message?.attempts).toBe(attempt);
      // Not due again before its back-off.
      outcome = await markFailed(message!, "421 try later", now);
      expect(await claimDueMessages(10, new Date(now.getTime() + backoffAfter(attempt) - 1))).toEqual([]);
      now = new Date(now.getTime() + backoffAfter(attempt));
    }
    expect(outcome).toBe("gave-up");
    const [row] = await rows();
    expect(row).toMatchObject({ status: "failed", attempts: outboxPolicy.maxAttempts, lastError: "421 try later" });
    expect(await claimDueMessages(10, at(365 * 24 * 3600_000))).toEqual([]);
  });

  it("lets only the claim holding the lease settle a row", async () => {
    await clear();
    await queueReset("late@example.test");
    const [first] = await claimDueMessages(1, t0);
    const [second] = await claimDueMessages(1, at(outboxPolicy.leaseMs));
    await markFailed(first!, "too late", at(outboxPolicy.leaseMs + 1));
    const [row] = await rows();
    expect(row).toMatchObject({ claimToken: second!.claimToken, lastError: null, attempts: 2 });
  });
});

describe("prepareMail", () => {
  const claimOne = async (): Promise<ClaimedMessage> => (await claimDueMessages(1, at(1)))[0]!;

  it("makes a fresh one-hour reset token for an account, and forgets an address no account has", async () => {
    await clear();
    const user = await insertUser("reset-me@example.test");
    await getDb().user.update({ where: { id: user.id }, data: { locale: "fr" } });
    await queueReset("reset-me@example.test", t0);
    const prepared = await prepareMail(await claimOne(), at(1));
    if (prepared.status !== "ready") throw new Error(prepared.status);
    expect(prepared.mail.locale).toBe("fr");
    expect(prepared.mail.content.kind).toBe("password_reset");
    const token = new URL(prepared.mail.content.link).searchParams.get("token")!;
    const check = await checkPasswordToken(token, at(59 * 60_000));
    expect(check).toMatchObject({ ok: true, value: { userId: user.id, purpose: "reset" } });
    expect(await checkPasswordToken(token, at(60 * 60_000 + 1))).toEqual({ ok: false, code: "expired" });
    // The row never held the token.
    expect(JSON.stringify(await rows())).not.toContain(token);

    await clear();
    await queueReset("nobody-here@example.test", t0);
    expect((await prepareMail(await claimOne(), at(1))).status).toBe("forget");
  });

  it("sends nothing to a closed account", async () => {
    await clear();
    const user = await insertUser("closing@example.test");
    await getDb().user.update({ where: { id: user.id }, data: { closedAt: t0 } });
    await queueReset("closing@example.test", t0);
    expect(await prepareMail(await claimOne(), at(1))).toEqual({ status: "drop", reason: "account closed" });
  });
});

describe("requestPasswordReset", () => {
  it("queues the same single row whether or not the email has an account", async () => {
    await clear();
    await insertUser("known@example.test");
    expect(await requestPasswordReset(" Known@Example.test ", "198.51.100.1", "en", t0)).toEqual({ ok: true });
    expect(await requestPasswordReset("unknown@example.test", "198.51.100.1", "en", t0)).toEqual({ ok: true });
    const queued = await rows();
    expect(queued.map((r) => [r.kind, r.to, r.params, r.userId])).toEqual([
      ["password_reset", "known@example.test", "{}", null],
      ["password_reset", "unknown@example.test", "{}", null],
    ]);
  });

  it("queues at most perEmail messages an hour for one email, answering as always", async () => {
    await clear();
    const addresses = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"];
    for (const address of addresses) {
      expect(await requestPasswordReset("flooded@example.test", address, "en", at(1000))).toEqual({ ok: true });
    }
    expect(await rows()).toHaveLength(resetPolicy.perEmail);
    expect(
      await requestPasswordReset("flooded@example.test", "203.0.113.9", "en", at(resetPolicy.windowMs + 2000)),
    ).toEqual({ ok: true });
    expect(await rows()).toHaveLength(resetPolicy.perEmail + 1);
  });

  it("refuses an address past perAddress requests an hour with the wait", async () => {
    await clear();
    for (let i = 0; i < resetPolicy.perAddress; i++) {
      expect(await requestPasswordReset(`spray-${i}@example.test`, "192.0.2.7", "en", t0)).toEqual({ ok: true });
    }
    expect(await requestPasswordReset("spray-x@example.test", "192.0.2.7", "en", at(60_000))).toEqual({
      ok: false,
      retryAfterMs: resetPolicy.windowMs - 60_000,
    });
    expect(await rows()).toHaveLength(resetPolicy.perAddress);
  });
});

describe("the mail sender", () => {
  it("sends each due message once, marks it sent and empties what it was made from", async () => {
    await clear();
    const user = await insertUser("invited@example.test", ["author"], "Invited Author");
    await enqueueMail(getDb(), {
      kind: "set_password",
      to: "invited@example.test",
      locale: "en",
      userId: user.id,
      params: { link: "http://localhost:3000/set-password?token=secret-link-token" },
    });
    const sent: Mail[] = [];
    const deliver = vi.fn(async (mail: Mail) => {
      if (deliver.mock.calls.length === 1) throw new Error("451 greylisted");
      sent.push(mail);
    });
    const transport: MailTransport = { mode: "smtp", from: "test@example.test", deliver, close: () => {} };
    const sender = startMailSender({ pollMs: 20, transport });
    try {
      await vi.waitFor(async () => expect((await rows())[0]?.lastError).toBe("451 greylisted"));
      // Due again only after its back-off: make it due now.
      await getDb().mailMessage.updateMany({ data: { leaseUntil: new Date(0) } });
      await vi.waitFor(async () => expect((await rows())[0]?.status).toBe("sent"));
    } finally {
      await sender.stop();
    }
    expect(deliver).toHaveBeenCalledTimes(2);
    expect(sent.map((m) => [m.to, m.content.kind, m.content.link])).toEqual([
      ["invited@example.test", "set_password", "http://localhost:3000/set-password?token=secret-link-token"],
    ]);
    const [row] = await rows();
    expect(row).toMatchObject({ status: "sent", attempts: 2, params: "{}", claimToken: null });
  });
});
