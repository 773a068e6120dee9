// Analytics kept as attempts advance (docs/decisions/026-analytics-tally.md): the bookkeeping, pure.
// A version's unfiltered figures are sums over what has been counted so far, plus distinct-learner
// counts. A learner's contribution is decided by their own rows only (their tally and the choices
// they have been counted for), so counting is done learner by learner: given what was already
// counted for that learner and what is new, `tallyLearner` says what to add to the version's
// figures. The result does not depend on the order things are counted in (a first attempt is the
// lowest-numbered completed one, whenever it completes), which is what lets the catch-up count
// steps, starts and completions in whatever batches they come, and lets closing an account take a
// learner's whole contribution back by counting it again from nothing and subtracting it.

export type ChoiceRef = { nodeId: string; choiceId: string };

/** What has been counted of one learner on one version (null: nothing yet). */
export type LearnerTally = {
  started: number;
  completed: number;
  passed: number;
  firstNumber: number | null;
  firstPath: string | null;
};

/** A completed attempt, as counted: its number, its choices in order, score and time on task. */
export type CountedCompletion = {
  number: number;
  path: readonly ChoiceRef[];
  passed: boolean;
  score: number | null;
  seconds: number;
};

/** What is new for one learner on one version. */
export type LearnerEvents = {
  /** Attempts whose start is counted now. */
  starts: number;
  completions: readonly CountedCompletion[];
  /** Steps with a choice, counted now (in any attempt, in progress or completed). */
  choices: readonly ChoiceRef[];
};

export type FunnelTally = {
  started: number;
  completed: number;
  passed: number;
  scoreSum: number;
  scored: number;
  learners: number;
  inProgressLearners: number;
  failedLearners: number;
  passedLearners: number;
  completedLearners: number;
};

/** What to add to one version's figures. */
export type VersionDelta = {
  funnel: FunnelTally;
  /** By choiceKey. */
  choices: Map<
    string,
    { nodeId: string; choiceId: string; taken: number; learners: number; completedLearners: number }
  >;
  /** Learners who answered each decision, by node id. */
  nodes: Map<string, number>;
  paths: Map<string, { attempts: number; firstAttempts: number }>;
  /** Completed attempts by whole seconds of time on task. */
  durations: Map<number, number>;
};

export const FUNNEL_FIELDS = [
  "started",
  "completed",
  "passed",
  "scoreSum",
  "scored",
  "learners",
  "inProgressLearners",
  "failedLearners",
  "passedLearners",
  "completedLearners",
] as const satisfies ReadonlyArray<keyof FunnelTally>;

export function emptyDelta(): VersionDelta {
  const funnel = Object.fromEntries(FUNNEL_FIELDS.map((f) => [f, 0])) as FunnelTally;
  return { funnel, choices: new Map(), nodes: new Map(), paths: new Map(), durations: new Map() };
}

/** One key per (node, choice); ids cannot hold a NUL. */
export const choiceKey = (nodeId: string, choiceId: string) => `${nodeId}\u0000${choiceId}`;

/** The path as the analytics queries spell it: "node:choice,node:choice" (ids hold neither ":" nor ","). */
export const pathText = (path: readonly ChoiceRef[]) => path.map((c) => `${c.nodeId}:${c.choiceId}`).join(",");

/** The learner's distinct-count memberships. */
function memberships(tally: LearnerTally | null) {
  return {
    learners: tally ? 1 : 0,
    inProgressLearners: tally && tally.started > tally.completed ? 1 : 0,
    failedLearners: tally && tally.completed > tally.passed ? 1 : 0,
    passedLearners: tally && tally.passed > 0 ? 1 : 0,
    completedLearners: tally && tally.completed > 0 ? 1 : 0,
  };
}

function addChoice(delta: VersionDelta, c: ChoiceRef, field: "taken" | "learners" | "completedLearners", n: number) {
  const key = choiceKey(c.nodeId, c.choiceId);
  const row = delta.choices.get(key) ?? {
    nodeId: c.nodeId,
    choiceId: c.choiceId,
    taken: 0,
    learners: 0,
    completedLearners: 0,
  };
  row[field] += n;
  delta.choices.set(key, row);
}

function addPath(delta: VersionDelta, path: string, field: "attempts" | "firstAttempts", n: number) {
  const row = delta.paths.get(path) ?? { attempts: 0, firstAttempts: 0 };
  row[field] += n;
  delta.paths.set(path, row);
}

