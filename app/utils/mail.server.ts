// The one module that turns a message into mail and hands it over: plain text and HTML in the
// recipient's language, naming the regulator, sent through nodemailer. Where it goes depends on the
// environment (docs/decisions/013-mail-outbox.md):
// - SMTP_URL set: the mail server it names, from MAIL_FROM;
// - no SMTP_URL outside production (or MAIL_OUTBOX=1, which the local `npm start` sets): a file per
//   message in data/outbox/ (`<time>-<id>.eml`, opens in
//   any mail client) and a log line with its link, so a developer can click it;
// - no SMTP_URL in production: mail is off. The server says so at start-up and each message is
//   dropped with an error line; no page waits on mail or fails because of it.
// Requests never call deliver(): they queue a MailMessage row (models/mail-outbox.server.ts), and
// the server's sender (utils/mail-sender.server.ts) delivers it.
import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import { translator, type Locale } from "~/i18n";
import type { Env } from "./env.server";
import { logger } from "./log.server";

/** What a message says, by kind; every value is plain text (escaped for HTML here, never trusted). */
export type MailContent =
  | { kind: "password_reset"; name: string; link: string; validHours: number }
  | { kind: "set_password"; name: string; link: string; validHours: number }
  /** An admin reset the person's two-factor sign-in (lost authenticator): sign in and set it up again. */
  | { kind: "two_factor_reset"; name: string; link: string }
  | { kind: "certificate_issued"; name: string; caseTitle: string; link: string }
  | {
      kind: "cohort_invitation";
      /** The account's name when the address has one, else "" (a greeting without a name). */
      name: string;
      cohortName: string;
      educatorName: string;
      link: string;
      validDays: number;
    }
  /** A link that proves an address: a new account's (`change` false) or the one it is changing to. */
  | { kind: "email_verification"; name: string; link: string; validHours: number; change: boolean }
  /** To the old address when a change starts: the new one masked, and where to go if it was not them. */
  | { kind: "email_change_notice"; name: string; maskedEmail: string; link: string }
  /** A due-date reminder (models/reminder.server.ts): the title in the recipient's language, the date with its zone. */
  | {
      kind: "assignment_due";
      name: string;
      title: string;
      cohortName: string;
      dueDate: string;
      isModule: boolean;
      link: string;
      /** Where reminders are turned off (/me/cohorts). */
      preferencesLink: string;
    };

export type MailKind = MailContent["kind"];

/**
 * Who the message speaks for: the regulator's name, its colour (#rrggbb, readable on white: the
 * heading's) and its logo, which goes with the message as an inline attachment (LOGO_CID) so it
 * shows without loading remote images; the plain text names the regulator and needs no logo.
 */
export type MailBrand = {
  name: string;
  colour?: string;
  logo?: { alt: string; bytes: Uint8Array; contentType: string; width: number; height: number };
};

/** The Content-ID of the logo attachment; the HTML shows it as `cid:` + this. */
export const LOGO_CID = "regulator-logo@vignette";

/** The logo's height in the message, in pixels; its width is scaled to match. */
const MAIL_LOGO_HEIGHT = 48;

export type Mail = {
  /** The outbox row's id: the Message-ID and the outbox file name are made from it. */
  id: string;
  to: string;
  locale: Locale;
  brand: MailBrand;
  /** The deployment's origin (PUBLIC_URL), named in the footer. */
  origin: string;
  content: MailContent;
};

