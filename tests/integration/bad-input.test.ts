// Every action, sent every kind of body a browser form never sends, by a signed-in person who may
// use them all: each answer is a 4xx, nothing is written, and the server keeps serving. Bodies
// over the limit are refused from their headers, before anything reads them.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModule } from "~/models/module.server";
import { createUser } from "~/models/user.server";
import { getDb } from "~/utils/db.server";
import { Client } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
/** The published demo case's source, read in beforeAll. */
let demoSource: string;
let client: Client;
let actions: string[];
const PASSWORD = "correct horse battery staple";
const SLUG = "social-media-boundaries";

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
async function counts(): Promise<Record<string, number>> {
  const db = getDb();
  return {
    User: await db.user.count(),
    Session: await db.session.count(),
    Attempt: await db.attempt.count(),
    AttemptStep: await db.attemptStep.count(),
    Reflection: await db.reflection.count(),
    Completion: await db.completion.count(),
    Certificate: await db.certificate.count(),
    CaseDraft: await db.caseDraft.count(),
    AuditEntry: await db.auditEntry.count(),
    Module: await db.module.count(),
    Cohort: await db.cohort.count(),
    CohortMember: await db.cohortMember.count(),
    Assignment: await db.assignment.count(),
  };
}

beforeAll(async () => {
  server = await startServer();
  const email = "everything@bad-input.test";
  const user = await createUser({
    email,
    name: "Every Role",
    password: PASSWORD,
    registrationNumber: "R-1",
    regulator: "coto",
    locale: "en",
    roles: ["learner", "educator", "author", "admin"],
    // cases/ holds both demo regulators' cases: this person works for both.
    grants: [
      { role: "author", regulator: "demo-psychotherapy" },
      { role: "admin", regulator: "demo-psychotherapy" },
    ],
  });
  client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);

  // One of everything an action acts on, made the way the app makes them.
  await client.get(`/cases/${SLUG}`);
  const attempt = (await client.post(`/cases/${SLUG}`, {})).location!;
  await client.get("/educator");
  const cohortId = /^\/educator\/cohorts\/(\w+)$/.exec(
    (await client.post("/educator?index", { name: "C" })).location!,
  )![1]!;
  const caseId = (await getDb().case.findUniqueOrThrow({ where: { slug: SLUG } })).id;
  await client.get(`/educator/cohorts/${cohortId}`);
  await client.post(`/educator/cohorts/${cohortId}`, { intent: "assign", target: `case:${caseId}:latest` });
  const assignmentId = (await getDb().assignment.findFirstOrThrow()).id;
  const inviteCode = (await getDb().cohort.findFirstOrThrow()).inviteCode;
  const created = await createModule(
    { id: user.id, roles: ["educator"] },
    { titleEn: "M", titleFr: "M", descriptionEn: "", descriptionFr: "", caseIds: [caseId] },
  );
  if (!created.ok) throw new Error("module not created");
  const moduleId = (await getDb().module.findFirstOrThrow()).id;
  await client.get("/studio/drafts/new");
  const source = JSON.stringify({
    ...JSON.parse((await getDb().caseVersion.findFirstOrThrow({ orderBy: { id: "asc" } })).source),
  });
  demoSource = (await getDb().caseVersion.findFirstOrThrow({ where: { case: { slug: SLUG } }, orderBy: { id: "asc" } }))
    .source;
  const draft = (await client.post("/studio/drafts/new", { source })).location!.split("?")[0]!;

  actions = [
    "/admin/certificates",
    `/cases/${SLUG}`,
    attempt,
    "/educator?index",
    "/educator",
    `/educator/cohorts/${cohortId}`,
    `/educator/cohorts/${cohortId}/assignments/${assignmentId}`,
    `/educator/modules/${moduleId}`,
    "/educator/modules/new",
    `/invite/${inviteCode}`,
    "/join",
    "/locale",
    "/login",
    "/logout",
    "/me/account",
    `/studio/cases/${SLUG}`,
    "/studio/catalogs?index",
    draft,
    "/studio/drafts/new",
    "/studio/upload",
  ];
}, 120_000);

afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

