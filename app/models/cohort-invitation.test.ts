import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { composeMail } from "~/utils/mail.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import {
  acceptInvitation,
  declineInvitation,
  findInvitation,
  invitationPolicy,
  inviteByEmail,
  inviterRegulator,
  listInvitations,
  revokeInvitation,
} from "./cohort-invitation.server";
import { createCohort, getCohort, learnerCohorts, leaveCohort, type Actor } from "./cohort.server";
import { claimDueMessages, prepareMail } from "./mail-outbox.server";

setupModelDb();

const sender = { locale: "en" as const, regulator: "coto" };
let alice: Actor; // educator
let bob: Actor; // another educator
let lea: { id: string; email: string };
let sam: { id: string; email: string };

beforeAll(async () => {
  alice = await insertUser("alice@example.test", ["educator"], "Alice Educator");
  bob = await insertUser("bob@example.test", ["educator"]);
  lea = { ...(await insertUser("lea@example.test", ["learner"], "Léa")), email: "lea@example.test" };
  sam = { ...(await insertUser("sam@example.test")), email: "sam@example.test" };
  await getDb().user.update({ where: { id: lea.id }, data: { locale: "fr" } });
});

/** The token each queued invitation mail carries, by address (what the recipient clicks). */
async function mailedTokens(): Promise<Map<string, string>> {
  const rows = await getDb().mailMessage.findMany({ where: { kind: "cohort_invitation" } });
  return new Map(
    rows.map((r) => {
      const { link } = JSON.parse(r.params) as { link: string };
      return [r.to, /\/invitations\/([\w-]+)$/.exec(link)![1]!];
    }),
  );
}

