import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useSearchParams,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { FormAlert } from "~/components/field";
import { IntentButton } from "~/components/intent-button";
import { ConversionWarnings } from "~/components/studio/conversion-warnings";
import { DiagnosticList } from "~/components/studio/diagnostics";
import { DraftWorkbench, type AutosaveAnswer } from "~/components/studio/draft-workbench";
import { studioLinks } from "~/components/studio/links";
import { SourceEditor } from "~/components/studio/source-editor";
import { TargetHeading } from "~/components/studio/target-nav";
import { useHydrated } from "~/components/use-hydrated";
import type { Diagnostic } from "~/engine";
import type { TranslationKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { draftConversion } from "~/models/case-convert.server";
import { regulatorTimeZone } from "~/models/regulator-brand.server";
import { loadTargetPage } from "~/models/studio-pages.server";
import {
  approveDraft,
  getDraft,
  isEditable,
  catalogsInScope,
  MAX_NOTE_CHARS,
  mayReview,
  mayWithdraw,
  publishAtFor,
  readSource,
  rejectDraft,
  onlyRegulator,
  requireStudio,
  requireStudioRight,
  submitDraft,
  updateDraft,
  withdrawDraft,
  type SaveError,
  type SaveResult,
  type WorkflowError,
  type WorkflowResult,
} from "~/models/studio.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate } from "~/utils/format";
import { failure, notFound, type FailureMap } from "~/utils/http.server";
import { inScope } from "~/utils/roles";

export const links: LinksFunction = () => [...studioLinks(), { rel: "stylesheet", href: "/editor.css" }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, t, locale, target, header } = await loadTargetPage(request, { draftId: params.draftId });
  const draft = target.draft!;
  const zone = await regulatorTimeZone(draft.regulator);
  const me = session.user.id;
  // A reviewer reads the draft; only its regulator's authors get the editor.
  const editable = isEditable(draft.status) && inScope(session.scope, draft.regulator);
  const release = target.caseFile?.release ?? null;
  const releaseAt = release ? publishAtFor("release_month", release) : null;
  const approvedVersion = draft.status === "approved" && draft.caseVersionId ? { slug: draft.slug } : null;
  return {
    title: `${t("studio.editor.title")} · ${draft.slug || t("studio.target.untitled")} · Vignette`,
    header,
    source: draft.source,
    revision: draft.revision,
    file: target.file,
    diagnostics: target.diagnostics,
    catalogs: editable ? await catalogsInScope(onlyRegulator(draft.regulator)) : [],
    draft: {
      id: draft.id,
      status: draft.status,
      createdBy: draft.createdBy,
      updatedBy: draft.updatedBy,
      updatedAt: formatDate(draft.updatedAt, locale, zone),
      submittedBy: draft.submittedBy,
      submittedAt: draft.submittedAt ? formatDate(draft.submittedAt, locale, zone) : null,
      reviewedBy: draft.reviewedBy,
      reviewNote: draft.reviewNote,
      publishMode: draft.publishMode,
    },
    editable,
    canWithdraw: mayWithdraw(draft, me),
    review:
      draft.status === "in_review"
        ? {
            allowed: mayReview(draft, me) && inScope(session.reviewScope, draft.regulator),
            reviewer: inScope(session.reviewScope, draft.regulator),
            releaseDate: releaseAt ? formatDate(releaseAt, locale, zone) : null,
            releaseIsPast: releaseAt ? releaseAt.getTime() <= Date.now() + 1000 : true,
          }
        : null,
    approvedVersion,
    // Imported from H5P or Twine: what could not be carried over (issue 13, case-convert.server.ts).
    conversion: await draftConversion(draft),
  };
}

type ActionResult = {
  intent: string;
  error: TranslationKey | null;
  diagnostics: Diagnostic[];
  version?: number;
  message?: string;
  /** A refused save's text, so the form shows what the author wrote, not the stored draft. */
  posted?: string;
};

const WORKFLOW_FAILURES: FailureMap<WorkflowError> = {
  "not-found": { status: 404, message: "studio.editor.errors.not-found" },
  "own-submission": { status: 403, message: "studio.editor.errors.own-submission" },
  "not-submitter": { status: 403, message: "studio.editor.errors.not-submitter" },
  "not-in-review": { status: 409, message: "studio.editor.errors.not-in-review" },
  "not-editable": { status: 409, message: "studio.editor.errors.not-editable" },
  invalid: { status: 400, message: "studio.editor.errors.invalid" },
  unchanged: { status: 400, message: "studio.editor.errors.unchanged" },
  "note-required": { status: 400, message: "studio.editor.errors.note-required" },
  "publish-failed": { status: 400, message: "studio.editor.errors.publish-failed" },
};

const SAVE_FAILURES: FailureMap<SaveError> = {
  "not-found": { status: 404, message: "studio.editor.errors.not-found" },
  "not-editable": { status: 409, message: "studio.editor.errors.not-editable" },
  conflict: { status: 409, message: "studio.editor.errors.conflict" },
};

