// The mail sender: a loop in the server process (started and stopped by scripts/serve.js) that
// claims due MailMessage rows with a lease, sends them through the environment's transport and
// settles them (docs/decisions/013-mail-outbox.md). It never throws into the server: a database or
// SMTP failure is logged and tried again later. Its log lines carry a job id in `reqId`
// (`mail:<messageId>`, or `mail` for the sender itself), so each line still has an id (ADR 011).
import {
  claimDueMessages,
  forgetMessage,
  markDropped,
  markFailed,
  markSent,
  prepareMail,
  purgeSettledMessages,
  type ClaimedMessage,
} from "~/models/mail-outbox.server";
import { getEnv } from "./env.server";
import { logger, runWithRequestId } from "./log.server";
import { createMailTransport, type MailTransport } from "./mail.server";

export type MailSender = {
  transport: MailTransport;
  /** Runs one round now (tests; a request that just queued mail may call it to skip the wait). */
  wake: () => void;
  /** Stops claiming; settles when the round in progress has finished. */
  stop: () => Promise<void>;
};

/** Rows claimed per round; a full round is followed at once by the next. */
const BATCH = 10;
const PURGE_EVERY_MS = 60 * 60_000;

async function sendOne(transport: MailTransport, message: ClaimedMessage): Promise<void> {
  const log = { mailId: message.id, kind: message.kind, attempt: message.attempts };
  try {
    const prepared = await prepareMail(message);
    if (prepared.status === "forget") return await forgetMessage(message);
    if (prepared.status === "drop") {
      logger.info({ ...log, reason: prepared.reason }, `mail not sent: ${prepared.reason}`);
      return await markDropped(message, prepared.reason);
    }
    if (transport.mode === "off") {
      logger.error(log, "mail is off (no SMTP_URL in production): message dropped");
      return await markDropped(message, "mail off");
    }
    await transport.deliver(prepared.mail);
    await markSent(message);
    logger.info(log, "mail sent");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const outcome = await markFailed(message, reason);
    if (outcome === "gave-up") logger.error({ ...log, err: reason }, "mail not sent: gave up after the last attempt");
    else logger.warn({ ...log, err: reason }, "mail not sent: will try again");
  }
}

/**
 * Starts the sender. `pollMs` is how often it looks for due rows when idle; a message queued by this
 * process waits at most that long, one queued by another instance the same.
 */
export function startMailSender(options: { pollMs?: number; transport?: MailTransport } = {}): MailSender {
  const pollMs = options.pollMs ?? 1000;
  const transport = options.transport ?? createMailTransport(getEnv());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let lastPurge = 0;

  if (transport.mode === "off") {
    runWithRequestId("mail", () =>
      logger.error("mail is off: SMTP_URL is not set in production; messages will be dropped, not sent"),
    );
  }

  const round = async () => {
    let full = false;
    await runWithRequestId("mail", async () => {
      try {
        if (Date.now() - lastPurge > PURGE_EVERY_MS) {
          lastPurge = Date.now();
          await purgeSettledMessages();
        }
        const claimed = await claimDueMessages(BATCH);
        full = claimed.length === BATCH;
        for (const message of claimed) {
          if (stopped) break; // a claimed row left unsent is claimed again when its lease ends
          await runWithRequestId(`mail:${message.id}`, () => sendOne(transport, message));
        }
      } catch (error) {
        logger.error({ err: error }, "mail sender: round failed; trying again");
      }
    });
    return full;
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, delay);
    timer.unref();
  };
  const run = () => {
    if (running || stopped) return;
    running = round().then((full) => {
      running = undefined;
      schedule(full ? 0 : pollMs);
    });
  };

  schedule(0);
  return {
    transport,
    wake: () => schedule(0),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
