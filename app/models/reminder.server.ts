// Due-date reminders (docs/decisions/025-reminders.md): a sweep that finds, for each assignment due
// within the week, the cohort's members who have not completed it, and queues an `assignment_due`
// mail for each in the durable outbox (ADR 013). Two reminders per due date: a week before and a day
// before, from 09:00 on the regulator's clock. A reminder is once per (assignment, member, kind, due
// date): its AssignmentReminder row is inserted in the transaction of its outbox row, and the row's
// key refuses a second, so two instances sweeping at once, or a sweep after a restart, queue nothing
// twice. What the mail says is read again when it is sent (reminderMailContent): a member who has
// left, completed, turned reminders off or been deactivated since, or an assignment removed or given
// a new date since, gets nothing.
import { localized, type Locale } from "~/i18n";
import { getDb } from "~/utils/db.server";
import {
  calendarDayOf,
  NO_REGULATOR_TIME_ZONE,
  formatZonedDateTime,
  parseCalendarDay,
  zonedMidnight,
} from "~/utils/format";
import type { MailContent } from "~/utils/mail.server";
import { describeAssignments, type AssignmentView } from "./assignment.server";
import { enqueueMail } from "./mail-outbox.server";
import { membersProgress, type AssignmentProgress } from "./progress.server";
import { cohortTimeZone } from "./regulator-brand.server";

export type ReminderKind = "week" | "day";

export const reminderPolicy = {
  /** Each kind and how many calendar days before the due date's day its window opens. */
  kinds: [
    { kind: "week", daysBefore: 7 },
    { kind: "day", daysBefore: 1 },
  ] as const satisfies ReadonlyArray<{ kind: ReminderKind; daysBefore: number }>,
  /** The hour of the regulator's day a window opens (on the two daylight-saving days, an hour off). */
  hourOfDay: 9,
  /** Reminders queued per sweep at most: a large college's sweep is spread over several runs. */
  batchSize: 200,
};

export type ReminderWindow = { kind: ReminderKind; opensAt: Date; closesAt: Date };

/**
 * The windows of a due date on a clock: each kind from 09:00, N calendar days before the due date's
 * day, until the next kind's opens (the last, until the due date). A kind is sent only inside its
 * window, so a sweep that missed the week's (the server was down) does not send it beside the day's.
 */
export function reminderWindows(dueAt: Date, timeZone: string): ReminderWindow[] {
  const day = parseCalendarDay(calendarDayOf(dueAt, timeZone))!;
  const opens = reminderPolicy.kinds.map(({ kind, daysBefore }) => ({
    kind,
    opensAt: new Date(
      zonedMidnight(day.year, day.month, day.day - daysBefore, timeZone).getTime() +
        reminderPolicy.hourOfDay * 3_600_000,
    ),
  }));
  return opens.map((o, i) => ({ ...o, closesAt: opens[i + 1]?.opensAt ?? dueAt }));
}

/** The window `now` is in, if any. */
export function reminderDue(dueAt: Date, timeZone: string, now: Date): ReminderWindow | null {
  return (
    reminderWindows(dueAt, timeZone).find(
      (w) => w.opensAt.getTime() <= now.getTime() && now.getTime() < w.closesAt.getTime(),
    ) ?? null
  );
}

/** How far ahead a week's window can open: 7 days, the due day itself, and a zone's offset. */
const LOOK_AHEAD_MS = 9 * 24 * 3_600_000;

/**
 * The regulator an assignment's mail speaks for (its first case's, else its educator's) and the
 * clock its due date is on: the cohort's (its educator's regulator's, as the due date was typed).
 */
async function regulatorOf(assignment: AssignmentView): Promise<{ id: string; timeZone: string }> {
  const db = getDb();
  const first = assignment.items[0];
  const row = first ? await db.case.findUnique({ where: { id: first.caseId }, select: { regulator: true } }) : null;
  const cohort = await db.cohort.findUnique({ where: { id: assignment.cohortId }, select: { educatorId: true } });
  const timeZone = cohort ? await cohortTimeZone(cohort) : NO_REGULATOR_TIME_ZONE;
  if (row?.regulator) return { id: row.regulator, timeZone };
  const educator = cohort
    ? await db.user.findUnique({ where: { id: cohort.educatorId }, select: { regulator: true } })
    : null;
  return { id: educator?.regulator ?? "", timeZone };
}

export type SweepResult = {
  /** Reminders queued by this run. */
  queued: number;
  /** The batch filled up: more may be due, run again soon. */
  more: boolean;
};

const isUniqueViolation = (error: unknown) =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";

