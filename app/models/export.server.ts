// Everything a person gave Vignette and everything it recorded about them, for /me/export (the
// right to portability of Quebec's Law 25): profile, roles, cohorts, attempts with every choice and
// reflection, completions and certificates, and what staff did in the studio and educator areas.
// Every query is scoped to the one user id passed in, which the route takes from the session.
//
// Left out on purpose, because they are secrets rather than personal information and handing them
// out would weaken the account: the password hash (Password), session ids and their CSRF tokens
// (Session: a copy of the file would let its reader act as the person), sign-in throttle rows
// (LoginThrottle, keyed by email and IP address and shared with whoever else used that address) and
// cohort invitation codes (they let anyone join a cohort). Other people's data is left out too: a
// cohort lists its name, not its members; a revocation the person made names the certificate id only.
import type { LocalizedText } from "~/engine";
import { choiceTotal } from "~/engine/score";
import { localized, type Locale } from "~/i18n";
import { certificateState } from "~/utils/certificate-status";
import { getDb } from "~/utils/db.server";
import { getParsedVersion } from "./case.server";

/** Bumped when a field changes meaning or disappears, so a reader of an old file can tell (2: a certificate's
 * status may be "reissued", with its duplicates listed). */
export const EXPORT_FORMAT = 2;

const parseTitle = (json: string): LocalizedText => JSON.parse(json) as LocalizedText;

