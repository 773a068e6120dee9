import { z } from "zod";
import { UNSAFE_LINE } from "../app/forms/text";
import { recordAudit } from "../app/models/audit.server";
import { enqueueMail } from "../app/models/mail-outbox.server";
import { createPasswordToken } from "../app/models/password-token.server";
import { getRegulator } from "../app/models/regulator.server";
import { normalizeEmail, roleRow } from "../app/models/user.server";
import { UsageError } from "../app/utils/case-files.server";
import { getDb } from "../app/utils/db.server";
import { getEnv } from "../app/utils/env.server";
import { databaseMigrationStatus } from "../app/utils/migrate.server";
import { isPlatformRole, ROLES } from "../app/utils/roles";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";
import { describeDatabase } from "./lib/database";

const usage = `Usage: npm run users:create -- --email E --name N --role ROLE [--regulator ID] [--registration NUMBER]

Creates an account on the database named by DATABASE_URL (production included), or adds ROLE to an
existing one, and prints a one-time link to set its password, valid 24 hours, which the server
also mails to the person (SMTP_URL; data/outbox/ in development). This is how the first
operator of a deployment is made (--role operator). ROLE is one of ${ROLES.join(", ")}.
--regulator names a regulator whose profile was imported (npm run cases:import): staff roles
(educator, author, registrar, admin) are held for that regulator and need it; a learner needs it
and --registration; operator spans every regulator.
The link's origin is PUBLIC_URL (default http://localhost:PORT). Every change goes to the audit log.

Exit codes: 0 done, 1 refused (unknown regulator, closed account, database not migrated), 2 usage.`;

const argsSchema = z.object({
  email: z.email("--email must be an email address").max(254),
  name: z
    .string()
    .trim()
    .min(1, "--name is required")
    .max(200, "--name is at most 200 characters")
    .refine((v) => !UNSAFE_LINE.test(v), "--name may not hold control or text-direction characters"),
  role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(", ")}` }),
  regulator: z.string().optional(),
  registration: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{2,40}$/, "--registration uses letters, digits and - (2 to 40)")
    .optional(),
});

runCli(
  usage,
  {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    regulator: { type: "string" },
    registration: { type: "string" },
  },
  async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const parsed = argsSchema.safeParse(values);
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("\n"));
    const { name, role, regulator, registration } = parsed.data;
    const email = normalizeEmail(parsed.data.email);
    if (role === "learner" && (!regulator || !registration)) {
      throw new UsageError("a learner needs --regulator and --registration");
    }
    if (!isPlatformRole(role) && !regulator) {
      throw new UsageError(`the role ${role} is held for one regulator: name it with --regulator`);
    }
    const grant = roleRow(role, regulator ?? "");
    const env = getEnv();
    const status = await databaseMigrationStatus(env.DATABASE_URL);
    if (status.missing || status.pending.length > 0) {
      console.error(
        `The database at ${describeDatabase(env.DATABASE_URL)} is ${status.missing ? "missing" : "not migrated"}: run npm run db:migrate first.`,
      );
      return EXIT_CONTENT;
    }
    if (regulator && !(await getRegulator(regulator))) {
      console.error(
        `No regulator "${regulator}" on this deployment: import its profile (cases/regulators/${regulator}.json) first.`,
      );
      return EXIT_CONTENT;
    }
    const db = getDb();
    const existing = await db.user.findUnique({ where: { email }, include: { roles: true } });
    if (existing?.closedAt) {
      console.error(`${email} belongs to a closed account; it cannot be reopened.`);
      return EXIT_CONTENT;
    }
    let userId: string;
    if (existing) {
      userId = existing.id;
      const where = isPlatformRole(role) ? "" : ` for ${grant.regulatorId}`;
      if (existing.roles.some((r) => r.roleId === role && r.regulatorId === grant.regulatorId)) {
        console.log(`${email} already has the role ${role}${where}.`);
      } else {
        await db.userRole.create({ data: { userId, ...grant } });
        await recordAudit({
          subject: `account:${userId}`,
          actorId: null,
          action: "role_granted",
          detail: { role, regulator: grant.regulatorId, by: "cli" },
        });
        console.log(`Added the role ${role}${where} to ${email}.`);
      }
    } else {
      const created = await db.user.create({
        data: {
          email,
          name,
          registrationNumber: registration ?? "",
          regulator: regulator ?? "",
          locale: "en",
          roles: { create: [grant] },
        },
      });
      userId = created.id;
      await recordAudit({
        subject: `account:${userId}`,
        actorId: null,
        action: "account_created",
        detail: { role, regulator: grant.regulatorId, by: "cli" },
      });
      console.log(`Created ${email} with the role ${role}${isPlatformRole(role) ? "" : ` for ${grant.regulatorId}`}.`);
    }
    const hasPassword = (await db.password.count({ where: { userId } })) > 0;
    if (!hasPassword) {
      const token = await createPasswordToken(userId, "set");
      const origin = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
      const link = new URL(`/set-password?token=${token}`, origin).toString();
      console.log(`Set the password within 24 hours at:\n${link}`);
      // The same link by mail, sent by the server's mail sender (docs/decisions/013-mail-outbox.md).
      const person = await db.user.findUniqueOrThrow({
        where: { id: userId },
        select: { locale: true, regulator: true },
      });
      await enqueueMail(db, {
        kind: "set_password",
        to: email,
        locale: person.locale === "fr" ? "fr" : "en",
        regulator: regulator ?? person.regulator,
        userId,
        params: { link },
      });
      console.log(`An invitation with this link is queued for ${email}; the server sends it (see README, Email).`);
    }
    await db.$disconnect();
    return EXIT_OK;
  },
);
