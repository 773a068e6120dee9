import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { schemaFiles } from "./schema-files";

describe("cases/schema", () => {
  it("is what the zod schemas generate (run npm run cases:schema after changing them)", () => {
    for (const [file, text] of Object.entries(schemaFiles())) {
      expect(fs.readFileSync(file, "utf8"), file).toBe(text);
    }
  });

  it("describes the case format's required fields for editors", () => {
    const caseSchema = JSON.parse(Object.values(schemaFiles())[0]!);
    expect(caseSchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(caseSchema.required).toEqual(
      expect.arrayContaining([
        "format",
        "slug",
        "regulator",
        "locales",
        "title",
        "start",
        "nodes",
        "passMark",
        "credit",
      ]),
    );
  });
});
