// Publishing validated content: catalogs and cases become immutable versions named by the hash of
// their canonical JSON. One call is one transaction: either every file of a run is published or
// nothing is.
import { createHash } from "node:crypto";
import {
  canonicalJson,
  scoringChanges,
  type CaseAnalysis,
  type CaseFile,
  type Catalog,
  type RegulatorProfile,
} from "~/engine";
import type { Db } from "~/utils/db.server";
import { recordAudit } from "./audit.server";

export type PublishStatus = "new" | "updated" | "unchanged";
export type PublishedItem = {
  kind: "regulator" | "catalog" | "case";
  id: string;
  file: string;
  version: number;
  status: PublishStatus;
};

export type PublishInput = {
  /** Profiles of the regulators the content names (missing ones must already be published). */
  regulators?: ReadonlyArray<{
    file: string;
    text: string;
    profile: RegulatorProfile;
    /** The logo file the profile names, read and checked (case-files.server.ts). */
    logo?: { type: string; bytes: Uint8Array };
  }>;
  catalogs: ReadonlyArray<{ file: string; text: string; catalog: Catalog }>;
  cases: ReadonlyArray<{ file: string; text: string; caseFile: CaseFile; analysis: CaseAnalysis }>;
};

export class PublishError extends Error {
  override name = "PublishError";
}

export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/**
 * What names a profile version: its canonical JSON, with the logo's sha256 when it has one (a new
 * image under the same file name is a new version).
 */
export function profileVersionHash(
  profile: RegulatorProfile,
  logo: Uint8Array | undefined,
): { hash: string; logoHash: string | null } {
  const logoHash = logo ? createHash("sha256").update(logo).digest("hex") : null;
  return { hash: logoHash ? contentHash({ profile, logoHash }) : contentHash(profile), logoHash };
}

export type PublishOptions = {
  now?: Date;
  /** Who published (null for the command line); written to the audit log. */
  actorId?: string | null;
  /** When learners get the new case versions: now by default, or later (scheduled). */
  publishAt?: Date;
};

