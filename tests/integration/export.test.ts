// /me/export over real HTTP: a learner plays the mini-case through the forms and writes a
// reflection, then downloads their data, unzips it and finds their choices, their reflection, their
// completion and certificate, in the JSON and the CSV files; another learner's data is not in it;
// signed out, the download sends the browser to sign in.
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const PASSWORD = "correct horse battery staple";
// Starts with "=": a spreadsheet would run it as a formula unless the CSV neutralises it.
const REFLECTION = "=1+1 I declined and named the office channels r8k2";
const OTHER_REFLECTION = "Someone else's reflection w5n1";

async function join(name: string, email: string, locale: "en" | "fr", registrationNumber: string) {
  const client = new Client(server.url);
  // Registered with the fixtures' mini-case regulator, so a pass is a credited completion record.
  const page = await client.join({ name, email, password: PASSWORD, registrationNumber, regulator: "demo", locale });
  expect(page.status).toBe(302);
  return client;
}

async function step(client: Client, url: string, from: string, fields: Record<string, string> = {}) {
  await client.get(url);
  expect((await client.post(url, { from, ...fields })).status).toBe(302);
}

async function play(client: Client, q1: "decline" | "accept", reflection: string) {
  await client.get("/cases/mini-case");
  const started = await client.post("/cases/mini-case", {});
  expect(started.status).toBe(302);
  const url = started.location!;
  await step(client, url, "context");
  await step(client, url, "q1", { choice: q1 });
  await step(client, url, "q2", { choice: "explain" });
  await step(client, url, "reflect", { reflection });
  return client.get(url);
}

let learner: Client;
let certificateCode: string;
let files: Record<string, string>;
let download: Awaited<ReturnType<Client["download"]>>;

beforeAll(async () => {
  server = await startServer({ content: [path.resolve("tests/fixtures/valid")] });
  // A French-speaking learner passes (so has a completion and a certificate); another learner
  // takes the critical choice and writes their own reflection.
  learner = await join("Élise Export", "elise-export@example.test", "fr", "OT-EXP-1");
  const done = await play(learner, "decline", REFLECTION);
  certificateCode = /\/certificates\/([a-z2-9]{26})/.exec(done.html)![1]!;
  const other = await join("Omar Other", "omar-other@example.test", "en", "OT-OTH-2");
  await play(other, "accept", OTHER_REFLECTION);

  download = await learner.download("/me/export");
  files = Object.fromEntries(Object.entries(unzipSync(download.body)).map(([name, bytes]) => [name, strFromU8(bytes)]));
});
afterAll(async () => {
  const { getDb } = await import("~/utils/db.server");
  await getDb().$disconnect();
  await server?.stop();
});

const csvRows = (csv: string) =>
  csv
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n");

