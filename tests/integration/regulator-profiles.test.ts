// The admin area's regulator profiles over real HTTP against the production server: an admin of a
// regulator downloads its profile, uploads a changed one (with or without a new logo), and it is
// published only when a second admin of that regulator approves; other regulators' admins, authors
// and learners see nothing of it, and the studio's change forms cannot decide it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRegulator, getRegulatorLogo } from "~/models/regulator.server";
import { getDb } from "~/utils/db.server";
import { Client, text } from "../support/client";
import { png } from "../support/images";
import { signedInAs } from "../support/people";
import { startServer, type TestServer } from "../support/server";

const DEMO = "demo-psychotherapy";
const COTO = "coto";

let server: TestServer;
let asker: Client;
let second: Client;
let cotoAdmin: Client;
let author: Client;
let learner: Client;

beforeAll(async () => {
  server = await startServer();
  asker = await signedInAs(server, { roles: [], grants: [{ role: "admin", regulator: DEMO }] });
  second = await signedInAs(server, { roles: [], grants: [{ role: "admin", regulator: DEMO }] });
  cotoAdmin = await signedInAs(server, { roles: [], grants: [{ role: "admin", regulator: COTO }], regulator: COTO });
  author = await signedInAs(server, { roles: [], grants: [{ role: "author", regulator: DEMO }] });
  learner = await signedInAs(server, { roles: ["learner"] });
});
afterAll(async () => {
  await server?.stop();
});

/** Posts the upload form: the profile file, and a logo image when given, with the CSRF token. */
async function upload(client: Client, profile: string, logo?: Uint8Array, csrf = true) {
  await client.get("/admin/regulators/upload");
  const form = new FormData();
  if (csrf) form.append("csrf", client.csrf!);
  form.append("file", new Blob([profile], { type: "application/json" }), `${DEMO}.json`);
  form.append("logo", new Blob(logo ? [new Uint8Array(logo)] : [], { type: "image/png" }), logo ? "logo.png" : "");
  return client.request("/admin/regulators/upload", {
    method: "POST",
    body: form,
    headers: { Origin: new URL(server.url).origin },
  });
}

const versions = (id = DEMO) => getDb().regulatorVersion.count({ where: { regulatorId: id } });
const waitingId = async () =>
  (await getDb().changeRequest.findFirst({ where: { kind: "regulator_profile", status: "pending", subject: DEMO } }))
    ?.id;

