/** The case engine's public API. Pure TypeScript: no I/O, safe in the browser. */
export * from "./schema";
export * from "./diagnostics";
export { FORMAT_LIMITS, utf8Bytes } from "./limits";
export {
  registrationMatches,
  imageInfo,
  validateLogo,
  profileChanges,
  LOGO_LIMITS,
  type ImageInfo,
  type LogoType,
  type ProfileChange,
} from "./regulator";
export {
  parseJson,
  scanJson,
  locatePointer,
  pointerLocator,
  offsetToLocation,
  toPointer,
  parsePointer,
  escapePointerSegment,
  type SourceLocation,
  type JsonSyntaxError,
  type JsonParseResult,
  type JsonTree,
  type DuplicateKey,
} from "./json";
export {
  validateCase,
  validateCatalog,
  validateCatalogDiagnostics,
  validateRegulator,
  type RegulatorValidation,
  expectedFileName,
  catalogCodes,
  catalogItems,
  isRecord,
  type Source,
  type CaseValidation,
  type CatalogValidation,
} from "./validate";
export {
  caseGraph,
  nodeTargets,
  reachableFrom,
  findCycles,
  topologicalOrder,
  longestPath,
  longestDecisionPath,
  decisionsAhead,
  longestPathsFrom,
  type Graph,
  type Cycle,
} from "./graph";
export {
  analyzeCase,
  scorePath,
  scoreWalk,
  scoreFromTotal,
  choiceEffects,
  choiceTotal,
  type CaseAnalysis,
  type OutcomeAnalysis,
  type PathScore,
  type PathScoreResult,
  type ScoreReason,
} from "./score";
export {
  walkPath,
  nextNode,
  choicesOf,
  findChoice,
  type PathChoices,
  type ChoiceRef,
  type Step,
  type WalkResult,
  type WalkError,
  type WalkErrorCode,
  type NextNodeResult,
} from "./walk";
export {
  planStep,
  replayPath,
  passThrough,
  type StepInput,
  type StepPlan,
  type PlannedStep,
  type RecordedStep,
  type Replay,
} from "./play";
export { canonicalJson } from "./canonical";
export {
  addChoice,
  addEffect,
  addNode,
  caseSource,
  changeKind,
  emptyNode,
  freeNodeId,
  getAt,
  linksTo,
  moveChoice,
  nodesOf,
  removeChoice,
  removeEffect,
  removeNode,
  renameNode,
  setAt,
  setCritical,
  setText,
  type CaseValue,
  type KindChangeLoss,
  type RenameError,
} from "./case-edit";
export * from "./xliff";
export { buildDebrief, type Debrief, type DebriefRow } from "./debrief";
export { scoringChanges, type ScoringChange } from "./scoring-diff";
export {
  caseImageRefs,
  caseImageHashes,
  imageHash,
  imageSrc,
  localizedImage,
  type ImageRef,
  type LocalizedImage,
} from "./images";
export {
  catalogImpact,
  clauseChanges,
  type CatalogImpact,
  type CaseImpact,
  type AffectedChoice,
  type ClauseChange,
  type ClauseChangeKind,
  type ImpactRef,
  type ImpactSource,
} from "./catalog-impact";