export type ComposedMail = { subject: string; text: string; html: string };

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe to place in HTML content or a quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** The message's words, in the recipient's language: a subject, paragraphs, and at most one link. */
function wordsOf(mail: Mail) {
  const t = translator(mail.locale);
  const { content } = mail;
  const regulator = mail.brand.name;
  switch (content.kind) {
    case "password_reset":
      return {
        subject: t("mail.reset.subject"),
        before: [t("mail.reset.greeting", { name: content.name }), t("mail.reset.body")],
        action: { label: t("mail.reset.action"), href: content.link },
        after: [t("mail.reset.expiry", { hours: content.validHours }), t("mail.ignore")],
      };
    case "set_password":
      return {
        subject: t("mail.setPassword.subject"),
        before: [t("mail.setPassword.greeting", { name: content.name }), t("mail.setPassword.body", { regulator })],
        action: { label: t("mail.setPassword.action"), href: content.link },
        after: [t("mail.setPassword.expiry", { hours: content.validHours }), t("mail.ignore")],
      };
    case "certificate_issued":
      return {
        subject: t("mail.certificate.subject", { title: content.caseTitle }),
        before: [
          t("mail.certificate.greeting", { name: content.name }),
          t("mail.certificate.body", { title: content.caseTitle }),
        ],
        action: { label: t("mail.certificate.action"), href: content.link },
        after: [],
      };
    case "cohort_invitation": {
      const names = { educator: content.educatorName, cohort: content.cohortName, regulator };
      return {
        subject: t("mail.cohortInvitation.subject", names),
        before: [
          content.name ? t("mail.cohortInvitation.greeting", { name: content.name }) : t("mail.cohortInvitation.hello"),
          t("mail.cohortInvitation.body", names),
          t("mail.cohortInvitation.consent"),
        ],
        action: { label: t("mail.cohortInvitation.action"), href: content.link },
        after: [t("mail.cohortInvitation.expiry", { days: content.validDays }), t("mail.cohortInvitation.ignore")],
      };
    }
    case "email_verification":
      return {
        subject: t(content.change ? "profile.mail.change.subject" : "profile.mail.verify.subject"),
        before: [
          t("profile.mail.greeting", { name: content.name }),
          t(content.change ? "profile.mail.change.body" : "profile.mail.verify.body", { regulator }),
        ],
        action: { label: t("profile.mail.verify.action"), href: content.link },
        after: [t("profile.mail.verify.expiry", { hours: content.validHours }), t("profile.mail.verify.ignore")],
      };
    case "two_factor_reset":
      return {
        subject: t("people.mail.twoFactorReset.subject", { regulator }),
        before: [
          t("people.mail.twoFactorReset.greeting", { name: content.name }),
          t("people.mail.twoFactorReset.body"),
        ],
        action: { label: t("people.mail.twoFactorReset.action"), href: content.link },
        after: [t("people.mail.twoFactorReset.notYou")],
      };
    case "email_change_notice":
      return {
        subject: t("profile.mail.notice.subject"),
        before: [
          t("profile.mail.greeting", { name: content.name }),
          t("profile.mail.notice.body", { masked: content.maskedEmail }),
          t("profile.mail.notice.notYou"),
        ],
        action: { label: t("profile.mail.notice.action"), href: content.link },
        after: [t("profile.mail.notice.stays")],
      };
    case "assignment_due": {
      const names = { title: content.title, cohort: content.cohortName, date: content.dueDate };
      return {
        subject: t("mail.reminder.subject", names),
        before: [
          t("mail.reminder.greeting", { name: content.name }),
          t(content.isModule ? "mail.reminder.bodyModule" : "mail.reminder.body", names),
        ],
        action: { label: t("mail.reminder.action"), href: content.link },
        after: [t("mail.reminder.optOut", { link: content.preferencesLink })],
      };
    }
  }
}

/**
 * The message as text and HTML. Names, titles and links come from people and content: the HTML is
 * built by escaping each of them (and every translated string), never by inserting markup.
 */
