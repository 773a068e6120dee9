// What every browser scenario file sets up and takes down around its steps: the production server
// on a fresh database, Chromium, pages in contexts of their own, one member of staff signed in, and
// the rule that a story told in steps stops at its first failed step. Closing goes in one order:
// the contexts, the browser, the test's database client, the server.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { beforeEach } from "vitest";
import { createUser, type NewUser } from "~/models/user.server";
import { getDb } from "~/utils/db.server";
import { startServer, type TestServer } from "../../support/server";
import { launchBrowser, newContext, signIn } from "./browser";

/** How long a scenario's page waits by default for an element or a navigation. */
export const PAGE_TIMEOUT_MS = 15_000;

export type OpenedPage = { context: BrowserContext; errors: string[]; page: Page };

/** A fresh context (its own cookies) that waits PAGE_TIMEOUT_MS by default, and a page in it. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<OpenedPage> {
  const { context, errors } = await newContext(browser, options);
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  return { context, errors, page: await context.newPage() };
}

/**
 * Closes what a scenario file opened, whichever of it was opened: each context (one already closed
 * is no failure), then the browser, the database client the test's own models used, the server.
 */
export async function closeAll(opened: {
  contexts?: Iterable<BrowserContext | undefined>;
  browser?: Browser;
  server?: TestServer;
}): Promise<void> {
  for (const context of opened.contexts ?? []) await context?.close().catch(() => undefined);
  await opened.browser?.close();
  await getDb().$disconnect();
  await opened.server?.stop();
}

export type Staff = Pick<NewUser, "email" | "name" | "roles">;

/**
 * The server (on the demo content), Chromium, and `person` made a coto account and signed in on a
 * page of their own, landed on `landing`. When a step fails, what was opened is closed before the
 * error goes on, so that a failed set-up leaves no server behind.
 */
export async function startSignedIn(
  person: Staff,
  account: { password: string; registrationNumber: string; landing: string; context?: BrowserContextOptions },
): Promise<{ server: TestServer; browser: Browser } & OpenedPage> {
  const server = await startServer();
  let browser: Browser | undefined;
  let opened: OpenedPage | undefined;
  try {
    await createUser({
      ...person,
      password: account.password,
      registrationNumber: account.registrationNumber,
      regulator: "coto",
      locale: "en",
    });
    browser = await launchBrowser();
    opened = await openPage(browser, account.context);
    await signIn(opened.page, server.url, person.email, account.password, account.landing);
    return { server, browser, ...opened };
  } catch (error) {
    await closeAll({ contexts: [opened?.context], browser, server });
    throw error;
  }
}

/**
 * For a describe block that tells one story in steps: once a step fails, the later ones are skipped
 * (naming the failed step), since they would only repeat its failure.
 */
export function stopAtFirstFailedStep(): void {
  let failedStep: string | null = null;
  beforeEach(({ task, skip, onTestFailed }) => {
    if (failedStep) skip(`an earlier step failed: ${failedStep}`);
    onTestFailed(() => {
      failedStep ??= task.name;
    });
  });
}
