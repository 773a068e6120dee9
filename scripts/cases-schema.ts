import fs from "node:fs";
import path from "node:path";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";
import { schemaFiles } from "./lib/schema-files";

const usage = `Usage: npm run cases:schema [-- --check]

Writes the JSON Schemas generated from the engine's zod schemas to cases/schema/ (case.schema.json,
catalog.schema.json, regulator.schema.json) so editors can complete and check fields. --check only verifies they are current.

Exit codes: 0 written or current, 1 out of date (--check), 2 usage.`;

runCli(usage, { check: { type: "boolean" } }, ({ values }) => {
  let stale = 0;
  for (const [file, text] of Object.entries(schemaFiles())) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (current === text) continue;
    if (values.check) {
      console.error(`${path.relative(process.cwd(), file)} is out of date: run npm run cases:schema`);
      stale++;
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  return stale > 0 ? EXIT_CONTENT : EXIT_OK;
});
