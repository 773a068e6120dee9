import path from "node:path";
import { caseJsonSchema, catalogJsonSchema, regulatorJsonSchema } from "~/engine";

/** The JSON Schema files editors use, generated from the engine's zod schemas: path → content. */
export function schemaFiles(dir = path.resolve("cases/schema")): Record<string, string> {
  return {
    [path.join(dir, "case.schema.json")]: `${JSON.stringify(caseJsonSchema(), null, 2)}\n`,
    [path.join(dir, "catalog.schema.json")]: `${JSON.stringify(catalogJsonSchema(), null, 2)}\n`,
    [path.join(dir, "regulator.schema.json")]: `${JSON.stringify(regulatorJsonSchema(), null, 2)}\n`,
  };
}
