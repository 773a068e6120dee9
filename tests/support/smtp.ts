// A real SMTP server on loopback for integration tests: it receives what the production server sends
// (through its outbox and mail sender) and parses each message as a mail client would.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type TestMailbox = {
  /** What the server under test takes as SMTP_URL. */
  url: string;
  /** Every message received so far, in arrival order. */
  received: ParsedMail[];
  stop: () => Promise<void>;
};

export async function startMailbox(): Promise<TestMailbox> {
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
