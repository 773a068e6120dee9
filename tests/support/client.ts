// A minimal browser without JavaScript: cookies, same-origin form posts, manual redirects. It is
// how a learner with scripts disabled uses the app, and how an attacker replays requests.
import { codeFor, knows, nextCode, remember, secretIn } from "./authenticator";

export type Page = { status: number; location: string | null; html: string; headers: Headers };

export class Client {
  private cookies = new Map<string, string>();
  /** The CSRF token from the last page that had one. */
  csrf: string | null = null;

  /** `headers` go with every request (e.g. X-Forwarded-For, to be another client address). */
  constructor(
    readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /**
   * The same browser on another app instance at `base` (two instances behind one address): a client
   * sharing this one's cookies, so a session made on one is used on the other.
   */
  on(base: string): Client {
    const other = new Client(base, this.headers);
    other.cookies = this.cookies;
    other.csrf = this.csrf;
    return other;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers({ ...this.headers, ...Object.fromEntries(new Headers(init.headers)) });
    if (this.cookies.size > 0) headers.set("Cookie", this.cookieHeader());
    const response = await fetch(new URL(path, this.base), { ...init, headers, redirect: "manual" });
    this.remember(response);
    const type = response.headers.get("Content-Type") ?? "";
    const html = type.includes("pdf") ? "" : await response.text();
    const token = /name="csrf" value="([^"]+)"/.exec(html);
    if (token) this.csrf = token[1]!;
    return { status: response.status, location: response.headers.get("Location"), html, headers: response.headers };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(path, { headers });
  }

  /** GET a download (a zip, say): the body as bytes, with the status and headers. */
  async download(
    path: string,
  ): Promise<{ status: number; location: string | null; headers: Headers; body: Uint8Array }> {
    const headers = new Headers(this.headers);
    if (this.cookies.size > 0) headers.set("Cookie", this.cookieHeader());
    const response = await fetch(new URL(path, this.base), { headers, redirect: "manual" });
    this.remember(response);
    const body = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, location: response.headers.get("Location"), headers: response.headers, body };
  }

  /** GET, following redirects within the site. */
  async visit(path: string): Promise<Page> {
    let page = await this.get(path);
    for (let hops = 0; page.location && hops < 5; hops++) page = await this.get(page.location);
    return page;
  }

  /** A form post as a browser makes it: same Origin, with the CSRF token unless told otherwise. */
  post(path: string, fields: Record<string, string>, options: { csrf?: boolean; origin?: string } = {}): Promise<Page> {
    const body = new URLSearchParams(fields);
    if (options.csrf !== false && this.csrf && !("csrf" in fields)) body.set("csrf", this.csrf);
    return this.request(path, {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: options.origin ?? new URL(this.base).origin,
      },
    });
  }

  /**
   * Creates an account through the /join form (its page first, as a browser would), then signs in
   * from the page it leads to, as the person would: the sign-in's answer, or /join's when refused.
   */
  async join(fields: Record<string, string>, query = ""): Promise<Page> {
    const joined = await this.joinOnly(fields, query);
    if (!joined.location?.startsWith("/login?joined=1")) return joined;
    const redirectTo = new URL(joined.location, this.base).searchParams.get("redirectTo") ?? "/cases";
    return this.login(fields.email ?? "", fields.password ?? "", redirectTo);
  }

  /** Posts the /join form and returns its answer (no sign-in). */
  async joinOnly(fields: Record<string, string>, query = ""): Promise<Page> {
    await this.get(`/join${query}`);
    return this.post(`/join${query}`, fields);
  }

  /**
   * Signs in as a person does. With two-factor sign-in on, the second step is answered from the
   * test authenticator app (./authenticator.ts) when it knows the account; an account that must
   * set it up first (an admin) sets it up, as the page it is sent to asks. The sign-in's answer.
   */
  async login(email: string, password: string, redirectTo = "/cases"): Promise<Page> {
    await this.get("/login");
    const page = await this.post("/login", { email, password, redirectTo });
    if (page.location === "/login/two-factor" && knows(this.base, email)) {
      await this.get(page.location);
      return this.post(page.location, { code: await nextCode(this.base, email) });
    }
    if (page.location?.startsWith("/me/two-factor")) await this.enrolTwoFactor(email);
    return page;
  }

  /** Sets up two-factor sign-in for the signed-in account; its secret and recovery codes. */
  async enrolTwoFactor(email: string): Promise<{ secret: string; recoveryCodes: string[] }> {
    const setup = await this.get("/me/two-factor");
    const secret = secretIn(setup.html);
    if (!secret) throw new Error(`no two-factor setup for ${email}: ${setup.status}`);
    const now = Date.now();
    const done = await this.post("/me/two-factor", { intent: "confirm", code: codeFor(secret, now) });
    if (done.status !== 200) throw new Error(`two-factor setup refused for ${email}: ${done.status}`);
    remember(this.base, email, secret, now);
    const recoveryCodes = [...done.html.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
    return { secret, recoveryCodes };
  }
}

/** The document's <title>. */
export function title(html: string): string | undefined {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1];
}

/** Text content of the HTML, tags stripped and entities for quotes/ampersands decoded. */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