/** A save made from a revision that is no longer the latest (or otherwise refused). */
function refusedSave(result: Exclude<SaveResult, { ok: true }>, posted: string, locale: string, zone: string) {
  const { status, message } = failure(result.code, SAVE_FAILURES);
  const newer = result.newer;
  return data<ActionResult>(
    {
      intent: "save",
      error: message,
      diagnostics: [],
      posted,
      message: newer
        ? `${newer.updatedBy ?? "?"}, ${formatDate(newer.updatedAt, locale === "fr" ? "fr" : "en", zone)}`
        : "",
    },
    { status },
  );
}

/** A revision number posted by the editor; undefined when the form has none (a script, an old page). */
function postedRevision(form: FormData): number | undefined {
  const raw = form.get("revision");
  if (typeof raw !== "string" || !/^\d{1,9}$/.test(raw)) return undefined;
  return Number(raw);
}

// An autosave changes nothing the page shows: reloading its data would only cost time.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "autosave" ? false : defaultShouldRevalidate;

function refused(intent: string, error: TranslationKey) {
  return data<ActionResult>({ intent, error, diagnostics: [] }, { status: 400 });
}

function fromWorkflow(intent: string, result: WorkflowResult): ReturnType<typeof data<ActionResult>> {
  if (result.ok) return data({ intent, error: null, diagnostics: [] });
  const { status, message } = failure(result.code, WORKFLOW_FAILURES);
  return data(
    { intent, error: message, diagnostics: result.diagnostics ?? [], version: result.version, message: result.message },
    { status },
  );
}

const REVIEW_INTENTS = new Set(["approve", "reject"]);

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireStudio(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const id = params.draftId ?? "";
  const draft = await getDraft(id, session.readScope);
  if (!draft) throw notFound();
  const intent = String(form.get("intent") ?? "");
  // Reviewers approve and send back; authors edit, submit and withdraw (403 for the other).
  if (REVIEW_INTENTS.has(intent)) requireStudioRight(session, "review", draft.regulator);
  else requireStudioRight(session, "edit", draft.regulator);
  const here = `/studio/drafts/${id}`;
  const me = session.user.id;
  switch (intent) {
    case "save": {
      const posted = readSource(form);
      if (!posted.ok) return refused(intent, `studio.editor.errors.${posted.error}`);
      const result = await updateDraft(id, posted.source, me, session.scope, postedRevision(form));
      return result.ok
        ? redirect(`${here}?saved=1`)
        : refusedSave(result, posted.source, session.user.locale, await regulatorTimeZone(draft.regulator));
    }
    case "autosave": {
      const posted = readSource(form);
      if (!posted.ok) return data<AutosaveAnswer>({ intent, error: posted.error }, { status: 400 });
      const result = await updateDraft(id, posted.source, me, session.scope, postedRevision(form));
      if (result.ok) return data<AutosaveAnswer>({ intent, saved: { revision: result.value.revision } });
      if (result.code === "conflict" && result.newer) {
        const { revision, source, updatedBy, updatedAt } = result.newer;
        return data<AutosaveAnswer>(
          { intent, conflict: { revision, source, updatedBy, updatedAt: updatedAt.toISOString() } },
          { status: 409 },
        );
      }
      return data<AutosaveAnswer>({ intent, error: result.code }, { status: result.code === "not-found" ? 404 : 409 });
    }
    case "submit": {
      const result = await submitDraft(id, me, session.scope);
      return result.ok ? redirect(`${here}?submitted=1`) : fromWorkflow(intent, result);
    }
    case "withdraw": {
      const result = await withdrawDraft(id, me, session.scope);
      return result.ok ? redirect(`${here}?withdrawn=1`) : fromWorkflow(intent, result);
    }
    case "approve": {
      const mode = form.get("publishMode") === "release_month" ? "release_month" : "publish_now";
      const result = await approveDraft(id, me, session.reviewScope, mode);
      if (result.ok)
        return redirect(`/studio/cases/${encodeURIComponent(draft.slug)}?approved=${result.value?.version ?? ""}`);
      return fromWorkflow(intent, result);
    }
    case "reject": {
      const note = String(form.get("note") ?? "").slice(0, MAX_NOTE_CHARS);
      const result = await rejectDraft(id, me, session.reviewScope, note);
      return result.ok ? redirect(`${here}?rejected=1`) : fromWorkflow(intent, result);
    }
    default:
      return refused(intent, "studio.editor.errors.unknown-intent");
  }
}

const NOTICES = ["saved", "submitted", "withdrawn", "rejected", "uploaded"] as const;

