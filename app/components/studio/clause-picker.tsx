// Picking a standard's clause to score a choice against: a combobox (WAI-ARIA 1.2 pattern) over the
// clauses of the case's catalogs, searched by code and by the words of the clause's title and text.
import { useId, useMemo, useState, type KeyboardEvent } from "react";
import { useTranslation } from "~/i18n/react";

export type ClauseOption = {
  /** "catalog:code", as an effect's `standard` names it. */
  key: string;
  code: string;
  title: string;
  text: string;
};

const MAX_SHOWN = 40;

/** Clauses whose key, title or text hold every word of `query` (any order, any case, any accents). */
export function matchClauses(options: readonly ClauseOption[], query: string): ClauseOption[] {
  const fold = (s: string) =>
    s
      .normalize("NFD")
      .replace(/\p{Diacritic}/gu, "")
      .toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return options.slice(0, MAX_SHOWN);
  const found: ClauseOption[] = [];
  for (const option of options) {
    const haystack = fold(`${option.key} ${option.title} ${option.text}`);
    if (words.every((w) => haystack.includes(w))) found.push(option);
    if (found.length === MAX_SHOWN) break;
  }
  return found;
}

export function ClausePicker({
  label,
  options,
  onPick,
}: {
  label: string;
  options: readonly ClauseOption[];
  onPick: (key: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const shown = useMemo(() => matchClauses(options, query), [options, query]);
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const pick = (option: ClauseOption | undefined) => {
    if (!option) return;
    onPick(option.key);
    setQuery("");
    setOpen(false);
    setActive(0);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, shown.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter") {
      // Enter picks; it must never submit the draft's form.
      e.preventDefault();
      if (open || query) pick(shown[active]);
    } else if (e.key === "Escape") {
      setOpen(false);
    }
  };
  const expanded = open && shown.length > 0;
  return (
    <div className="field clause-picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && shown[active] ? optionId(active) : undefined}
        value={query}
        placeholder={t("editor.clause.placeholder")}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={label} className="clause-options" hidden={!expanded}>
        {shown.map((option, i) => (
          <li
            key={option.key}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? "clause-option active" : "clause-option"}
            // mousedown, not click: the input's blur would close the list before the click lands.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(option);
            }}
          >
            <strong>{option.key}</strong> — {option.title}
          </li>
        ))}
      </ul>
      {open && query && shown.length === 0 ? (
        <p className="hint" role="status">
          {t("editor.clause.none")}
        </p>
      ) : null}
    </div>
  );
}