/** One user's data, in their language for case texts (choice labels, titles). */
export async function collectUserExport(userId: string, now = new Date()) {
  const db = getDb();
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      registrationNumber: true,
      regulator: true,
      locale: true,
      createdAt: true,
      updatedAt: true,
      emailVerifiedAt: true,
      dueDateReminders: true,
      roles: { select: { roleId: true }, orderBy: { roleId: "asc" } },
      // An address change waiting for its link: the address asked for and until when (never the token).
      emailChanges: {
        where: { purpose: "change", usedAt: null, expiresAt: { gt: now } },
        select: { email: true, createdAt: true, expiresAt: true },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  const locale: Locale = user.locale === "fr" ? "fr" : "en";
  const [memberships, attempts, completions, cohortsLed, drafts, audit, modules, assignments, revocations] =
    await Promise.all([
      db.cohortMember.findMany({
        where: { userId },
        select: { addedAt: true, cohort: { select: { id: true, name: true } } },
        orderBy: { addedAt: "asc" },
      }),
      db.attempt.findMany({
        where: { userId },
        select: {
          id: true,
          caseVersionId: true,
          number: true,
          status: true,
          currentNodeId: true,
          startedAt: true,
          completedAt: true,
          total: true,
          score: true,
          passed: true,
          steps: { select: { seq: true, nodeId: true, choiceId: true, createdAt: true }, orderBy: { seq: "asc" } },
          reflections: { select: { nodeId: true, text: true, createdAt: true }, orderBy: { createdAt: "asc" } },
        },
        orderBy: [{ startedAt: "asc" }, { id: "asc" }],
      }),
      db.completion.findMany({
        where: { userId },
        select: {
          id: true,
          attemptId: true,
          learnerName: true,
          registrationNumber: true,
          regulator: true,
          caseSlug: true,
          caseVersion: true,
          caseTitle: true,
          locale: true,
          startedAt: true,
          completedAt: true,
          timeOnTaskSeconds: true,
          score: true,
          passed: true,
          creditHours: true,
          attemptNumber: true,
          createdAt: true,
          certificate: {
            select: {
              code: true,
              issuedAt: true,
              revokedAt: true,
              revokedReason: true,
              reissues: {
                select: { number: true, reissuedAt: true, learnerName: true, registrationNumber: true, reason: true },
                orderBy: { number: "desc" },
              },
            },
          },
        },
        orderBy: [{ completedAt: "asc" }, { id: "asc" }],
      }),
      db.cohort.findMany({
        where: { educatorId: userId },
        select: { id: true, name: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      }),
      db.caseDraft.findMany({
        where: {
          OR: [{ createdById: userId }, { updatedById: userId }, { submittedById: userId }, { reviewedById: userId }],
        },
        select: {
          id: true,
          slug: true,
          status: true,
          createdById: true,
          updatedById: true,
          submittedById: true,
          reviewedById: true,
          submittedAt: true,
          reviewedAt: true,
          reviewNote: true,
          createdAt: true,
          updatedAt: true,
        },
        orderBy: { createdAt: "asc" },
      }),
      db.auditEntry.findMany({
        where: { actorId: userId },
        select: { subject: true, action: true, detail: true, createdAt: true },
        orderBy: { id: "asc" },
      }),
      db.module.findMany({
        where: { createdById: userId },
        select: { id: true, title: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      }),
      db.assignment.findMany({
        where: { createdById: userId },
        select: { id: true, cohortId: true, moduleId: true, caseId: true, dueAt: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      }),
      db.certificate.findMany({
        where: { revokedById: userId },
        select: { id: true, revokedAt: true },
        orderBy: { revokedAt: "asc" },
      }),
    ]);

  const versions = new Map(
    await Promise.all(
      [...new Set(attempts.map((a) => a.caseVersionId))].map(async (id) => [id, await getParsedVersion(id)] as const),
    ),
  );

  return {
    format: EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    profile: {
      id: user.id,
      name: user.name,
      email: user.email,
      registrationNumber: user.registrationNumber,
      regulator: user.regulator,
      language: user.locale,
      emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
      pendingEmailChanges: user.emailChanges.map((c) => ({
        email: c.email,
        askedAt: c.createdAt.toISOString(),
        expiresAt: c.expiresAt.toISOString(),
      })),
      dueDateReminders: user.dueDateReminders,
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
    },
    roles: user.roles.map((r) => r.roleId),
    cohorts: memberships.map((m) => ({ id: m.cohort.id, name: m.cohort.name, addedAt: m.addedAt.toISOString() })),
    attempts: attempts.map((a) => {
      const parsed = versions.get(a.caseVersionId) ?? null;
      const nodes = parsed?.caseFile.nodes ?? {};
      return {
        id: a.id,
        case: parsed?.slug ?? null,
        version: parsed?.version ?? null,
        caseTitle: parsed ? localized(parsed.caseFile.title, locale) : null,
        number: a.number,
        status: a.status,
        currentNodeId: a.currentNodeId,
        startedAt: a.startedAt.toISOString(),
        completedAt: a.completedAt?.toISOString() ?? null,
        total: a.total,
        score: a.score,
        passed: a.passed,
        choices: a.steps
          .filter((s) => s.choiceId !== null)
          .map((s) => {
            const node = nodes[s.nodeId];
            const choice = node?.kind === "decision" ? node.choices.find((c) => c.id === s.choiceId) : undefined;
            return {
              seq: s.seq,
              nodeId: s.nodeId,
              choiceId: s.choiceId!,
              label: choice ? localized(choice.label, locale) : null,
              points: choice ? choiceTotal(choice) : null,
              effects: choice?.effects ?? [],
              recordedAt: s.createdAt.toISOString(),
            };
          }),
        steps: a.steps.map((s) => ({
          seq: s.seq,
          nodeId: s.nodeId,
          choiceId: s.choiceId,
          recordedAt: s.createdAt.toISOString(),
        })),
        reflections: a.reflections.map((r) => ({
          nodeId: r.nodeId,
          text: r.text,
          writtenAt: r.createdAt.toISOString(),
        })),
      };
    }),
    completions: completions.map((c) => ({
      id: c.id,
      attemptId: c.attemptId,
      learnerName: c.learnerName,
      registrationNumber: c.registrationNumber,
      regulator: c.regulator,
      case: c.caseSlug,
      version: c.caseVersion,
      caseTitle: localized(parseTitle(c.caseTitle), locale),
      locale: c.locale,
      startedAt: c.startedAt.toISOString(),
      completedAt: c.completedAt.toISOString(),
      timeOnTaskSeconds: c.timeOnTaskSeconds,
      score: c.score,
      passed: c.passed,
      creditHours: c.creditHours,
      attemptNumber: c.attemptNumber,
      recordedAt: c.createdAt.toISOString(),
    })),
    certificates: completions.flatMap((c) =>
      c.certificate
        ? [
            {
              code: c.certificate.code,
              completionId: c.id,
              case: c.caseSlug,
              version: c.caseVersion,
              // valid, reissued (a duplicate was issued; still valid) or revoked: the one rule of
              // certificate-status.ts, as the verification page and the transcript say it.
              status: certificateState(c.certificate).status,
              issuedAt: c.certificate.issuedAt.toISOString(),
              revokedAt: c.certificate.revokedAt?.toISOString() ?? null,
              revokedReason: c.certificate.revokedReason,
              duplicates: c.certificate.reissues
                .map((r) => ({
                  number: r.number,
                  reissuedAt: r.reissuedAt.toISOString(),
                  learnerName: r.learnerName,
                  registrationNumber: r.registrationNumber,
                  reason: r.reason,
                }))
                .reverse(),
            },
          ]
        : [],
    ),
    staff: {
      cohortsLed: cohortsLed.map((c) => ({ id: c.id, name: c.name, createdAt: c.createdAt.toISOString() })),
      drafts: drafts.map((d) => ({
        id: d.id,
        slug: d.slug,
        status: d.status,
        created: d.createdById === userId,
        lastUpdated: d.updatedById === userId,
        submitted: d.submittedById === userId,
        reviewed: d.reviewedById === userId,
        reviewNote: d.reviewedById === userId ? d.reviewNote : null,
        createdAt: d.createdAt.toISOString(),
        updatedAt: d.updatedAt.toISOString(),
      })),
      auditEntries: audit.map((e) => ({
        subject: e.subject,
        action: e.action,
        detail: JSON.parse(e.detail) as unknown,
        at: e.createdAt.toISOString(),
      })),
      modulesCreated: modules.map((m) => ({
        id: m.id,
        title: localized(parseTitle(m.title), locale),
        createdAt: m.createdAt.toISOString(),
      })),
      assignmentsCreated: assignments.map((a) => ({
        id: a.id,
        cohortId: a.cohortId,
        moduleId: a.moduleId,
        caseId: a.caseId,
        dueAt: a.dueAt?.toISOString() ?? null,
        createdAt: a.createdAt.toISOString(),
      })),
      certificatesRevoked: revocations.map((r) => ({ id: r.id, revokedAt: r.revokedAt?.toISOString() ?? null })),
    },
  };
}

export type UserExport = Awaited<ReturnType<typeof collectUserExport>>;