const deep = `{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
const BAD_BODIES: Array<{ kind: string; type: string | null; body: string }> = [
  { kind: "JSON", type: "application/json", body: '{"choice":"decline","csrf":"x"}' },
  { kind: "JSON nested 10,000 deep", type: "application/json", body: deep },
  { kind: "plain text", type: "text/plain", body: "choice=decline" },
  { kind: "XML", type: "application/xml", body: "<choice>decline</choice>" },
  { kind: "no content type", type: null, body: "choice=decline" },
  { kind: "multipart without a boundary", type: "multipart/form-data", body: "--x\r\n\r\nhello\r\n--x--" },
  {
    kind: "multipart cut short",
    type: "multipart/form-data; boundary=XyZ",
    body: '--XyZ\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.json"\r\n\r\n{"slug"',
  },
  {
    kind: "multipart with a wrong boundary",
    type: "multipart/form-data; boundary=AAA",
    body: "--BBB\r\n\r\nx\r\n--BBB--",
  },
];

async function post(path: string, type: string | null, body: string) {
  const headers: Record<string, string> = { Origin: new URL(server.url).origin };
  if (type) headers["Content-Type"] = type;
  return client.request(path, { method: "POST", body: new TextEncoder().encode(body), headers });
}

describe("bodies an action does not accept", () => {
  it("get a 4xx from every action, with nothing written", async () => {
    const before = await counts();
    const answers: string[] = [];
    for (const { kind, type, body } of BAD_BODIES) {
      for (const path of actions) {
        const page = await post(path, type, body);
        if (page.status < 400 || page.status >= 500) answers.push(`${kind} → ${path}: ${page.status}`);
      }
    }
    expect(answers).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(server.output()).not.toMatch(/RangeError|Maximum call stack/);
  });

  it("answer a body that is not a form with 415, and a broken form with 400", async () => {
    const attempt = actions[2]!;
    for (const path of ["/login", "/join", "/locale", attempt, `/cases/${SLUG}`]) {
      expect((await post(path, "application/json", "{}")).status, path).toBe(415);
      expect((await post(path, "text/plain", "a=b")).status, path).toBe(415);
      expect((await post(path, "multipart/form-data", "--x--")).status, path).toBe(400);
    }
    expect((await post("/studio/upload", "application/json", "{}")).status).toBe(415);
    expect((await post("/studio/upload", "multipart/form-data; boundary=XyZ", "--XyZ\r\nbroken")).status).toBe(400);
  });

  it("keeps a signed-in person's choices working afterwards", async () => {
    expect((await client.get(actions[2]!)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

/** Sends only the request head (and a few body bytes), then reads what the server answers. */
function rawExchange(head: string, body = ""): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(head + body));
    let answer = "";
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer:\n${answer}`)));
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("end", () => resolve(answer));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("the body size limit", () => {
  const head = (path: string, extra: string) =>
    `POST ${path} HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nContent-Type: application/x-www-form-urlencoded\r\n${extra}\r\n`;

  it("refuses a 100 MB form with 413 from its Content-Length, before reading it, on every action", async () => {
    for (const path of actions) {
      const answer = await rawExchange(head(path, `Content-Length: ${100 * 1024 * 1024}\r\n`), "email=a");
      expect(answer.split("\r\n")[0], path).toBe("HTTP/1.1 413 Payload Too Large");
      expect(answer).toMatch(/Connection: close/i);
    }
  });

  it("refuses a body without a length (chunked) with 411", async () => {
    const answer = await rawExchange(head("/login", "Transfer-Encoding: chunked\r\n"), "5\r\nemail\r\n0\r\n\r\n");
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 411 Length Required");
  });

  it("survives really being sent 100 MB, and keeps serving", async () => {
    const chunk = "a".repeat(1024 * 1024);
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 100; i++) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const answer = await fetch(`${server.url}/login`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(100 * 1024 * 1024) },
      // Node's fetch needs this for a streamed body.
      duplex: "half",
    }).then(
      (response) => response.status,
      () => "reset",
    );
    expect([413, "reset"]).toContain(answer);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("lets a form under the limit through", async () => {
    const page = await client.post("/locale", { locale: "fr", redirectTo: "/cases", pad: "x".repeat(60 * 1024) });
    expect(page.status).toBe(302);
  });
});

describe("content at and over the format's limits", () => {
  /** The published demo case with `change` applied, as an author would upload it. */
  function demoCase(change: (value: any) => void): string {
    const value = JSON.parse(demoSource);
    change(value);
    return JSON.stringify(value);
  }

  async function upload(content: string) {
    await client.get("/studio/upload");
    const form = new FormData();
    form.append("csrf", client.csrf!);
    form.append("file", new Blob([content], { type: "application/json" }), `${SLUG}.json`);
    return client.request("/studio/upload", {
      method: "POST",
      body: form,
      headers: { Origin: new URL(server.url).origin },
    });
  }

  it("refuses a decision with 10,000 choices at upload, naming the decision", async () => {
    const content = demoCase((value) => {
      const [id, node] = Object.entries<any>(value.nodes).find(([, n]) => n.kind === "decision")!;
      const next = node.choices[0].next;
      node.choices = Array.from({ length: 10_000 }, (_, i) => ({ id: `c${i}`, label: { en: "a", fr: "b" }, next }));
      value.__decision = id;
    });
    const id = JSON.parse(content).__decision;
    const page = await upload(content.replace(/,"__decision":"[^"]+"/, ""));
    expect(page.status).toBe(400);
    expect(page.html).toContain(`/nodes/${id}/choices`);
    expect(page.html).toContain("a decision has at most 20 choices");
  });

  it("draws the graph of a case with a chain at the node limit", async () => {
    const content = demoCase((value) => {
      const count = 1_000 - Object.keys(value.nodes).length;
      for (let i = 0; i < count; i++) {
        value.nodes[`chain${i}`] = {
          kind: "scene",
          body: { en: `Scene ${i}`, fr: `Scène ${i}` },
          next: i + 1 < count ? `chain${i + 1}` : value.start,
        };
      }
      value.start = "chain0";
    });
    const page = await upload(content);
    expect(page.status, page.html.slice(0, 2000)).toBe(302);
    const draft = page.location!.split("?")[0]!;
    const graph = await client.get(`${draft}/graph`);
    expect(graph.status).toBe(200);
    const chain = Object.keys(JSON.parse(content).nodes).filter((id) => id.startsWith("chain"));
    expect(graph.html).toContain(`>${chain[0]}<`);
    expect(graph.html).toContain(`>${chain.at(-1)}<`);
  });
});
