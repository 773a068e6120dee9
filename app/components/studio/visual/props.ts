// What the visual editor's forms are given: the case value and the one way to change it, what the
// validator and the scorer say about it, and the node list the pickers offer.
import type { RefObject } from "react";
import type { CaseAnalysis, CaseValue, Catalog, Diagnostic } from "~/engine";

export type EditOptions = { typing?: boolean };

export type VisualEditorProps = {
  /** The draft whose image store an uploaded image goes to. */
  draftId: string;
  value: CaseValue;
  /**
   * Each edit is a step of undo, except typing: `typing: true` edits made in quick succession (a
   * word typed in a field) are one step.
   */
  onEdit: (next: CaseValue, options?: EditOptions) => void;
  diagnostics: readonly Diagnostic[];
  analysis: CaseAnalysis | undefined;
  catalogs: readonly Catalog[];
  /** The node being edited; null for the case's own settings. */
  selected: string | null;
  onSelect: (id: string | null) => void;
};

export type NodeEntry = { id: string; kind: string; label: string; problems: number; start: boolean };

export type FormProps = VisualEditorProps & {
  headingRef: RefObject<HTMLHeadingElement>;
  entries: NodeEntry[];
};