describe("cohort invitations", () => {
  it("answers the same whether or not an address has an account, and stores only a hash of the token", async () => {
    const cohort = await createCohort(alice, "Consent");
    const known = await inviteByEmail(alice, cohort.id, [" LEA@example.test"], sender);
    const unknown = await inviteByEmail(alice, cohort.id, ["nobody@example.test"], sender);
    expect(known).toEqual({ ok: true, value: { invited: 1 } });
    expect(unknown).toEqual(known);
    // Nothing of either is a member, and the educator sees both the same way.
    expect((await getCohort(alice, cohort.id))!.members).toEqual([]);
    const listed = (await listInvitations(alice, cohort.id))!;
    expect(listed.counts).toEqual({ pending: 2, accepted: 0, declined: 0, expired: 0 });
    expect(listed.open.map((i) => i.email).sort()).toEqual(["lea@example.test", "nobody@example.test"]);
    expect(Object.keys(listed.open[0]!).sort()).toEqual(["email", "expired", "expiresAt", "id", "sentAt"]);

    const tokens = await mailedTokens();
    const rows = await getDb().cohortInvitation.findMany({ where: { cohortId: cohort.id } });
    for (const row of rows) {
      expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.tokenHash).not.toBe(tokens.get(row.email));
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(invitationPolicy.ttlMs);
    }
    // Another educator's cohort: not found, nothing queued.
    expect(await inviteByEmail(bob, cohort.id, ["sam@example.test"], sender)).toEqual({
      ok: false,
      code: "not-found",
    });
    expect(await listInvitations(bob, cohort.id)).toBeNull();
    // Inviting again while pending sends no second mail, and answers the same.
    expect(await inviteByEmail(alice, cohort.id, ["lea@example.test"], sender)).toEqual({
      ok: true,
      value: { invited: 1 },
    });
    expect(await getDb().mailMessage.count({ where: { kind: "cohort_invitation", to: "lea@example.test" } })).toBe(1);
    // Audit: who invited, ids only.
    const audit = await getDb().auditEntry.findMany({ where: { subject: `cohort:${cohort.id}` } });
    expect(audit.map((a) => a.action)).toEqual(["cohort_invited", "cohort_invited", "cohort_invited"]);
    expect(audit.map((a) => a.detail).join(" ")).not.toContain("@");
  });

  it("mails the invitation in the recipient's language if their account has one, else the educator's", async () => {
    const cohort = await createCohort(alice, "Mailed");
    await getDb().mailMessage.deleteMany({});
    await inviteByEmail(alice, cohort.id, ["lea@example.test", "stranger@example.test"], sender);
    const prepared = await Promise.all((await claimDueMessages(10)).map((m) => prepareMail(m)));
    const byTo = new Map(prepared.map((p) => (p.status === "ready" ? [p.mail.to, p.mail] : ["", null])));
    const fr = composeMail(byTo.get("lea@example.test")!);
    expect(fr.subject).toBe("Alice Educator vous invite dans le groupe « Mailed »");
    expect(fr.text).toContain("Bonjour Léa,");
    expect(fr.text).toContain("Rien d'antérieur n'est partagé");
    expect(fr.text).toMatch(/\/invitations\/[\w-]{43}\n/);
    const en = composeMail(byTo.get("stranger@example.test")!);
    expect(en.subject).toBe("Alice Educator invites you to the cohort “Mailed”");
    expect(en.text).toContain("Hello,\n");
    expect(en.text).toContain("The invitation is valid for 30 days.");
    // The regulator (here without an imported profile: its id) is named in the body and the footer.
    expect(en.text).toContain("the case-study training of coto.");
    expect(en.html).toContain("never your reflections");
  });

  it("a withdrawn invitation's mail is not sent and its link opens nothing", async () => {
    const cohort = await createCohort(alice, "Withdrawn");
    await getDb().mailMessage.deleteMany({});
    await inviteByEmail(alice, cohort.id, ["sam@example.test"], sender);
    const token = (await mailedTokens()).get("sam@example.test")!;
    const { open } = (await listInvitations(alice, cohort.id))!;
    expect(await revokeInvitation(bob, cohort.id, open[0]!.id)).toBe(false);
    expect(await revokeInvitation(alice, cohort.id, open[0]!.id)).toBe(true);
    expect(await revokeInvitation(alice, cohort.id, open[0]!.id)).toBe(false);
    const [message] = await claimDueMessages(10);
    expect(await prepareMail(message!)).toEqual({ status: "drop", reason: "invitation withdrawn" });
    expect(await findInvitation(token)).toBeNull();
    expect(await acceptInvitation(sam, token)).toEqual({ ok: false, code: "invalid" });
    const audit = await getDb().auditEntry.findMany({ where: { subject: `cohort:${cohort.id}` } });
    expect(audit.map((a) => a.action)).toEqual(["cohort_invited", "cohort_invitation_revoked"]);
  });

  it("only the invited address's account accepts, once; declining needs no account; expiry ends it", async () => {
    const cohort = await createCohort(alice, "Lifecycle");
    await getDb().mailMessage.deleteMany({});
    const t0 = new Date("2026-12-01T12:00:00Z");
    await inviteByEmail(alice, cohort.id, ["lea@example.test", "sam@example.test", "gone@example.test"], sender, t0);
    const tokens = await mailedTokens();
    const leaToken = tokens.get("lea@example.test")!;

    expect(await findInvitation("not-a-token")).toBeNull();
    expect(await findInvitation(leaToken, t0)).toMatchObject({ cohortName: "Lifecycle", status: "pending" });
    // Sam holds Léa's link (forwarded): refused, and Léa's invitation is untouched.
    expect(await acceptInvitation(sam, leaToken, t0)).toEqual({ ok: false, code: "wrong-account" });
    const joinedAt = new Date(t0.getTime() + 60_000);
    expect(await acceptInvitation(lea, leaToken, joinedAt)).toMatchObject({ ok: true, value: { cohortId: cohort.id } });
    expect(await acceptInvitation(lea, leaToken, joinedAt)).toMatchObject({ ok: true });
    expect(await getDb().cohortMember.count({ where: { cohortId: cohort.id } })).toBe(1);
    const members = (await getCohort(alice, cohort.id))!.members;
    expect(members.map((m) => [m.email, m.addedAt])).toEqual([["lea@example.test", joinedAt]]);
    expect(await declineInvitation(leaToken)).toEqual({ ok: false, code: "answered" });

    // Sam declines (no account needed to decline), then changes his mind within the 30 days.
    const samToken = tokens.get("sam@example.test")!;
    expect(await declineInvitation(samToken, t0)).toMatchObject({ ok: true });
    expect(await declineInvitation(samToken, t0)).toMatchObject({ ok: true });
    expect((await listInvitations(alice, cohort.id, t0))!.counts).toEqual({
      pending: 1,
      accepted: 1,
      declined: 1,
      expired: 0,
    });
    expect(await acceptInvitation(sam, samToken, joinedAt)).toMatchObject({ ok: true });

    // Thirty days on, the last one has expired: it cannot be answered.
    const later = new Date(t0.getTime() + invitationPolicy.ttlMs + 1);
    const goneToken = tokens.get("gone@example.test")!;
    expect(await findInvitation(goneToken, later)).toMatchObject({ status: "expired" });
    expect(await declineInvitation(goneToken, later)).toEqual({ ok: false, code: "expired" });
    const listed = (await listInvitations(alice, cohort.id, later))!;
    expect(listed.counts).toEqual({ pending: 0, accepted: 2, declined: 0, expired: 1 });
    expect(listed.open.map((i) => [i.email, i.expired])).toEqual([["gone@example.test", true]]);
    const audit = await getDb().auditEntry.findMany({
      where: { subject: `cohort:${cohort.id}`, action: "cohort_joined" },
    });
    expect(audit.map((a) => a.actorId).sort()).toEqual([lea.id, sam.id].sort());
  });

  it("a learner leaves: the membership goes, the consent withdrawn is recorded", async () => {
    const cohort = await createCohort(alice, "Leaving");
    await getDb().mailMessage.deleteMany({});
    await inviteByEmail(alice, cohort.id, ["lea@example.test"], sender);
    await acceptInvitation(lea, (await mailedTokens()).get("lea@example.test")!);
    expect((await learnerCohorts(lea.id)).map((c) => c.name)).toContain("Leaving");
    expect(await leaveCohort(lea.id, cohort.id)).toBe(true);
    expect(await leaveCohort(lea.id, cohort.id)).toBe(false);
    expect((await learnerCohorts(lea.id)).map((c) => c.name)).not.toContain("Leaving");
    expect((await getCohort(alice, cohort.id))!.members).toEqual([]);
    const audit = await getDb().auditEntry.findMany({ where: { subject: `cohort:${cohort.id}` } });
    expect(audit.map((a) => a.action)).toEqual(["cohort_invited", "cohort_joined", "cohort_left"]);
  });

  it("caps how many invitations an educator sends in a day", async () => {
    const cohort = await createCohort(bob, "Many");
    const now = new Date();
    const emails = Array.from({ length: invitationPolicy.perEducatorPerDay + 1 }, (_, i) => `p${i}@example.test`);
    expect(await inviteByEmail(bob, cohort.id, emails, sender, now)).toEqual({
      ok: false,
      code: "daily-limit",
      limit: invitationPolicy.perEducatorPerDay,
    });
    expect(await getDb().cohortInvitation.count({ where: { cohortId: cohort.id } })).toBe(0);
  });

  it("mail speaks for the regulator the educator teaches for", () => {
    expect(inviterRegulator({ regulator: "coto", grants: [{ role: "educator", regulator: "cno" }] })).toBe("cno");
    expect(inviterRegulator({ regulator: "coto", grants: [{ role: "operator", regulator: "*" }] })).toBe("coto");
  });
});
