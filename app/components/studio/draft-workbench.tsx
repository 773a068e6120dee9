// A draft's editing workbench: one case text, edited through the visual editor or as JSON source,
// with undo and redo across both, autosave, and the map of the case. The text is the single source
// of truth: the visual editor reads it and writes it back, so switching never loses a change and
// saving from either gives the same canonical version.
//
// Without JavaScript the page shows the source form only (the route renders it); this workbench
// takes over once scripts run.
import { Form, useFetcher } from "@remix-run/react";
import { useCallback, useDeferredValue, useEffect, useMemo, useState, type KeyboardEvent } from "react";
import { CsrfField, useCsrfToken } from "~/components/csrf-field";
import { parseJson, validateCase, caseSource, type CaseValue, type Catalog, type Diagnostic } from "~/engine";
import { CSRF_FIELD } from "~/forms/csrf";
import { useTranslation } from "~/i18n/react";
import { DiagnosticList } from "./diagnostics";
import { DraftMap } from "./draft-map";
import { SourceEditor } from "./source-editor";
import { nodeOfPointer } from "./visual/case-reading";
import { VisualEditor } from "./visual/editor";
import type { EditOptions } from "./visual/props";

/** What the draft's action answers an autosave. */
export type AutosaveAnswer =
  | { intent: "autosave"; saved: { revision: number } }
  | {
      intent: "autosave";
      conflict: { revision: number; source: string; updatedBy: string | null; updatedAt: string };
    }
  | { intent: "autosave"; error: string };

const AUTOSAVE_DELAY_MS = 1500;
const HISTORY_LIMIT = 300;
// Typing edits this close together (a word in one field) are one step of undo.
const COALESCE_MS = 800;

type History = { past: string[]; future: string[]; lastAt: number };

