// Two-factor sign-in over real HTTP against the production server: an author sets it up from the
// account page, signs out, and signing in then needs a code (wrong, right, used again, a recovery
// code once); an admin is sent to set it up before any staff page opens and cannot turn it off.
// Codes are computed here with otpauth from the key the setup page shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/models/user.server";
import { getDb } from "~/utils/db.server";
import { codeFor, secretIn } from "../support/authenticator";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const PASSWORD = "a long and private passphrase";
const AUTHOR = "author-2fa@example.test";
const ADMIN = "admin-2fa@example.test";

beforeAll(async () => {
  server = await startServer();
  for (const [email, role] of [
    [AUTHOR, "author"],
    [ADMIN, "admin"],
  ] as const) {
    await createUser({
      email,
      name: `Two Factor ${role}`,
      password: PASSWORD,
      registrationNumber: "TF-1",
      regulator: "coto",
      locale: "en",
      roles: [role],
    });
  }
});
afterAll(async () => {
  await getDb().$disconnect();
  await server.stop();
});

const STEP = 30_000;

/** A six-digit code that is none of the three the server accepts now. */
function wrongCode(secret: string): string {
  const now = Date.now();
  const valid = new Set([-1, 0, 1, 2].map((d) => codeFor(secret, now + d * STEP)));
  let n = Number(codeFor(secret, now));
  let code: string;
  do code = String((n = (n + 1) % 1_000_000)).padStart(6, "0");
  while (valid.has(code));
  return code;
}

/** The password step only: the answer of POST /login. */
async function passwordStep(client: Client, email: string, redirectTo = "/cases") {
  await client.get("/login");
  return client.post("/login", { email, password: PASSWORD, redirectTo });
}

describe("two-factor sign-in for an author", () => {
  let secret: string;
  let recoveryCodes: string[];
  let enrolStep: number;

  it("is set up from the account page: a QR code and the key, confirmed with a current code", async () => {
    const client = new Client(server.url);
    expect((await passwordStep(client, AUTHOR)).location).toBe("/cases");
    const account = await client.get("/me/account");
    expect(text(account.html)).toContain("Two-factor sign-in is off.");
    expect(account.html).toContain('href="/me/two-factor"');

    const setup = await client.get("/me/two-factor");
    expect(setup.status).toBe(200);
    expect(setup.html).toMatch(
      /<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" width="240" height="240" alt="QR code that adds your Vignette account \(author-2fa@example.test\) to an authenticator app"/,
    );
    secret = secretIn(setup.html)!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.html).toMatch(/class="totp-secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</);
    // The same key on every visit until it is confirmed.
    expect(secretIn((await client.get("/me/two-factor")).html)).toBe(secret);

    const wrong = await client.post("/me/two-factor", { intent: "confirm", code: wrongCode(secret) });
    expect(wrong.status).toBe(400);
    expect(text(wrong.html)).toContain("That code is not right.");
    const missing = await client.post("/me/two-factor", { intent: "confirm", code: "" });
    expect(missing.status).toBe(400);

    const now = Date.now();
    enrolStep = Math.floor(now / STEP);
    const done = await client.post("/me/two-factor", { intent: "confirm", code: codeFor(secret, now) });
    expect(done.status).toBe(200);
    expect(text(done.html)).toContain("Two-factor sign-in is on.");
    recoveryCodes = [...done.html.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
    expect(recoveryCodes).toHaveLength(10);

    // At rest: the key encrypted, the recovery codes hashed.
    // Through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
    const stored = {
      secret: (await getDb().twoFactor.findFirstOrThrow()).secret,
      hashes: (await getDb().recoveryCode.findMany()).map((r) => r.codeHash),
    };
    expect(stored.secret).toMatch(/^v1\./);
    expect(stored.secret).not.toContain(secret);
    expect(stored.hashes).toHaveLength(10);
    for (const code of recoveryCodes) expect(stored.hashes.join()).not.toContain(code.replace("-", ""));

    expect(text((await client.get("/me/account")).html)).toContain(
      "Two-factor sign-in is on. Unused recovery codes: 10.",
    );
    expect((await client.post("/logout", {})).status).toBe(302);
    expect((await client.get("/me/account")).status).toBe(302);
  });

  it("then asks for a code after the password, before any session exists", async () => {
    const client = new Client(server.url);
    const password = await passwordStep(client, AUTHOR, "/me/account");
    expect(password.status).toBe(302);
    expect(password.location).toBe("/login/two-factor");
    const cookies = password.headers.getSetCookie().join("\n");
    expect(cookies).toContain("__vignette_pending_login=");
    expect(cookies).not.toContain("__vignette_session=");
    // The pending sign-in opens nothing else.
    expect((await client.get("/me/account")).location).toBe("/login?redirectTo=%2Fme%2Faccount");

    const step = await client.get("/login/two-factor");
    expect(step.status).toBe(200);
    expect(text(step.html)).toContain("Enter the six-digit code from your authenticator app");
    const french = await client.get("/login/two-factor", { "Accept-Language": "fr-CA" });
    expect(text(french.html)).toContain("Connexion à deux facteurs");

    const wrong = await client.post("/login/two-factor", { code: wrongCode(secret) });
    expect(wrong.status).toBe(401);
    expect(text(wrong.html)).toContain("That code is not right.");
    const garbled = await client.post("/login/two-factor", { code: "12ab" });
    expect(garbled.status).toBe(400);
    expect(text(garbled.html)).toContain("Enter the six-digit code from your app, or a recovery code.");

    // The next time step's code: the one that confirmed the setup is used up.
    const code = codeFor(secret, Math.max(Date.now(), (enrolStep + 1) * STEP));
    const right = await client.post("/login/two-factor", { code });
    expect(right.status).toBe(302);
    expect(right.location).toBe("/me/account");
    expect((await client.get("/me/account")).status).toBe(200);

    // The same code once more, from another sign-in, is refused.
    const other = new Client(server.url);
    expect((await passwordStep(other, AUTHOR)).location).toBe("/login/two-factor");
    const replayed = await other.post("/login/two-factor", { code });
    expect(replayed.status).toBe(401);
    expect(text(replayed.html)).toContain("That code was already used.");
    expect((await other.get("/me/account")).status).toBe(302);

    // A recovery code signs in once.
    const recovered = await other.post("/login/two-factor", { code: recoveryCodes[0]!.toUpperCase() });
    expect(recovered.status).toBe(302);
    expect(recovered.location).toBe("/cases");
    expect(text((await other.get("/me/account")).html)).toContain("Unused recovery codes: 9.");
    const third = new Client(server.url);
    await passwordStep(third, AUTHOR);
    const again = await third.post("/login/two-factor", { code: recoveryCodes[0]! });
    expect(again.status).toBe(401);
    expect(text(again.html)).toContain("That code is not right.");
  });

  it("is turned off with the password and a code", async () => {
    const client = new Client(server.url);
    await passwordStep(client, AUTHOR);
    expect((await client.post("/login/two-factor", { code: recoveryCodes[1]! })).status).toBe(302);
    await client.get("/me/two-factor");
    const badPassword = await client.post("/me/two-factor", {
      intent: "disable",
      currentPassword: "not the password at all",
      code: recoveryCodes[2]!,
    });
    expect(badPassword.status).toBe(400);
    expect(text(badPassword.html)).toContain("The current password is incorrect.");
    const off = await client.post("/me/two-factor", {
      intent: "disable",
      currentPassword: PASSWORD,
      code: recoveryCodes[2]!,
    });
    expect(off.location).toBe("/me/account?twoFactor=off");
    expect(text((await client.get(off.location!)).html)).toContain("Two-factor sign-in is off.");
    expect(await getDb().recoveryCode.count()).toBe(0);
    expect((await passwordStep(new Client(server.url), AUTHOR)).location).toBe("/cases");
  });

  it("logs each event, and never the key or a code", () => {
    const events = server
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { event?: string })
      .map((line) => line.event);
    for (const event of [
      "auth.two_factor_enrolled",
      "auth.two_factor_failed",
      "auth.recovery_code_used",
      "auth.two_factor_disabled",
    ]) {
      expect(events).toContain(event);
    }
    expect(server.output()).not.toContain(secret);
    expect(server.output()).not.toContain(recoveryCodes[0]!);
  });
});

