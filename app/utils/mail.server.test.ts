import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../tests/support/temp-db";
import { parseEnv } from "./env.server";
import { composeMail, createMailTransport, escapeHtml, LOGO_CID, type Mail } from "./mail.server";

const temp = makeTempDir("vignette-outbox-");
afterAll(() => temp.cleanup());

const HOSTILE = `Ada <script>alert("x")</script> & "Co" 'Ltd'`;

function mail(overrides: Partial<Mail> = {}): Mail {
  return {
    id: "cm0outbox0000000000000001",
    to: "ada@example.test",
    locale: "en",
    brand: { name: "College of <Occupational> Therapists" },
    origin: "https://vignette.example.org",
    content: {
      kind: "password_reset",
      name: HOSTILE,
      link: "https://vignette.example.org/set-password?token=abc_DEF-123&x=<1>",
      validHours: 1,
    },
    ...overrides,
  };
}

describe("composeMail", () => {
  it("escapes every name, title and link in the HTML and keeps them verbatim in the text", () => {
    const { text, html } = composeMail(
      mail({
        content: {
          kind: "certificate_issued",
          name: HOSTILE,
          caseTitle: `Boundaries <b>& "likes"</b>`,
          link: "https://vignette.example.org/certificates/abc",
        },
      }),
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<Occupational>");
    expect(html).toContain("Ada &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Co&quot; &#39;Ltd&#39;");
    expect(html).toContain("Boundaries &lt;b&gt;&amp; &quot;likes&quot;&lt;/b&gt;");
    expect(html).toContain('<a href="https://vignette.example.org/certificates/abc"');
    expect(text).toContain(HOSTILE);
    expect(text).toContain(`Boundaries <b>& "likes"</b>`);
  });

  it("puts a link into an attribute only escaped, so it cannot close the attribute", () => {
    const { html } = composeMail(mail());
    expect(html).toContain('href="https://vignette.example.org/set-password?token=abc_DEF-123&amp;x=&lt;1&gt;"');
    expect(escapeHtml(`"><img onerror=x>`)).toBe("&quot;&gt;&lt;img onerror=x&gt;");
  });

  it("speaks the recipient's language and names the regulator", () => {
    const en = composeMail(mail());
    const fr = composeMail(mail({ locale: "fr", brand: { name: "Ordre des ergothérapeutes" } }));
    expect(en.subject).toBe("Choose a new password for Vignette");
    expect(en.text).toContain("The link works once, within 1 hour(s).");
    expect(en.text).toContain("Sent by Vignette for College of <Occupational> Therapists.");
    expect(fr.subject).toBe("Choisir un nouveau mot de passe pour Vignette");
    expect(fr.text).toContain("Le lien sert une fois, dans un délai de 1 heure(s).");
    expect(fr.text).toContain("Envoyé par Vignette pour Ordre des ergothérapeutes.");
    expect(fr.html).toContain('<html lang="fr">');
    const invitation = composeMail(
      mail({
        locale: "fr",
        brand: { name: "Ordre des ergothérapeutes" },
        content: {
          kind: "set_password",
          name: "Zoé",
          link: "https://vignette.example.org/set-password?t=1",
          validHours: 24,
        },
      }),
    );
    expect(invitation.subject).toBe("Votre compte Vignette est prêt");
    expect(invitation.text).toContain("la formation par études de cas de Ordre des ergothérapeutes");
  });

  it("shows the regulator's logo inline (cid:) at a fixed height, and its colour on the heading", () => {
    const logo = {
      alt: "COTO <logo>",
      bytes: new Uint8Array([1, 2, 3]),
      contentType: "image/png",
      width: 240,
      height: 80,
    };
    const { html, text } = composeMail(mail({ brand: { name: "COTO", colour: "#17546b", logo } }));
    expect(html).toContain(`<img src="cid:${LOGO_CID}" alt="COTO &lt;logo&gt;" height="48" width="144">`);
    expect(html).toContain('<strong style="color: #17546b">COTO</strong>');
    expect(text).not.toContain("cid:");
    expect(text.split("\n")[0]).toBe("COTO");
  });
});

describe("the mail settings", () => {
  const production = { NODE_ENV: "production", SESSION_SECRET: "mail-settings-test-secret-0123456789-abcdef" } as const;

  it("want an smtp:// or smtps:// SMTP_URL, and PUBLIC_URL beside it in production (the links' origin)", () => {
    expect(() => parseEnv({ ...production, SMTP_URL: "http://mail.example.org" })).toThrow(
      /SMTP_URL: must start with smtp/,
    );
    expect(() => parseEnv({ ...production, SMTP_URL: "smtp://mail.example.org:587" })).toThrow(
      /PUBLIC_URL: required in production when SMTP_URL is set/,
    );
    const env = parseEnv({
      ...production,
      SMTP_URL: "smtps://u:p@mail.example.org",
      PUBLIC_URL: "https://v.example.org",
    });
    expect(env.SMTP_URL).toBe("smtps://u:p@mail.example.org");
    expect(parseEnv({ ...production }).SMTP_URL).toBeUndefined();
  });
});

describe("createMailTransport", () => {
  it("sends through SMTP when SMTP_URL is set, is off in production without it, else writes the outbox", () => {
    const base = { PUBLIC_URL: "https://vignette.example.org", MAIL_FROM: undefined };
    const smtp = createMailTransport({ ...base, NODE_ENV: "production", SMTP_URL: "smtp://127.0.0.1:2525" });
    expect([smtp.mode, smtp.from]).toEqual(["smtp", "Vignette <no-reply@vignette.example.org>"]);
    smtp.close();
    expect(createMailTransport({ ...base, NODE_ENV: "production", SMTP_URL: undefined }).mode).toBe("off");
    expect(createMailTransport({ ...base, NODE_ENV: "development", SMTP_URL: undefined }).mode).toBe("outbox");
    // The local `npm start` runs the production build with its mail in the outbox.
    const local = { ...base, NODE_ENV: "production", SMTP_URL: undefined, MAIL_OUTBOX: "1" } as const;
    expect(createMailTransport(local).mode).toBe("outbox");
  });

  it("writes each message outside production to <outbox>/<time>-<id>.eml, a real message with text and HTML", async () => {
    const dir = path.join(temp.dir, "outbox");
    const transport = createMailTransport(
      {
        NODE_ENV: "development",
        SMTP_URL: undefined,
        MAIL_FROM: "CE Office <ce@college.example>",
        PUBLIC_URL: undefined,
      },
      dir,
    );
    if (transport.mode !== "outbox") throw new Error(`expected the outbox, got ${transport.mode}`);
    await transport.deliver(mail({ locale: "fr" }));
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{6}Z-cm0outbox0000000000000001\.eml$/);
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, files[0]!)));
    expect(parsed.subject).toBe("Choisir un nouveau mot de passe pour Vignette");
    expect(parsed.from?.text).toBe('"CE Office" <ce@college.example>');
    expect(parsed.messageId).toBe("<cm0outbox0000000000000001@college.example>");
    expect(parsed.text).toContain("https://vignette.example.org/set-password?token=abc_DEF-123&x=<1>");
    expect(parsed.html).toContain("Ada &lt;script&gt;");
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
  });
});