/** Queues one reminder with its outbox row, or nothing if one of that key exists (another sweep's). */
async function queueReminder(
  assignment: AssignmentView,
  window: ReminderWindow,
  regulator: string,
  user: { id: string; email: string; locale: string },
  now: Date,
): Promise<boolean> {
  const dueAt = assignment.dueAt!;
  try {
    await getDb().$transaction(async (tx) => {
      await tx.assignmentReminder.create({
        data: { assignmentId: assignment.id, userId: user.id, kind: window.kind, dueAt, createdAt: now },
      });
      await enqueueMail(
        tx,
        {
          kind: "assignment_due",
          to: user.email,
          locale: user.locale === "fr" ? "fr" : "en",
          regulator,
          userId: user.id,
          params: { assignmentId: assignment.id, reminder: window.kind, dueAt: dueAt.toISOString() },
        },
        now,
      );
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * One sweep: every assignment due within the reach of a window, soonest first; for the window open
 * now, each member who joined before it opened (one who joined since has just seen the cohort's
 * work; the next kind reminds them), has reminders on, an open and active account, no reminder of
 * that key yet, and has not completed the assignment. An assignment given after a window opened
 * still has that window's reminder: nothing else told its members of it. At most `batchSize`
 * reminders are queued.
 */
export async function sweepReminders(options: { now?: Date; batchSize?: number } = {}): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? reminderPolicy.batchSize;
  const db = getDb();
  const rows = await db.assignment.findMany({
    where: { dueAt: { gt: now, lte: new Date(now.getTime() + LOOK_AHEAD_MS) } },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
  });
  let queued = 0;
  for (const assignment of await describeAssignments(rows)) {
    const regulator = await regulatorOf(assignment);
    const window = reminderDue(assignment.dueAt!, regulator.timeZone, now);
    if (!window) continue;
    const members = await db.cohortMember.findMany({
      where: { cohortId: assignment.cohortId, addedAt: { lte: window.opensAt } },
      select: { userId: true, addedAt: true },
    });
    const reminded = new Set(
      (
        await db.assignmentReminder.findMany({
          where: { assignmentId: assignment.id, kind: window.kind, dueAt: assignment.dueAt! },
          select: { userId: true },
        })
      ).map((r) => r.userId),
    );
    const waiting = members.filter((m) => !reminded.has(m.userId));
    if (waiting.length === 0) continue;
    const users = await db.user.findMany({
      where: {
        id: { in: waiting.map((m) => m.userId) },
        closedAt: null,
        deactivatedAt: null,
        dueDateReminders: true,
      },
      select: { id: true, email: true, locale: true },
      orderBy: { id: "asc" },
    });
    const open = new Set(users.map((u) => u.id));
    const progress = await membersProgress(
      assignment,
      waiting.filter((m) => open.has(m.userId)).map((m) => ({ userId: m.userId, since: m.addedAt })),
      now,
    );
    for (const user of users) {
      if (progress.get(user.id)?.status === "passed") continue;
      if (queued >= batchSize) return { queued, more: true };
      if (await queueReminder(assignment, window, regulator.id, user, now)) queued += 1;
    }
  }
  return { queued, more: false };
}

/** What an `assignment_due` row holds. */
export type ReminderParams = { assignmentId: string; reminder: ReminderKind; dueAt: string };

type Recipient = { id: string; name: string; deactivatedAt: Date | null; dueDateReminders: boolean };

/** The case a reminder links to: the first of the assignment's cases not passed yet. */
function nextCaseSlug(assignment: AssignmentView, progress: AssignmentProgress | undefined): string | undefined {
  const open = assignment.items.find(
    (item) => progress?.cases.find((c) => c.caseId === item.caseId)?.status !== "passed",
  );
  return (open ?? assignment.items[0])?.slug;
}

/**
 * The reminder as it stands when it is sent, or why it is not sent any more: the assignment removed
 * or its due date changed (the new date has reminders of its own), the due date gone by, the
 * recipient out of the cohort, deactivated, with reminders off, or done with it.
 */
export async function reminderMailContent(
  params: Record<string, unknown>,
  user: Recipient | null,
  locale: Locale,
  origin: string,
  now = new Date(),
): Promise<{ ok: true; content: MailContent } | { ok: false; reason: string }> {
  const db = getDb();
  if (!user) return { ok: false, reason: "no account" };
  if (user.deactivatedAt) return { ok: false, reason: "account deactivated" };
  if (!user.dueDateReminders) return { ok: false, reason: "reminders off" };
  const row =
    typeof params.assignmentId === "string"
      ? await db.assignment.findUnique({ where: { id: params.assignmentId }, include: { cohort: true } })
      : null;
  if (!row) return { ok: false, reason: "assignment removed" };
  if (!row.dueAt || row.dueAt.toISOString() !== params.dueAt) return { ok: false, reason: "due date changed" };
  if (row.dueAt.getTime() <= now.getTime()) return { ok: false, reason: "due date passed" };
  const membership = await db.cohortMember.findUnique({
    where: { cohortId_userId: { cohortId: row.cohortId, userId: user.id } },
  });
  if (!membership) return { ok: false, reason: "left the cohort" };
  const [assignment] = await describeAssignments([row]);
  const progress = (await membersProgress(assignment!, [{ userId: user.id, since: membership.addedAt }], now)).get(
    user.id,
  );
  if (progress?.status === "passed") return { ok: false, reason: "completed" };
  const { timeZone } = await regulatorOf(assignment!);
  const slug = nextCaseSlug(assignment!, progress);
  return {
    ok: true,
    content: {
      kind: "assignment_due",
      name: user.name,
      title: localized(assignment!.title, locale),
      cohortName: row.cohort.name,
      dueDate: formatZonedDateTime(row.dueAt, locale, timeZone),
      isModule: assignment!.kind === "module",
      link: slug ? `${origin}/cases/${encodeURIComponent(slug)}` : `${origin}/`,
      preferencesLink: `${origin}/me/cohorts#reminders`,
    },
  };
}

/** The learner's reminder preference (/me/cohorts). */
export async function setDueDateReminders(userId: string, on: boolean): Promise<void> {
  await getDb().user.update({ where: { id: userId }, data: { dueDateReminders: on } });
}

export async function dueDateRemindersOn(userId: string): Promise<boolean> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { dueDateReminders: true } });
  return user?.dueDateReminders ?? false;
}