export async function publishContent(
  db: Db,
  input: PublishInput,
  options: PublishOptions = {},
): Promise<PublishedItem[]> {
  const now = options.now ?? new Date();
  const actorId = options.actorId ?? null;
  const publishAt = options.publishAt ?? now;
  // Prisma's default gives an interactive transaction 5 s: a publication of a whole content folder
  // on a busy machine (the server writing attempts to the same file) took longer in CI and was
  // rolled back. It is all or nothing either way; it may take its time.
  return db.$transaction(
    async (tx) => {
      const report: PublishedItem[] = [];
      const currentCatalogVersion = new Map<string, number>();

      for (const { file, text, profile, logo } of input.regulators ?? []) {
        const { hash, logoHash } = profileVersionHash(profile, logo?.bytes);
        if (!(await tx.regulator.findUnique({ where: { id: profile.id } }))) {
          await tx.regulator.create({ data: { id: profile.id, createdAt: now } });
        }
        const latest = await tx.regulatorVersion.findFirst({
          where: { regulatorId: profile.id },
          orderBy: { sequence: "desc" },
        });
        if (latest?.contentHash === hash) {
          report.push({ kind: "regulator", id: profile.id, file, version: latest.sequence, status: "unchanged" });
          continue;
        }
        const sequence = (latest?.sequence ?? 0) + 1;
        await tx.regulatorVersion.create({
          data: {
            regulatorId: profile.id,
            sequence,
            contentHash: hash,
            content: canonicalJson(profile),
            source: text,
            ...(logo && { logo: Buffer.from(logo.bytes), logoType: logo.type, logoHash }),
            importedAt: now,
          },
        });
        await recordAudit(
          {
            subject: `regulator:${profile.id}`,
            actorId,
            action: "regulator_published",
            detail: { version: sequence },
            at: now,
          },
          tx,
        );
        report.push({ kind: "regulator", id: profile.id, file, version: sequence, status: latest ? "updated" : "new" });
      }

      for (const { file, text, catalog } of input.catalogs) {
        const hash = contentHash(catalog);
        const existing = await tx.catalog.findUnique({ where: { id: catalog.id } });
        if (existing && existing.regulator !== catalog.regulator) {
          throw new PublishError(
            `${file}: catalog "${catalog.id}" belongs to regulator "${existing.regulator}", not "${catalog.regulator}"`,
          );
        }
        if (!existing) await tx.catalog.create({ data: { id: catalog.id, regulator: catalog.regulator } });
        const latest = await tx.catalogVersion.findFirst({
          where: { catalogId: catalog.id },
          orderBy: { sequence: "desc" },
        });
        // Compared with the latest version only: going back to an earlier content is a new version,
        // so the history stays linear and the latest version is always what the files say.
        if (latest?.contentHash === hash) {
          currentCatalogVersion.set(catalog.id, latest.id);
          report.push({ kind: "catalog", id: catalog.id, file, version: latest.sequence, status: "unchanged" });
          continue;
        }
        const created = await tx.catalogVersion.create({
          data: {
            catalogId: catalog.id,
            sequence: (latest?.sequence ?? 0) + 1,
            label: catalog.version,
            effective: catalog.effective,
            contentHash: hash,
            content: canonicalJson(catalog),
            source: text,
            importedAt: now,
          },
        });
        currentCatalogVersion.set(catalog.id, created.id);
        await recordAudit(
          {
            subject: `catalog:${catalog.id}`,
            actorId,
            action: "catalog_published",
            detail: { version: created.sequence, label: catalog.version },
            at: now,
          },
          tx,
        );
        report.push({
          kind: "catalog",
          id: catalog.id,
          file,
          version: created.sequence,
          status: latest ? "updated" : "new",
        });
      }

      for (const { file, text, caseFile, analysis } of input.cases) {
        const hash = contentHash(caseFile);
        const existing = await tx.case.findUnique({ where: { slug: caseFile.slug } });
        if (existing && existing.regulator !== caseFile.regulator) {
          throw new PublishError(
            `${file}: the slug "${caseFile.slug}" belongs to regulator "${existing.regulator}", not "${caseFile.regulator}"`,
          );
        }
        const record =
          existing ?? (await tx.case.create({ data: { slug: caseFile.slug, regulator: caseFile.regulator } }));
        const latest = await tx.caseVersion.findFirst({ where: { caseId: record.id }, orderBy: { version: "desc" } });
        // As for catalogs: only the latest version counts as "the same".
        if (latest?.contentHash === hash) {
          report.push({ kind: "case", id: caseFile.slug, file, version: latest.version, status: "unchanged" });
          continue;
        }
        const catalogVersionIds: number[] = [];
        for (const catalogId of caseFile.standards) {
          const id =
            currentCatalogVersion.get(catalogId) ??
            (await tx.catalogVersion.findFirst({ where: { catalogId }, orderBy: { sequence: "desc" } }))?.id;
          if (id === undefined) throw new PublishError(`${file}: catalog "${catalogId}" has not been imported`);
          catalogVersionIds.push(id);
        }
        const version = (latest?.version ?? 0) + 1;
        await tx.caseVersion.create({
          data: {
            caseId: record.id,
            version,
            contentHash: hash,
            content: canonicalJson(caseFile),
            source: text,
            title: JSON.stringify(caseFile.title),
            summary: JSON.stringify(caseFile.summary),
            locales: caseFile.locales.join(","),
            profession: caseFile.profession,
            release: caseFile.release,
            creditHours: caseFile.credit.hours,
            creditCategory: caseFile.credit.category,
            passMark: caseFile.passMark,
            maxAttempts: caseFile.maxAttempts ?? null,
            bestTotal: analysis.bestTotal,
            decisionCount: analysis.decisionCount,
            status: "published",
            publishedAt: publishAt,
            createdAt: now,
            catalogs: { create: catalogVersionIds.map((catalogVersionId) => ({ catalogVersionId })) },
          },
        });
        const scheduled = publishAt.getTime() > now.getTime();
        await recordAudit(
          {
            subject: caseFile.slug,
            actorId,
            action: scheduled ? "scheduled" : "published",
            detail: { version, publishAt: publishAt.toISOString() },
            at: now,
          },
          tx,
        );
        const changes = scoringChanges(latest ? (JSON.parse(latest.content) as CaseFile) : null, caseFile);
        if (changes.length > 0) {
          await recordAudit(
            { subject: caseFile.slug, actorId, action: "scoring_changed", detail: { version, changes }, at: now },
            tx,
          );
        }
        report.push({ kind: "case", id: caseFile.slug, file, version, status: latest ? "updated" : "new" });
      }
      return report;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}