describe("two-factor sign-in for an admin", () => {
  it("must be set up before any staff page opens, and cannot be turned off", async () => {
    const client = new Client(server.url);
    const password = await passwordStep(client, ADMIN, "/admin/certificates");
    expect(password.location).toBe("/me/two-factor?redirectTo=%2Fadmin%2Fcertificates");
    expect((await client.get("/admin/certificates")).location).toBe(
      "/me/two-factor?redirectTo=%2Fadmin%2Fcertificates",
    );
    expect((await client.get("/studio")).location).toBe("/me/two-factor?redirectTo=%2Fstudio");

    const setup = await client.get(password.location!);
    expect(text(setup.html)).toContain("Administrators must use two-factor sign-in.");
    const secret = secretIn(setup.html)!;
    const done = await client.post(password.location!, { intent: "confirm", code: codeFor(secret) });
    expect(done.status).toBe(200);
    expect(done.html).toContain('href="/admin/certificates"');
    expect((await client.get("/admin/certificates")).status).toBe(200);

    const refused = await client.post("/me/two-factor", {
      intent: "disable",
      currentPassword: PASSWORD,
      code: codeFor(secret, Date.now() + STEP),
    });
    expect(refused.status).toBe(403);
    expect(text(refused.html)).toContain("Administrators cannot turn off two-factor sign-in.");
    expect(await getDb().twoFactor.count({ where: { enabledAt: { not: null } } })).toBe(1);
  });

  it("still asks for the code after a password link (a reset) is used", async () => {
    const { createPasswordToken } = await import("~/models/password-token.server");
    const adminId = (await getDb().user.findUniqueOrThrow({ where: { email: ADMIN } })).id;
    const token = await createPasswordToken(adminId, "reset");
    const client = new Client(server.url);
    await client.get(`/set-password?token=${token}`);
    const used = await client.post("/set-password", { token, password: PASSWORD, confirm: PASSWORD });
    expect(used.status).toBe(302);
    expect(used.location).toBe("/login/two-factor");
    expect(used.headers.getSetCookie().join("\n")).not.toContain("__vignette_session=");
    expect((await client.get("/admin/certificates")).location).toBe("/login?redirectTo=%2Fadmin%2Fcertificates");
  });

  it("is not offered to learners", async () => {
    const learner = new Client(server.url);
    await learner.join({
      name: "Lea Learner",
      email: "learner-2fa@example.test",
      password: PASSWORD,
      registrationNumber: "OT-4321",
      regulator: "coto",
      locale: "en",
    });
    expect((await learner.get("/me/account")).status).toBe(200);
    expect(text((await learner.get("/me/account")).html)).not.toContain("Two-factor");
    expect((await learner.get("/me/two-factor")).status).toBe(403);
  });
});