export function composeMail(mail: Mail): ComposedMail {
  const t = translator(mail.locale);
  const words = wordsOf(mail);
  const footer = t("mail.footer", { regulator: mail.brand.name, origin: mail.origin });
  const text = [
    mail.brand.name,
    "",
    ...words.before.flatMap((p) => [p, ""]),
    `${words.action.label}:`,
    words.action.href,
    "",
    ...words.after.flatMap((p) => [p, ""]),
    "-- ",
    footer,
    "",
  ].join("\n");
  const paragraph = (p: string) => `<p>${escapeHtml(p)}</p>`;
  const href = escapeHtml(words.action.href);
  const { logo: image, colour } = mail.brand;
  const logo = image
    ? `<p><img src="cid:${LOGO_CID}" alt="${escapeHtml(image.alt)}" height="${MAIL_LOGO_HEIGHT}" width="${Math.max(1, Math.round((image.width * MAIL_LOGO_HEIGHT) / image.height))}"></p>`
    : "";
  const heading = colour ? ` style="color: ${escapeHtml(colour)}"` : "";
  const html = [
    "<!doctype html>",
    `<html lang="${mail.locale}"><head><meta charset="utf-8"><title>${escapeHtml(words.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40em">',
    logo,
    `<p><strong${heading}>${escapeHtml(mail.brand.name)}</strong></p>`,
    ...words.before.map(paragraph),
    `<p><a href="${href}" style="display: inline-block; padding: 0.6em 1em; background: #1f4e79; color: #ffffff; text-decoration: none; border-radius: 4px">${escapeHtml(words.action.label)}</a></p>`,
    `<p style="font-size: 0.9em">${escapeHtml(t("mail.linkFallback"))}<br>${href}</p>`,
    ...words.after.map(paragraph),
    `<hr><p style="font-size: 0.85em; color: #555555">${escapeHtml(footer)}</p>`,
    "</body></html>",
    "",
  ]
    .filter(Boolean)
    .join("\n");
  return { subject: words.subject, text, html };
}

/** Where mail goes: a mail server, the developer's outbox directory, or nowhere (off). */
export type MailTransport =
  | { mode: "smtp"; from: string; deliver: (mail: Mail) => Promise<void>; close: () => void }
  | { mode: "outbox"; from: string; dir: string; deliver: (mail: Mail) => Promise<void>; close: () => void }
  | { mode: "off"; from: string; close: () => void };

/** How long a mail server may take before the attempt fails (well inside the sender's lease). */
const SMTP_TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 };

/** data/outbox/ under the working directory, beside the default database. */
export const DEFAULT_OUTBOX_DIR = path.resolve("data/outbox");

function senderOf(env: Pick<Env, "MAIL_FROM" | "PUBLIC_URL">): string {
  if (env.MAIL_FROM) return env.MAIL_FROM;
  const host = env.PUBLIC_URL ? new URL(env.PUBLIC_URL).hostname : "localhost";
  return `Vignette <no-reply@${host}>`;
}

function messageFields(mail: Mail, from: string) {
  const composed = composeMail(mail);
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "vignette.invalid";
  return {
    from,
    to: mail.to,
    subject: composed.subject,
    text: composed.text,
    html: composed.html,
    // One id per outbox row: a message sent again after a crash carries the same id.
    messageId: `<${mail.id}@${domain}>`,
    headers: { "Auto-Submitted": "auto-generated", "Content-Language": mail.locale },
    attachments: mail.brand.logo
      ? [
          {
            filename: mail.brand.logo.contentType === "image/jpeg" ? "logo.jpg" : "logo.png",
            content: Buffer.from(mail.brand.logo.bytes),
            contentType: mail.brand.logo.contentType,
            contentDisposition: "inline" as const,
            cid: LOGO_CID,
          },
        ]
      : [],
  };
}

/** The transport the environment asks for (see the top of this file). */
export function createMailTransport(
  env: Pick<Env, "NODE_ENV" | "SMTP_URL" | "MAIL_FROM" | "PUBLIC_URL"> & Partial<Pick<Env, "MAIL_OUTBOX">>,
  outboxDir: string = DEFAULT_OUTBOX_DIR,
): MailTransport {
  const from = senderOf(env);
  if (env.SMTP_URL) {
    const smtp = nodemailer.createTransport({ url: env.SMTP_URL, ...SMTP_TIMEOUTS });
    return {
      mode: "smtp",
      from,
      deliver: async (mail) => {
        await smtp.sendMail(messageFields(mail, from));
      },
      close: () => smtp.close(),
    };
  }
  if (env.NODE_ENV === "production" && env.MAIL_OUTBOX !== "1") return { mode: "off", from, close: () => {} };
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    mode: "outbox",
    from,
    dir: outboxDir,
    deliver: async (mail) => {
      const fields = messageFields(mail, from);
      const info = await stream.sendMail(fields);
      fs.mkdirSync(outboxDir, { recursive: true });
      const time = new Date()
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z");
      const file = path.join(outboxDir, `${time}-${mail.id}.eml`);
      fs.writeFileSync(file, info.message as Buffer);
      // Development only: the link is what the developer needs, so it is in the line.
      logger.info(
        {
          mailId: mail.id,
          kind: mail.content.kind,
          to: mail.to,
          subject: fields.subject,
          link: mail.content.link,
          file,
        },
        `mail written to ${path.relative(process.cwd(), file)}: ${mail.content.link}`,
      );
    },
    close: () => stream.close(),
  };
}