export function DraftWorkbench({
  draftId,
  source,
  revision,
  diagnostics: serverDiagnostics,
  catalogs,
  file,
}: {
  draftId: string;
  source: string;
  revision: number;
  diagnostics: Diagnostic[];
  catalogs: Catalog[];
  file: string;
}) {
  const { t, locale } = useTranslation();
  const [tab, setTab] = useState<"visual" | "source">("visual");
  const [text, setTextState] = useState(source);
  const [history, setHistory] = useState<History>({ past: [], future: [], lastAt: 0 });
  const [saved, setSaved] = useState({ text: source, revision });
  const [conflict, setConflict] = useState<Extract<AutosaveAnswer, { conflict: unknown }>["conflict"] | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  // Bumped when the text changes from outside the source editor, so it shows the new text.
  const [sourceMount, setSourceMount] = useState(0);
  const fetcher = useFetcher<AutosaveAnswer>();
  // The text of the autosave on its way, and the last answer acted on.
  const [inFlight, setInFlight] = useState<string | null>(null);
  const [answered, setAnswered] = useState<AutosaveAnswer | undefined>(undefined);

  // A full save (the Save button) reloads the route's data: adopt it as the saved state.
  const [loaded, setLoaded] = useState({ source, revision });
  if (loaded.revision !== revision || loaded.source !== source) {
    setLoaded({ source, revision });
    setSaved({ text: source, revision });
    if (source !== text) {
      setTextState(source);
      setSourceMount((n) => n + 1);
    }
  }

  const edit = useCallback(
    (next: string, options: EditOptions = {}) => {
      if (next === text) return;
      const now = Date.now();
      setHistory((h) => {
        const merge = options.typing === true && now - h.lastAt < COALESCE_MS && h.past.length > 0;
        // Any other edit ends the run of typing before it: what is typed next is a new step.
        const lastAt = options.typing ? now : 0;
        return { past: merge ? h.past : [...h.past, text].slice(-HISTORY_LIMIT), future: [], lastAt };
      });
      setTextState(next);
    },
    [text],
  );
  const undo = () => {
    const previous = history.past.at(-1);
    if (previous === undefined) return;
    setHistory({ past: history.past.slice(0, -1), future: [text, ...history.future], lastAt: 0 });
    setTextState(previous);
    setSourceMount((n) => n + 1);
  };
  const redo = () => {
    const next = history.future[0];
    if (next === undefined) return;
    setHistory({ past: [...history.past, text], future: history.future.slice(1), lastAt: 0 });
    setTextState(next);
    setSourceMount((n) => n + 1);
  };

  // The JSON the visual editor edits; null while the source does not parse (or says a key twice:
  // writing it back would silently keep only one of them).
  const parsed = useMemo(() => {
    const result = parseJson(text);
    if (!result.ok || result.duplicateKeys.length > 0) return null;
    const value = result.value;
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as CaseValue) : null;
  }, [text]);
  const checked = useDeferredValue(text);
  const catalogMap = useMemo(() => new Map(catalogs.map((c) => [c.id, c])), [catalogs]);
  const validation = useMemo(() => validateCase({ file, text: checked }, catalogMap), [checked, file, catalogMap]);
  // Checks that need the database (the slug's owner) come from the server only.
  const serverOnly = useMemo(
    () => serverDiagnostics.filter((d) => d.path === "/slug" && d.message.includes("belongs to")),
    [serverDiagnostics],
  );
  const diagnostics = useMemo(() => [...serverOnly, ...validation.diagnostics], [serverOnly, validation]);

  // Autosave: a quiet moment after a change, one save at a time, never over a newer save.
  const csrf = useCsrfToken();
  useEffect(() => {
    if (text === saved.text || conflict || fetcher.state !== "idle") return;
    const timer = setTimeout(() => {
      setInFlight(text);
      const form = new FormData();
      form.set("intent", "autosave");
      form.set("source", text);
      form.set("revision", String(saved.revision));
      if (csrf) form.set(CSRF_FIELD, csrf);
      fetcher.submit(form, { method: "post" });
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, saved, conflict, fetcher, csrf]);
  if (fetcher.state === "idle" && fetcher.data && fetcher.data !== answered) {
    const answer = fetcher.data;
    setAnswered(answer);
    if ("saved" in answer) {
      setSaved({ text: inFlight ?? saved.text, revision: answer.saved.revision });
      setSaveError(null);
    } else if ("conflict" in answer) {
      setConflict(answer.conflict);
    } else {
      setSaveError(answer.error);
    }
  }
  const dirty = text !== saved.text;
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (tab !== "visual" || !(e.ctrlKey || e.metaKey)) return;
    const key = e.key.toLowerCase();
    if (key === "z" && !e.shiftKey) {
      e.preventDefault();
      undo();
    } else if ((key === "z" && e.shiftKey) || key === "y") {
      e.preventDefault();
      redo();
    }
  };

  const status = conflict
    ? t("editor.save.conflictShort")
    : saveError
      ? t("editor.save.failed")
      : fetcher.state !== "idle"
        ? t("editor.save.saving")
        : dirty
          ? t("editor.save.unsaved")
          : t("editor.save.saved");

  return (
    // The keyboard shortcuts for undo and redo are also buttons in the toolbar.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div className="workbench" onKeyDown={onKeyDown}>
      <div className="workbench-toolbar">
        <div role="tablist" aria-label={t("editor.tabs.label")} className="workbench-tabs">
          {(["visual", "source"] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              id={`tab-${name}`}
              aria-selected={tab === name}
              aria-controls="workbench-panel"
              tabIndex={tab === name ? 0 : -1}
              onClick={() => {
                setTab(name);
                setSourceMount((n) => n + 1);
              }}
              onKeyDown={(e) => {
                if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
                  const other = name === "visual" ? "source" : "visual";
                  setTab(other);
                  document.getElementById(`tab-${other}`)?.focus();
                }
              }}
            >
              {t(`editor.tabs.${name}`)}
            </button>
          ))}
        </div>
        <button type="button" className="button-secondary" onClick={undo} disabled={history.past.length === 0}>
          {t("editor.undo")}
        </button>
        <button type="button" className="button-secondary" onClick={redo} disabled={history.future.length === 0}>
          {t("editor.redo")}
        </button>
        <p className="save-status" role="status" aria-live="polite">
          {status}
        </p>
      </div>
      {conflict ? (
        <div role="alert" className="conflict">
          <p>
            {t("editor.save.conflict", {
              name: conflict.updatedBy ?? "?",
              date: new Intl.DateTimeFormat(locale === "fr" ? "fr-CA" : "en-CA", {
                dateStyle: "medium",
                timeStyle: "short",
              }).format(new Date(conflict.updatedAt)),
            })}
          </p>
          <button
            type="button"
            onClick={() => {
              setHistory((h) => ({ past: [...h.past, text].slice(-HISTORY_LIMIT), future: [], lastAt: 0 }));
              setTextState(conflict.source);
              setSaved({ text: conflict.source, revision: conflict.revision });
              setSourceMount((n) => n + 1);
              setConflict(null);
            }}
          >
            {t("editor.save.takeTheirs")}
          </button>{" "}
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              setSaved((s) => ({ text: s.text, revision: conflict.revision }));
              setConflict(null);
            }}
          >
            {t("editor.save.keepMine")}
          </button>
        </div>
      ) : null}
      <Form method="post" className="editor-form" id="workbench-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <CsrfField />
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="revision" value={saved.revision} />
        {tab === "source" ? (
          <SourceEditor
            key={sourceMount}
            defaultValue={text}
            diagnostics={diagnostics}
            catalogs={catalogs}
            file={file}
            onChange={(next) => edit(next, { typing: true })}
          />
        ) : (
          <>
            <input type="hidden" name="source" value={text} />
            {parsed ? (
              <>
                <VisualEditor
                  draftId={draftId}
                  value={parsed}
                  onEdit={(next, options) => edit(caseSource(next), options)}
                  diagnostics={diagnostics}
                  analysis={validation.analysis}
                  catalogs={catalogs}
                  selected={selected}
                  onSelect={setSelected}
                />
                <DraftMap
                  draftId={draftId}
                  revision={saved.revision}
                  selected={selected}
                  problems={problemNodes(diagnostics)}
                  onSelect={setSelected}
                />
              </>
            ) : (
              <p className="notice-warning" role="alert">
                {t("editor.notJson")}{" "}
                <button type="button" className="link-button" onClick={() => setTab("source")}>
                  {t("editor.toSource")}
                </button>
              </p>
            )}
            <DiagnosticList
              diagnostics={diagnostics}
              onPick={(d) => {
                const id = nodeOfPointer(d.path);
                setSelected(id !== null && parsed && id in ((parsed.nodes as object) ?? {}) ? id : null);
              }}
            />
          </>
        )}
        <button type="submit">{t("studio.editor.save")}</button>
      </Form>
    </div>
  );
}

function problemNodes(diagnostics: readonly Diagnostic[]): Set<string> {
  const ids = new Set<string>();
  for (const d of diagnostics) {
    const id = d.severity === "error" ? nodeOfPointer(d.path) : null;
    if (id !== null) ids.add(id);
  }
  return ids;
}
