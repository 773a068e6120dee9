// What the attempt page shows, in one language: the current node's texts, the feedback on the
// choice just made, progress, and once completed the debrief. Only what the learner may see is
// sent to the browser: never the case's effects, critical flags or the expert path before the end.
import { buildDebrief, choicesOf, findChoice, type CaseFile } from "~/engine";
import { localized, type Locale } from "~/i18n";
import { caseImageView } from "~/utils/case-image-view";
import { formatDate, formatHours, formatPercent } from "~/utils/format";
import type { LoadedAttempt } from "./attempt.server";

function choiceLabel(caseFile: CaseFile, nodeId: string, choiceId: string | undefined, locale: Locale): string | null {
  const choice = findChoice(caseFile, nodeId, choiceId);
  return choice ? localized(choice.label, locale) : null;
}

/**
 * `unregisteredWith`: the case's regulator's name when the learner holds no registration with it.
 * `imageSizes`: the pixel size of the case's images by hash (caseImageSizes), for the node's image.
 */
export function attemptView(
  attempt: LoadedAttempt,
  locale: Locale,
  unregisteredWith: string | null = null,
  imageSizes: ReadonlyMap<string, { width: number; height: number }> = new Map(),
  /** The case's regulator's clock, on which the completion's day is shown. */
  timeZone?: string,
) {
  const { caseFile, analysis } = attempt.version;
  const node = caseFile.nodes[attempt.currentNodeId];
  if (!node) throw new Error(`attempt ${attempt.id} is on unknown node ${attempt.currentNodeId}`);
  const decisionsMade = attempt.steps.filter((s) => s.choiceId !== null).length;

  const last = attempt.steps.at(-1);
  const lastChoice = last ? findChoice(caseFile, last.nodeId, last.choiceId) : undefined;

  const current = {
    id: attempt.currentNodeId,
    kind: node.kind,
    title: "title" in node && node.title ? localized(node.title, locale) : null,
    body: node.kind === "scene" || node.kind === "outcome" ? localized(node.body, locale) : null,
    prompt: node.kind === "decision" || node.kind === "reflection" ? localized(node.prompt, locale) : null,
    choices: node.kind === "decision" ? node.choices.map((c) => ({ id: c.id, label: localized(c.label, locale) })) : [],
    image: caseImageView(node.kind === "reflection" ? undefined : node.image, locale, imageSizes),
  };

  return {
    attemptId: attempt.id,
    slug: attempt.version.slug,
    caseTitle: localized(caseFile.title, locale),
    version: attempt.version.version,
    number: attempt.number,
    completed: attempt.status === "completed",
    // Decisions made, out of those made plus the most that can still come from here (the longest
    // path through where the learner stands: at the start, the case's longest path). A branch
    // that turns out shorter does not leave the bar stuck at "3 of 5" before the debrief; once
    // completed, the path taken is the whole path, so the bar ends full.
    progress: {
      made: decisionsMade,
      total:
        attempt.status === "completed"
          ? decisionsMade
          : decisionsMade + (analysis.decisionsAhead[attempt.currentNodeId] ?? 0),
    },
    feedback: lastChoice
      ? {
          label: localized(lastChoice.label, locale),
          text: lastChoice.feedback ? localized(lastChoice.feedback, locale) : null,
        }
      : null,
    node: current,
    debrief: attempt.status === "completed" ? { ...debriefView(attempt, locale, timeZone), unregisteredWith } : null,
  };
}

function debriefView(attempt: LoadedAttempt, locale: Locale, timeZone: string | undefined) {
  const { caseFile, analysis, clauses } = attempt.version;
  const built = buildDebrief(caseFile, analysis, choicesOf(attempt.steps));
  if (!built.ok) throw new Error(`attempt ${attempt.id}: ${built.error.message}`);
  const { debrief } = built;
  const feedbackOf = (nodeId: string, choiceId: string | undefined) => {
    const choice = findChoice(caseFile, nodeId, choiceId);
    return choice?.feedback ? localized(choice.feedback, locale) : null;
  };
  const completion = attempt.completion;
  return {
    score: formatPercent(debrief.score, locale),
    passed: debrief.passed,
    reason: debrief.reason,
    passMark: formatPercent(caseFile.passMark, locale),
    critical: debrief.criticalChoices.map((c) => choiceLabel(caseFile, c.nodeId, c.choiceId, locale) ?? c.choiceId),
    rows: debrief.rows.map((row) => {
      const n = caseFile.nodes[row.nodeId];
      return {
        nodeId: row.nodeId,
        prompt: n?.kind === "decision" ? localized(n.prompt, locale) : row.nodeId,
        learner: choiceLabel(caseFile, row.nodeId, row.learnerChoiceId, locale),
        learnerFeedback: feedbackOf(row.nodeId, row.learnerChoiceId),
        expert: choiceLabel(caseFile, row.nodeId, row.expertChoiceId, locale),
        expertFeedback: row.same ? null : feedbackOf(row.nodeId, row.expertChoiceId),
        same: row.same,
      };
    }),
    standards: debrief.standards.map((s) => ({
      item: s.item,
      code: s.item.split(":")[1] ?? s.item,
      title: localized(clauses.get(s.item), locale) || s.item,
      earned: s.earned,
      best: s.best,
    })),
    reflections: attempt.reflections.map((r) => {
      const n = caseFile.nodes[r.nodeId];
      return { nodeId: r.nodeId, prompt: n?.kind === "reflection" ? localized(n.prompt, locale) : "", text: r.text };
    }),
    completion: completion
      ? {
          credited: completion.creditHours > 0,
          hours: formatHours(completion.creditHours, locale),
          completedOn: formatDate(completion.completedAt, locale, timeZone),
          certificateCode: completion.certificate?.code ?? null,
        }
      : null,
  };
}

export type AttemptView = ReturnType<typeof attemptView>;