export default function DraftEditor() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  // Autosaves answer the workbench's fetcher; the page's own forms get an ActionResult.
  const result = answer && "diagnostics" in answer ? answer : undefined;
  const [search] = useSearchParams();
  const notice = NOTICES.find((n) => search.has(n));
  const hydrated = useHydrated();
  return (
    <section className="studio">
      <TargetHeading header={d.header} page={t("studio.editor.title")} />
      {notice && !result ? (
        <p role="status" className="notice">
          ✓ {t(`studio.editor.notice.${notice}`)}
        </p>
      ) : null}
      <FormAlert
        message={result?.error ? t(result.error, { version: result.version, message: result.message ?? "" }) : null}
      />
      <ConversionWarnings conversion={d.conversion} justImported={search.has("converted") && !result} />

      <dl className="facts draft-facts">
        <div>
          <dt>{t("studio.editor.createdBy")}</dt>
          <dd>{d.draft.createdBy ?? "?"}</dd>
        </div>
        <div>
          <dt>{t("studio.editor.lastEdited")}</dt>
          <dd>
            {d.draft.updatedBy ?? "?"}, {d.draft.updatedAt}
          </dd>
        </div>
        {d.draft.submittedBy ? (
          <div>
            <dt>{t("studio.editor.submittedBy")}</dt>
            <dd>
              {d.draft.submittedBy}, {d.draft.submittedAt}
            </dd>
          </div>
        ) : null}
      </dl>

      {d.draft.status === "rejected" && d.draft.reviewNote ? (
        <section className="review-note" aria-labelledby="note-heading">
          <h2 id="note-heading">{t("studio.editor.changesRequested", { name: d.draft.reviewedBy ?? "?" })}</h2>
          <blockquote>{d.draft.reviewNote}</blockquote>
        </section>
      ) : null}

      {d.draft.status === "approved" ? (
        <p className="notice">
          ✓ {t("studio.editor.approvedNote")}{" "}
          {d.approvedVersion ? (
            <Link to={`/studio/cases/${encodeURIComponent(d.approvedVersion.slug)}`}>{d.approvedVersion.slug}</Link>
          ) : null}
        </p>
      ) : null}

      {d.review ? (
        <section className="panel" aria-labelledby="review-heading">
          <h2 id="review-heading">{t("studio.review.heading")}</h2>
          {d.review.allowed ? (
            <>
              <Form method="post" className="review-form">
                <CsrfField />
                <input type="hidden" name="intent" value="approve" />
                <fieldset className="field">
                  <legend>{t("studio.review.when")}</legend>
                  <label className="radio-row">
                    <input type="radio" name="publishMode" value="publish_now" defaultChecked />{" "}
                    {t("studio.review.publishNow")}
                  </label>
                  <label className="radio-row">
                    <input type="radio" name="publishMode" value="release_month" />{" "}
                    {d.review.releaseIsPast || !d.review.releaseDate
                      ? t("studio.review.releaseMonthPast")
                      : t("studio.review.releaseMonth", { date: d.review.releaseDate })}
                  </label>
                </fieldset>
                <button type="submit">{t("studio.review.approve")}</button>
              </Form>
              <Form method="post" className="review-form">
                <CsrfField />
                <input type="hidden" name="intent" value="reject" />
                <div className="field">
                  <label htmlFor="note">{t("studio.review.noteLabel")}</label>
                  <p id="note-hint" className="hint">
                    {t("studio.review.noteHint")}
                  </p>
                  <textarea id="note" name="note" rows={4} maxLength={2000} required aria-describedby="note-hint" />
                </div>
                <button type="submit" className="button-secondary">
                  {t("studio.review.reject")}
                </button>
              </Form>
            </>
          ) : (
            <p>{t(d.review.reviewer ? "studio.review.notAllowed" : "studio.review.reviewersOnly")}</p>
          )}
          {d.canWithdraw ? (
            <IntentButton intent="withdraw" className="button-secondary">
              {t("studio.review.withdraw")}
            </IntentButton>
          ) : null}
        </section>
      ) : null}

      {d.editable ? (
        <>
          {hydrated ? (
            <DraftWorkbench
              draftId={d.draft.id}
              source={d.source}
              revision={d.revision}
              diagnostics={d.diagnostics}
              catalogs={d.catalogs}
              file={d.file}
            />
          ) : (
            <Form method="post" className="editor-form">
              <CsrfField />
              <input type="hidden" name="intent" value="save" />
              <input type="hidden" name="revision" value={d.revision} />
              <SourceEditor
                key={result?.posted ?? d.source}
                defaultValue={result?.posted ?? d.source}
                diagnostics={d.diagnostics}
                catalogs={d.catalogs}
                file={d.file}
              />
              <button type="submit">{t("studio.editor.save")}</button>
            </Form>
          )}
          <section className="panel" aria-labelledby="submit-heading">
            <h2 id="submit-heading">{t("studio.editor.submitHeading")}</h2>
            <p>{t("studio.editor.submitHint")}</p>
            <IntentButton intent="submit">{t("studio.editor.submit")}</IntentButton>
          </section>
        </>
      ) : (
        <>
          <div className="field">
            <label htmlFor="source">{t("studio.editor.sourceReadOnly")}</label>
            <textarea id="source" rows={20} readOnly className="source-textarea" defaultValue={d.source} />
          </div>
          <DiagnosticList diagnostics={d.diagnostics} />
        </>
      )}
    </section>
  );
}
