import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CaseImage } from "~/components/case-image";
import { FormAlert } from "~/components/field";
import { studioLinks } from "~/components/studio/links";
import { TargetHeading } from "~/components/studio/target-nav";
import { UploadForm } from "~/components/upload-form";
import { caseImageRefs } from "~/engine";
import { useTranslation } from "~/i18n/react";
import { imageSizes, missingImages } from "~/models/case-image.server";
import { loadTargetPage } from "~/models/studio-pages.server";
import { targetValue } from "~/models/studio-view.server";
import { isEditable } from "~/models/studio.server";
import { caseImageUrl } from "~/utils/case-image-view";
import { answerImageUpload, MAX_IMAGE_MB } from "~/utils/image-upload.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, target, header } = await loadTargetPage(request, { draftId: params.draftId });
  // The images the draft names as it stands, each with its size when it is stored.
  const refs = caseImageRefs(targetValue(target));
  const hashes = refs.map((r) => r.hash);
  const [sizes, missing] = await Promise.all([imageSizes(hashes), missingImages(target.draft!.regulator, hashes)]);
  return {
    title: `${t("studio.images.title")} · ${header.slug || t("studio.target.untitled")} · Vignette`,
    header,
    editable: isEditable(target.draft!.status),
    maxImageMb: MAX_IMAGE_MB,
    named: refs.map((ref) => ({
      ...ref,
      url: caseImageUrl(ref.hash),
      size: missing.has(ref.hash) ? null : (sizes.get(ref.hash) ?? null),
    })),
  };
}

/** The upload, answered as this page (its JSON twin for the visual editor is …/images.json). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { status, headers, answer } = await answerImageUpload(request, params.draftId ?? "");
  return data(answer, { status, headers });
}

export default function DraftImages() {
  const { t } = useTranslation();
  const { header, editable, maxImageMb, named } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const uploaded = result?.ok ? result : null;
  const snippet = uploaded
    ? JSON.stringify({ image: { src: uploaded.src, alt: { en: "…", fr: "…" } } }, null, 2)
    : null;
  return (
    <section className="studio">
      <TargetHeading header={header} page={t("studio.images.title")} />
      <p>{t("studio.images.intro")}</p>
      <FormAlert message={result && !result.ok ? result.message : null} />
      {uploaded ? (
        <div role="status" className="notice">
          <p>{t("studio.images.uploaded", { width: uploaded.width, height: uploaded.height })}</p>
          <p>
            {t("studio.images.srcLabel")}: <code>{uploaded.src}</code>
          </p>
          <p>{t("studio.images.snippetLabel")}</p>
          <pre>
            <code>{snippet}</code>
          </pre>
          <CaseImage
            image={{
              url: uploaded.url,
              alt: t("studio.images.previewAlt"),
              caption: null,
              width: uploaded.width,
              height: uploaded.height,
            }}
          />
        </div>
      ) : null}
      {editable ? (
        <UploadForm
          name="image"
          label={t("studio.images.fileLabel")}
          hint={t("studio.images.hint", { size: maxImageMb })}
          accept="image/png,image/jpeg,image/webp"
          submit={t("studio.images.submit")}
        />
      ) : (
        <p className="notice">{t("studio.images.notEditable")}</p>
      )}
      <h2>{t("studio.images.named")}</h2>
      {named.length === 0 ? (
        <p>{t("studio.images.none")}</p>
      ) : (
        <ul className="plain-list">
          {named.map((ref) => (
            <li key={ref.path}>
              <code>{ref.path}</code>:{" "}
              {ref.size ? (
                <a href={ref.url}>
                  {ref.hash.slice(0, 12)}… ({ref.size.width} × {ref.size.height} px)
                </a>
              ) : (
                <strong className="flag">
                  {ref.hash.slice(0, 12)}… — {t("studio.images.missing")}
                </strong>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
