// Prisma 7 reads the datasource URL from here rather than from schema.prisma.
// Only `prisma generate` is used on this project's machines (see docs/decisions/003-...).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/vignette.db" },
});