describe("regulator profiles in the admin area", () => {
  it("are for admins of that regulator: others get 404, staff and learners 403, visitors the sign-in page", async () => {
    const own = text((await asker.get("/admin/regulators")).html);
    expect(own).toContain("College of Psychotherapists (demo)");
    expect(own).not.toContain("College of Occupational Therapists of Ontario");
    expect((await asker.get(`/admin/regulators/${COTO}`)).status).toBe(404);
    expect((await asker.download(`/admin/regulators/${COTO}/versions/1/source`)).status).toBe(404);
    expect((await cotoAdmin.download(`/admin/regulators/${COTO}/versions/1/source`)).status).toBe(200);
    expect((await asker.download(`/admin/regulators/${DEMO}/versions/999/source`)).status).toBe(404);
    for (const client of [author, learner]) {
      expect((await client.get("/admin/regulators")).status).toBe(403);
      expect((await client.get(`/admin/regulators/${DEMO}`)).status).toBe(403);
    }
    const visitor = await new Client(server.url).get("/admin/regulators");
    expect(visitor.status).toBe(302);
    expect(visitor.location).toMatch(/^\/login/);
  });

  it("publish an uploaded version once a second admin approves it, keeping the logo", async () => {
    const before = await versions();
    const logoBefore = await getRegulatorLogo(DEMO);
    const current = await asker.download(`/admin/regulators/${DEMO}/versions/${before}/source`);
    const profile = JSON.parse(new TextDecoder().decode(current.body)) as Record<string, any>;
    profile.name.fr = "Ordre des psychothérapeutes (démo, nouveau nom)";
    const changed = `${JSON.stringify(profile, null, 2)}\n`;

    const requested = await upload(asker, changed);
    expect(requested.status).toBe(302);
    expect(requested.location).toBe(`/admin/regulators/${DEMO}?requested=1`);
    expect(await versions()).toBe(before);
    const page = text((await asker.get(requested.location!)).html);
    expect(page).toContain("/name/fr");
    expect(page).toContain("Ordre des psychothérapeutes (démo, nouveau nom)");
    expect(page).toContain("The logo stays the same.");
    expect(page).toContain("You asked for this");

    const id = (await waitingId())!;
    // The asker cannot approve; another regulator's admin does not find it, nor do the studio's forms
    // (even for an admin who may decide there).
    expect((await asker.post(`/admin/regulators/${DEMO}`, { intent: "approve-change", requestId: id })).status).toBe(
      403,
    );
    await cotoAdmin.get(`/admin/regulators/${COTO}`);
    expect(
      (await cotoAdmin.post(`/admin/regulators/${COTO}`, { intent: "approve-change", requestId: id })).status,
    ).toBe(404);
    await second.get("/studio/catalogs");
    expect((await second.post("/studio/catalogs", { intent: "approve-change", requestId: id })).status).toBe(404);
    // A decision without the form's CSRF token is refused.
    await second.get(`/admin/regulators/${DEMO}`);
    expect(
      (await second.post(`/admin/regulators/${DEMO}`, { intent: "approve-change", requestId: id }, { csrf: false }))
        .status,
    ).toBe(403);
    expect(await versions()).toBe(before);

    const approved = await second.post(`/admin/regulators/${DEMO}`, { intent: "approve-change", requestId: id });
    expect(approved.status).toBe(302);
    expect(text((await second.get(approved.location!)).html)).toContain("Approved: the change is made.");
    expect(await versions()).toBe(before + 1);
    expect((await getRegulator(DEMO))?.name.fr).toBe("Ordre des psychothérapeutes (démo, nouveau nom)");
    expect((await getRegulatorLogo(DEMO))?.hash).toBe(logoBefore?.hash);
    const after = text((await second.get(`/admin/regulators/${DEMO}`)).html);
    expect(after).toContain(`Version ${before + 1}`);
  });

  it("refuses a bad profile or logo with the file's line and field, keeping nothing", async () => {
    const before = await versions();
    const current = await asker.download(`/admin/regulators/${DEMO}/versions/${before}/source`);
    const source = new TextDecoder().decode(current.body);
    const badZone = source.replace('"America/Vancouver"', '"Vancouver"');
    const refused = await upload(asker, badZone);
    expect(refused.status).toBe(400);
    expect(text(refused.html)).toContain("The profile has errors and was not kept.");
    expect(text(refused.html)).toContain("timeZone is an IANA time zone");

    const svgLogo = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    const notImage = await upload(asker, source, svgLogo);
    expect(notImage.status).toBe(400);
    expect(text(notImage.html)).toContain("SVG");

    const same = await upload(asker, source);
    expect(same.status).toBe(409);
    expect(text(same.html)).toContain(`Identical to version ${before}`);

    expect((await upload(asker, source.replace("(demo)", "(demo 2)"), png(30, 10), false)).status).toBe(403);
    expect(await versions()).toBe(before);
    expect(await waitingId()).toBeUndefined();
  });

  it("takes a new logo with the profile, shown to the second admin as a new image", async () => {
    const before = await versions();
    const current = await asker.download(`/admin/regulators/${DEMO}/versions/${before}/source`);
    const source = new TextDecoder().decode(current.body);
    const logo = png(120, 40);
    expect((await upload(asker, source, logo)).status).toBe(302);
    expect(text((await second.get(`/admin/regulators/${DEMO}`)).html)).toContain("A new logo image.");
    await second.post(`/admin/regulators/${DEMO}`, { intent: "approve-change", requestId: (await waitingId())! });
    const published = await getRegulatorLogo(DEMO);
    expect(published && Buffer.from(published.bytes).equals(logo)).toBe(true);
    // The new logo is served at its own address; the old one still resolves for documents made before.
    expect((await learner.download(published!.url)).status).toBe(200);
  });
});
