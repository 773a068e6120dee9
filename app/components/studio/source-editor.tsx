import { useEffect, useMemo, useRef, useState } from "react";
import { validateCase, type Catalog, type Diagnostic } from "~/engine";
import { useTranslation } from "~/i18n/react";
import type { MountedEditor } from "./codemirror.client";
import { DiagnosticList } from "./diagnostics";

/**
 * The case source: a plain <textarea> posted with the form (works without JavaScript), replaced by
 * CodeMirror with live validation when scripts run. The list of problems under it is the server's
 * until the editor has checked the text itself.
 */
export function SourceEditor({
  defaultValue,
  diagnostics,
  catalogs,
  file,
  readOnly = false,
  onChange,
}: {
  defaultValue: string;
  diagnostics: Diagnostic[];
  catalogs: Catalog[];
  file: string;
  readOnly?: boolean;
  /** Each change of the text (the visual editor's workbench keeps one text for both editors). */
  onChange?: (text: string) => void;
}) {
  const { t } = useTranslation();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MountedEditor | null>(null);
  const [live, setLive] = useState<Diagnostic[] | null>(null);
  const [enhanced, setEnhanced] = useState(false);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  const catalogMap = useMemo(() => new Map(catalogs.map((c) => [c.id, c])), [catalogs]);
  // Checks that need the database (the slug's owner) only come from the server's list.
  const serverOnly = useMemo(
    () => diagnostics.filter((d) => d.path === "/slug" && d.message.includes("belongs to")),
    [diagnostics],
  );

  useEffect(() => {
    if (readOnly) return;
    let cancelled = false;
    let detach: (() => void) | undefined;
    const check = (text: string) => validateCase({ file, text }, catalogMap).diagnostics;
    void import("./codemirror.client").then(({ mountEditor }) => {
      if (cancelled || !textareaRef.current || !hostRef.current) return;
      const textarea = textareaRef.current;
      editorRef.current = mountEditor({
        parent: hostRef.current,
        textarea: textareaRef.current,
        label: t("studio.editor.sourceLabel"),
        describedBy: "source-hint",
        check,
        onDiagnostics: (found) => setLive(found),
        onChange: (text) => onChangeRef.current?.(text),
      });
      if (editorRef.current) {
        setEnhanced(true);
        return;
      }
      // No editor: the textarea stays, and is still checked as the author types.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onInput = () => {
        onChangeRef.current?.(textarea.value);
        clearTimeout(timer);
        timer = setTimeout(() => setLive(check(textarea.value)), 400);
      };
      textarea.addEventListener("input", onInput);
      detach = () => {
        clearTimeout(timer);
        textarea.removeEventListener("input", onInput);
      };
    });
    return () => {
      cancelled = true;
      detach?.();
      editorRef.current?.destroy();
      editorRef.current = null;
    };
    // Mount once per draft; the editor owns the text from then on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [readOnly, file]);

  const shown = live ? [...serverOnly, ...live] : diagnostics;
  return (
    <>
      <div className="field">
        <label htmlFor="source">{t("studio.editor.sourceLabel")}</label>
        <p id="source-hint" className="hint">
          {t("studio.editor.sourceHint")}
        </p>
        <textarea
          ref={textareaRef}
          id="source"
          name="source"
          rows={28}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          className="source-textarea"
          defaultValue={defaultValue}
          readOnly={readOnly}
          aria-describedby="source-hint diagnostics-heading"
        />
        <div ref={hostRef} className="editor-host" />
      </div>
      <DiagnosticList
        diagnostics={shown}
        onPick={enhanced ? (d) => editorRef.current?.goTo(d.line ?? 1, d.column ?? 1) : undefined}
      />
    </>
  );
}
