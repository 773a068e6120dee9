// Asking before an edit that removes something (a delete, a change of kind): the button that asks
// is replaced by the question, so the focus would fall to the page. The question takes the focus
// when it opens, and Cancel gives it back to the button.
import { useEffect, useRef, useState, type ReactNode, type RefObject } from "react";

export function useConfirm() {
  const [asking, setAsking] = useState(false);
  const focusNext = useRef<"question" | "button" | null>(null);
  const questionRef = useRef<HTMLParagraphElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusNext.current === "question") questionRef.current?.focus();
    if (focusNext.current === "button") buttonRef.current?.focus();
    focusNext.current = null;
  });
  return {
    asking,
    /** The ref for the button that asks. */
    buttonRef,
    questionRef,
    ask() {
      focusNext.current = "question";
      setAsking(true);
    },
    cancel() {
      focusNext.current = "button";
      setAsking(false);
    },
    /** Closes the question after the edit; the caller says where the focus goes. */
    close() {
      setAsking(false);
    },
  };
}

export function ConfirmBox({
  id,
  question,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  questionRef,
}: {
  id: string;
  question: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  questionRef: RefObject<HTMLParagraphElement>;
}) {
  return (
    <div role="group" aria-labelledby={id} className="confirm">
      <p id={id} ref={questionRef} tabIndex={-1}>
        {question}
      </p>
      <button type="button" className="button-danger" onClick={onConfirm}>
        {confirmLabel}
      </button>{" "}
      <button type="button" className="button-secondary" onClick={onCancel}>
        {cancelLabel}
      </button>
    </div>
  );
}