export type LearnerResult = {
  tally: LearnerTally;
  /** The learner's choice rows to write: new ones, and ones now seen in a completed attempt. */
  choiceRows: Array<ChoiceRef & { completed: boolean }>;
};

/**
 * Counts `events` for a learner of whom `tally` and `seen` (choiceKey → taken in a completed
 * attempt) were counted before, adding to `delta`. `seen` is updated in place.
 */
export function tallyLearner(
  tally: LearnerTally | null,
  seen: Map<string, boolean>,
  events: LearnerEvents,
  delta: VersionDelta,
): LearnerResult {
  const before = memberships(tally);
  const nodesBefore = new Set([...seen.keys()].map((k) => k.split("\u0000")[0]!));
  const next: LearnerTally = tally
    ? { ...tally }
    : { started: 0, completed: 0, passed: 0, firstNumber: null, firstPath: null };
  const changed = new Map<string, ChoiceRef & { completed: boolean }>();
  const touch = (c: ChoiceRef, completed: boolean) => {
    const key = choiceKey(c.nodeId, c.choiceId);
    const was = seen.get(key);
    if (was === undefined) {
      addChoice(delta, c, "learners", 1);
      if (completed) addChoice(delta, c, "completedLearners", 1);
      seen.set(key, completed);
      changed.set(key, { ...c, completed });
    } else if (completed && !was) {
      addChoice(delta, c, "completedLearners", 1);
      seen.set(key, true);
      changed.set(key, { ...c, completed: true });
    }
  };

  next.started += events.starts;
  delta.funnel.started += events.starts;
  for (const c of events.choices) {
    addChoice(delta, c, "taken", 1);
    touch(c, false);
  }
  for (const done of events.completions) {
    next.completed += 1;
    delta.funnel.completed += 1;
    if (done.passed) {
      next.passed += 1;
      delta.funnel.passed += 1;
    }
    if (done.score !== null) {
      delta.funnel.scoreSum += done.score;
      delta.funnel.scored += 1;
    }
    const path = pathText(done.path);
    addPath(delta, path, "attempts", 1);
    delta.durations.set(done.seconds, (delta.durations.get(done.seconds) ?? 0) + 1);
    if (next.firstNumber === null || done.number < next.firstNumber) {
      if (next.firstPath !== null) addPath(delta, next.firstPath, "firstAttempts", -1);
      addPath(delta, path, "firstAttempts", 1);
      next.firstNumber = done.number;
      next.firstPath = path;
    }
    for (const c of done.path) touch(c, true);
  }

  const after = memberships(next);
  for (const field of Object.keys(after) as Array<keyof typeof after>)
    delta.funnel[field] += after[field] - before[field];
  for (const key of seen.keys()) {
    const nodeId = key.split("\u0000")[0]!;
    if (!nodesBefore.has(nodeId)) {
      nodesBefore.add(nodeId);
      delta.nodes.set(nodeId, (delta.nodes.get(nodeId) ?? 0) + 1);
    }
  }
  return { tally: next, choiceRows: [...changed.values()] };
}

/** `delta` with every figure's sign turned: what taking a contribution back subtracts. */
export function negateDelta(delta: VersionDelta): VersionDelta {
  const out = emptyDelta();
  for (const f of FUNNEL_FIELDS) out.funnel[f] = -delta.funnel[f];
  for (const [k, c] of delta.choices)
    out.choices.set(k, { ...c, taken: -c.taken, learners: -c.learners, completedLearners: -c.completedLearners });
  for (const [k, n] of delta.nodes) out.nodes.set(k, -n);
  for (const [k, p] of delta.paths) out.paths.set(k, { attempts: -p.attempts, firstAttempts: -p.firstAttempts });
  for (const [k, n] of delta.durations) out.durations.set(k, -n);
  return out;
}

/** The median of values given as (value → how many), as `median` computes it over the list. */
export function medianOfCounts(counts: ReadonlyArray<readonly [value: number, count: number]>): number | null {
  const sorted = counts.filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  /** The value at 0-based position i of the sorted list. */
  const at = (i: number) => {
    let seen = 0;
    for (const [value, n] of sorted) {
      seen += n;
      if (i < seen) return value;
    }
    return sorted[sorted.length - 1]![0];
  };
  const mid = Math.floor(total / 2);
  return total % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}