describe("/me/export", () => {
  it("is one zip download, never cached", () => {
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("application/zip");
    expect(download.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="vignette-export-\d{4}-\d{2}-\d{2}\.zip"$/,
    );
    expect(download.headers.get("Cache-Control")).toBe("no-store");
    expect(Object.keys(files).sort()).toEqual([
      "attempts.csv",
      "certificates.csv",
      "choices.csv",
      "completions.csv",
      "reflections.csv",
      "vignette-export.json",
    ]);
  });

  it("holds the learner's profile, roles, attempt with every choice and reflection, completion and certificate", () => {
    const json = JSON.parse(files["vignette-export.json"]!);
    expect(json.format).toBe(2);
    expect(Date.now() - Date.parse(json.exportedAt)).toBeLessThan(60_000);
    expect(json.profile).toMatchObject({
      name: "Élise Export",
      email: "elise-export@example.test",
      registrationNumber: "OT-EXP-1",
      regulator: "demo",
      language: "fr",
    });
    expect(Date.parse(json.profile.createdAt)).not.toBeNaN();
    expect(json.roles).toEqual(["learner"]);
    expect(json.attempts).toHaveLength(1);
    const [attempt] = json.attempts;
    expect(attempt).toMatchObject({ case: "mini-case", version: 1, number: 1, status: "completed", passed: true });
    // Choice labels in the learner's language, with the points each earned.
    expect(attempt.choices.map((c: { nodeId: string; choiceId: string; label: string; points: number }) => c)).toEqual([
      expect.objectContaining({ nodeId: "q1", choiceId: "decline", label: "Refuser", points: 2 }),
      expect.objectContaining({ nodeId: "q2", choiceId: "explain", points: 1 }),
    ]);
    expect(attempt.reflections).toEqual([expect.objectContaining({ nodeId: "reflect", text: REFLECTION })]);
    expect(json.completions).toEqual([
      expect.objectContaining({
        attemptId: attempt.id,
        learnerName: "Élise Export",
        registrationNumber: "OT-EXP-1",
        case: "mini-case",
        passed: true,
      }),
    ]);
    expect(json.certificates).toEqual([
      expect.objectContaining({ code: certificateCode, status: "valid", revokedAt: null, case: "mini-case" }),
    ]);
  });

  it("has the same in CSV files, with a formula-looking reflection neutralised", () => {
    const choices = csvRows(files["choices.csv"]!);
    expect(choices[0]).toBe("attempt_id,case,version,step,node_id,choice_id,choice_label,points,recorded_at");
    expect(choices.some((l) => /,mini-case,1,\d+,q1,decline,Refuser,2,/.test(l))).toBe(true);
    expect(choices).toHaveLength(3);
    const reflections = csvRows(files["reflections.csv"]!);
    expect(reflections[0]).toBe("attempt_id,case,version,node_id,text,written_at");
    expect(reflections[1]).toContain(`,mini-case,1,reflect,'${REFLECTION},`);
    expect(csvRows(files["attempts.csv"]!)[1]).toMatch(/,mini-case,1,.*,1,completed,/);
    expect(csvRows(files["completions.csv"]!)[1]).toContain("Élise Export,OT-EXP-1,demo");
    expect(csvRows(files["certificates.csv"]!)[1]).toMatch(new RegExp(`^${certificateCode},.*,mini-case,1,valid,`));
  });

  it("holds nothing of another learner, and no secret", async () => {
    const everything = Object.values(files).join("\n");
    for (const other of [OTHER_REFLECTION, "Omar", "omar-other@example.test", "OT-OTH-2", "accept"]) {
      expect(everything, other).not.toContain(other);
    }
    expect(everything).not.toMatch(/argon2|csrf|csrfToken|inviteCode/i);
    // The other learner's own export has their reflection and not this learner's.
    const other = new Client(server.url);
    expect((await other.login("omar-other@example.test", PASSWORD)).status).toBe(302);
    const theirs = unzipSync((await other.download("/me/export")).body);
    const json = strFromU8(theirs["vignette-export.json"]!);
    expect(json).toContain(OTHER_REFLECTION);
    expect(json).not.toContain(REFLECTION);
    expect(json).not.toContain("Élise");
  });

  it("sends a signed-out visitor to sign in", async () => {
    const anonymous = await new Client(server.url).download("/me/export");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/login?redirectTo=%2Fme%2Fexport");
    expect(anonymous.body.length === 0 || anonymous.headers.get("Content-Type") !== "application/zip").toBe(true);
  });

  it("is offered on the account page, in English and in French", async () => {
    const fr = await learner.get("/me/account");
    expect(fr.html).toMatch(/<a href="\/me\/export" download="">Télécharger mes données \(zip\)<\/a>/);
    expect(text(fr.html)).toContain("Vos données");
    const en = await join("Ed English", "ed-export@example.test", "en", "OT-EXP-3");
    const page = await en.get("/me/account");
    expect(page.html).toMatch(/<a href="\/me\/export" download="">Download my data \(zip\)<\/a>/);
    expect(text(page.html)).toContain("Your data");
  });
});
