// The first administrator of a production deployment, made without SQL: `npm run users:create`
// prints a one-time link, the person sets a password through it and signs in with the role.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/utils/db.server";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";

// Each command is a fresh tsx process: seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await getDb().$disconnect();
  await server.stop();
});

function usersCreate(...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/users-create.ts", ...args], {
      env: {
        ...process.env,
        DATABASE_URL: server.databaseUrl,
        PUBLIC_URL: server.url,
        NODE_ENV: "production",
        SESSION_SECRET: "users-create-test-secret-0123456789-abcdef",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

const linkIn = (output: string) => /(http:\/\/\S+\/set-password\?token=[\w-]+)/.exec(output)?.[1];
const PASSWORD = "a long and private passphrase";

describe("npm run users:create", () => {
  let link: string;

  it("creates the first operator and prints a one-time link to set the password", async () => {
    const result = await usersCreate(
      "--email",
      "First.Admin@College.example",
      "--name",
      "First Admin",
      "--role",
      "operator",
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("Created first.admin@college.example with the role operator.");
    link = linkIn(result.output)!;
    expect(link.startsWith(`${server.url}/set-password?token=`)).toBe(true);
    // Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
    const tokens = (await getDb().passwordToken.findMany({ select: { id: true } })).map((t) => t.id);
    // Only a digest of the token is stored.
    expect(tokens).toHaveLength(1);
    expect(link).not.toContain(tokens[0]!);
  });

  it("sets the password through the link once, and signs the person in with the role", async () => {
    const client = new Client(server.url);
    const form = await client.get(link.replace(server.url, ""));
    expect(form.status).toBe(200);
    expect(text(form.html)).toContain("Welcome, First Admin.");
    const token = new URL(link).searchParams.get("token")!;
    const page = link.replace(server.url, "");
    const mismatch = await client.post(page, { token, password: PASSWORD, confirm: "something else" });
    expect(mismatch.status).toBe(400);
    expect(text(mismatch.html)).toContain("The two passwords are not the same.");
    const done = await client.post(page, { token, password: PASSWORD, confirm: PASSWORD });
    expect(done.status).toBe(302);
    // An admin sets up two-factor sign-in before the staff pages open.
    expect((await client.get("/admin/certificates")).location).toBe(
      "/me/two-factor?redirectTo=%2Fadmin%2Fcertificates",
    );
    await client.enrolTwoFactor("first.admin@college.example");
    expect((await client.get("/admin/certificates")).status).toBe(200);

    const again = await new Client(server.url).get(link.replace(server.url, ""));
    expect(again.status).toBe(410);
    expect(text(again.html)).toContain("This link has already been used.");
    const reuse = await new Client(server.url).post("/set-password", { token, password: PASSWORD, confirm: PASSWORD });
    expect(reuse.status).toBe(410);
    expect((await new Client(server.url).login("first.admin@college.example", PASSWORD)).status).toBe(302);
  });

  it("adds a role to an account that has its password, without a new link", async () => {
    const result = await usersCreate(
      "--email",
      "first.admin@college.example",
      "--name",
      "First Admin",
      "--role",
      "author",
      "--regulator",
      "coto",
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("Added the role author for coto to first.admin@college.example.");
    expect(linkIn(result.output)).toBeUndefined();
    const actions = (
      await getDb().auditEntry.findMany({ where: { subject: { startsWith: "account:" } }, orderBy: { id: "asc" } })
    ).map((a) => a.action);
    expect(actions).toEqual(["account_created", "role_granted"]);
  });

  it("creates a reviewer of one regulator", async () => {
    const result = await usersCreate(
      "--email",
      "reviewer@college.example",
      "--name",
      "Rene Reviewer",
      "--role",
      "reviewer",
      "--regulator",
      "coto",
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("Created reviewer@college.example with the role reviewer for coto.");
    const user = await getDb().user.findUniqueOrThrow({
      where: { email: "reviewer@college.example" },
      include: { roles: true },
    });
    expect(user.roles.map((r) => `${r.roleId}@${r.regulatorId}`)).toEqual(["reviewer@coto"]);
  });

  it("refuses an expired link and an unknown token", async () => {
    const result = await usersCreate(
      ...["--email", "late@college.example", "--name", "Late Author", "--role", "author", "--regulator", "coto"],
    );
    const late = linkIn(result.output)!;
    await getDb().passwordToken.updateMany({
      where: { usedAt: null },
      data: { expiresAt: new Date("2020-01-01T00:00:00.000Z") },
    });
    const expired = await new Client(server.url).get(late.replace(server.url, ""));
    expect([expired.status, text(expired.html).includes("This link has expired.")]).toEqual([410, true]);
    const unknown = await new Client(server.url).get("/set-password?token=" + "x".repeat(43));
    expect([unknown.status, text(unknown.html).includes("This link is not valid.")]).toEqual([410, true]);
  });

  it("refuses bad arguments (2) and an unknown regulator (1), changing nothing", async () => {
    expect((await usersCreate("--email", "x@college.example", "--name", "X", "--role", "wizard")).code).toBe(2);
    expect((await usersCreate("--email", "not-an-email", "--name", "X", "--role", "author")).code).toBe(2);
    expect((await usersCreate("--email", "l@college.example", "--name", "L", "--role", "learner")).code).toBe(2);
    // A staff role is held for one regulator: it must be named.
    const unscoped = await usersCreate("--email", "s@college.example", "--name", "S", "--role", "author");
    expect([unscoped.code, unscoped.output.includes("held for one regulator")]).toEqual([2, true]);
    const unknown = await usersCreate(
      "--email",
      "l@college.example",
      "--name",
      "L",
      "--role",
      "learner",
      "--regulator",
      "nowhere",
      "--registration",
      "A-1",
    );
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('No regulator "nowhere" on this deployment');
    expect(
      await getDb().user.count({
        where: { email: { in: ["x@college.example", "l@college.example", "s@college.example"] } },
      }),
    ).toBe(0);
  });
});
