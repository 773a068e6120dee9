// CodeMirror 6 over the source textarea, loaded only in the browser (dynamic import). The
// textarea stays in the form, hidden, and follows every change, so saving is the same form post
// as without JavaScript. Lint markers come from the same engine validation the server runs.
import { json } from "@codemirror/lang-json";
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import { linter, lintGutter, lintKeymap, type Diagnostic as EditorDiagnostic } from "@codemirror/lint";
import { EditorSelection, type Extension, type Text } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import type { Diagnostic } from "~/engine";

// The installed "codemirror" package is the legacy CodeMirror 5 line, and @codemirror/commands is
// not installed, so this is the basic setup assembled from the packages that are.
const setup: Extension[] = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  foldGutter(),
  drawSelection(),
  indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  bracketMatching(),
  highlightActiveLine(),
  keymap.of([...foldKeymap, ...lintKeymap]),
];

export type MountedEditor = { goTo: (line: number, column: number) => void; destroy: () => void };

/** Where a diagnostic's line/column falls in the document, spanning the token written there. */
export function rangeOf(doc: Text, d: Diagnostic): { from: number; to: number } {
  const lineNumber = Math.min(Math.max(d.line ?? 1, 1), doc.lines);
  const line = doc.line(lineNumber);
  const from = line.from + Math.min(Math.max((d.column ?? 1) - 1, 0), line.length);
  const rest = doc.sliceString(from, line.to);
  const token = /^("(?:[^"\\]|\\.)*"?|[^\s,:{}[\]]+|.)/.exec(rest)?.[0] ?? "";
  return { from, to: from + token.length };
}

export function mountEditor(options: {
  parent: HTMLElement;
  textarea: HTMLTextAreaElement;
  check: (text: string) => Diagnostic[];
  onDiagnostics: (diagnostics: Diagnostic[]) => void;
  /** Each change of the text, as typed. */
  onChange?: (text: string) => void;
  label: string;
  describedBy?: string;
}): MountedEditor | null {
  const { parent, textarea, check, onDiagnostics } = options;
  // The CSP allows styles only from our origin or with the page's nonce: CodeMirror's injected
  // <style> elements carry it (the nonce attribute is hidden from the DOM, the property is not).
  const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce ?? "";
  const view = new EditorView({
    parent,
    doc: textarea.value,
    extensions: [
      setup,
      json(),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.cspNonce.of(nonce),
      EditorView.contentAttributes.of({
        // The scroller is tabindex=-1; an explicit tabindex on the editable content tells axe
        // (scrollable-region-focusable) what the keyboard already knows: the region is reachable.
        tabindex: "0",
        "aria-label": options.label,
        ...(options.describedBy ? { "aria-describedby": options.describedBy } : {}),
      }),
      linter(
        (v): EditorDiagnostic[] => {
          const found = check(v.state.doc.toString());
          onDiagnostics(found);
          return found.map((d) => ({
            ...rangeOf(v.state.doc, d),
            severity: d.severity,
            message: d.path ? `${d.path}: ${d.message}` : d.message,
          }));
        },
        { delay: 350 },
      ),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        textarea.value = update.state.doc.toString();
        options.onChange?.(textarea.value);
      }),
    ],
  });
  // If the page's CSP refuses the editor's styles (style-src without the nonce), an unstyled
  // editor is worse than the textarea: keep the textarea.
  if (getComputedStyle(view.dom).display !== "flex") {
    view.destroy();
    return null;
  }
  textarea.classList.add("replaced-by-editor");
  textarea.setAttribute("aria-hidden", "true");
  textarea.tabIndex = -1;
  return {
    goTo(line, column) {
      const { from } = rangeOf(view.state.doc, { severity: "error", file: "", path: "", message: "", line, column });
      view.dispatch({ selection: EditorSelection.cursor(from), scrollIntoView: true });
      view.focus();
    },
    destroy() {
      view.destroy();
      textarea.classList.remove("replaced-by-editor");
      textarea.removeAttribute("aria-hidden");
      textarea.tabIndex = 0;
    },
  };
}
