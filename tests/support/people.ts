// People for the integration suites: a new account with the roles asked for, signed in through the
// real /login form, and a file posted the way the studio's upload forms post it.
import { expect } from "vitest";
import { createUser } from "~/models/user.server";
import type { Grant, Role } from "~/utils/roles";
import { Client } from "./client";
import type { TestServer } from "./server";

export const PASSWORD = "correct horse battery staple";

let counter = 0;

/** A new account (a unique email per call) of `regulator` with `roles`, signed in on `server`. */
export async function signedInAs(
  server: TestServer,
  options: { roles: Role[]; regulator?: string; locale?: "en" | "fr"; grants?: Grant[] },
): Promise<Client> {
  const n = ++counter;
  const email = `person-${n}-${process.pid}@people.test`;
  await createUser({
    email,
    name: `Person ${n}`,
    password: PASSWORD,
    registrationNumber: `P-${n}`,
    regulator: options.regulator ?? "demo",
    locale: options.locale ?? "en",
    roles: options.roles,
    grants: options.grants ?? [],
  });
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

/** Posts one file as the studio's upload forms do (multipart, with the CSRF token, same origin). */
export async function postFile(
  server: TestServer,
  client: Client,
  url: string,
  fileName: string,
  content: string | Uint8Array<ArrayBuffer>,
  type = "application/json",
) {
  if (!client.csrf) await client.get("/studio");
  const form = new FormData();
  form.append("csrf", client.csrf!);
  form.append("file", new Blob([content], { type }), fileName);
  return client.request(url, { method: "POST", body: form, headers: { Origin: new URL(server.url).origin } });
}
