// A lost authenticator over real HTTP: in the admin area a regulator admin resets the two-factor
// sign-in of an author of their regulator, and an operator that of a regulator admin. The person is
// signed out everywhere and told by mail (a real SMTP server on loopback); an author then signs in
// with the password alone, an admin is held at two-factor set-up. Nobody resets their own, and a
// regulator admin never another admin's.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createUser } from "~/models/user.server";
import type { Role } from "~/utils/roles";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";
import { startMailbox, type TestMailbox } from "../support/smtp";

const PASSWORD = "correct horse battery staple";
const COTO = "coto";

let mailbox: TestMailbox;
let server: TestServer;

let counter = 0;
async function account(role: Role) {
  const n = ++counter;
  const email = `tf-reset-${n}@two-factor-reset.test`;
  const user = await createUser({
    email,
    name: `Reset ${n}`,
    password: PASSWORD,
    registrationNumber: `TR-${n}`,
    regulator: COTO,
    locale: "en",
    roles: [role],
  });
  const client = new Client(server.url);
  // Admins and operators set two-factor sign-in up at their first sign-in (the client does as asked).
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return { id: user.id, email, client };
}

const reset = (admin: Client, userId: string, accountReason: string) =>
  admin.post(`/admin/people/${userId}`, { intent: "two-factor", accountReason });

let cotoAdmin: Awaited<ReturnType<typeof account>>;
let otherAdmin: Awaited<ReturnType<typeof account>>;
let operator: Awaited<ReturnType<typeof account>>;
let author: Awaited<ReturnType<typeof account>>;

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({
    env: {
      SMTP_URL: mailbox.url,
      MAIL_FROM: "CE Office <ce@college.example>",
      PUBLIC_URL: "https://vignette.reset.example",
    },
  });
  cotoAdmin = await account("admin");
  otherAdmin = await account("admin");
  operator = await account("operator");
  author = await account("author");
  await author.client.enrolTwoFactor(author.email);
  for (const admin of [cotoAdmin, operator]) await admin.client.get("/admin/people");
});
afterAll(async () => {
  await server?.stop();
  await mailbox?.stop();
});

describe("resetting two-factor sign-in in the admin area", () => {
  it("lets a regulator admin reset an author's: signed out, told by mail, then a password is enough", async () => {
    const page = await cotoAdmin.client.get(`/admin/people/${author.id}`);
    expect(page.html).toContain('value="two-factor"');
    expect((await reset(cotoAdmin.client, author.id, "")).status).toBe(400);
    const done = await reset(cotoAdmin.client, author.id, "Lost their phone and codes, ticket 77.");
    expect(done.status).toBe(200);
    expect(text(done.html)).toContain("Two-factor sign-in reset; 1 session(s) ended. The person is told by email.");
    expect(text(done.html)).toContain("Lost their phone and codes, ticket 77.");

    // The author's session is gone.
    const after = await author.client.get("/me/account");
    expect([after.status, after.location?.startsWith("/login")]).toEqual([302, true]);
    await vi.waitFor(
      () => expect(mailbox.received.some((m) => m.to && JSON.stringify(m.to).includes(author.email))).toBe(true),
      {
        timeout: 30_000,
      },
    );
    const mail = mailbox.received.find((m) => JSON.stringify(m.to).includes(author.email))!;
    expect(mail.subject).toBe("Your two-factor sign-in was reset (College of Occupational Therapists of Ontario)");
    expect(mail.text).toContain("An administrator reset the two-factor sign-in of your account");

    const again = new Client(server.url);
    await again.get("/login");
    const signedIn = await again.post("/login", { email: author.email, password: PASSWORD, redirectTo: "/cases" });
    expect([signedIn.status, signedIn.location]).toEqual([302, "/cases"]);
  });

  it("refuses a regulator admin another admin's and their own, changing nothing", async () => {
    expect((await cotoAdmin.client.get(`/admin/people/${otherAdmin.id}`)).html).not.toContain('value="two-factor"');
    const other = await reset(cotoAdmin.client, otherAdmin.id, "Asked by phone, ticket 78.");
    expect(other.status).toBe(403);
    expect(text(other.html)).toContain("Only an operator can reset the two-factor sign-in of an admin or operator.");
    const own = await reset(cotoAdmin.client, cotoAdmin.id, "My own phone, ticket 79.");
    expect(own.status).toBe(409);
    expect((await otherAdmin.client.get("/admin/people")).status).toBe(200);
    expect((await cotoAdmin.client.get("/admin/people")).status).toBe(200);
  });

  it("lets an operator reset a regulator admin's, who is then held at set-up", async () => {
    const done = await reset(operator.client, otherAdmin.id, "Lost authenticator, ticket 80.");
    expect(done.status).toBe(200);
    expect((await otherAdmin.client.get("/admin/people")).status).toBe(302);
    const again = new Client(server.url);
    await again.get("/login");
    const signedIn = await again.post("/login", {
      email: otherAdmin.email,
      password: PASSWORD,
      redirectTo: "/admin/people",
    });
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toMatch(/^\/me\/two-factor/);
    const held = await again.get("/admin/people");
    expect(held.status).toBe(302);
    expect(held.location).toMatch(/^\/me\/two-factor/);
  });
});
