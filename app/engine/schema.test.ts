import { describe, expect, it } from "vitest";
import { caseFileSchema, caseJsonSchema, catalogJsonSchema, catalogSchema } from "./schema";
import { baseCase, baseCatalog } from "./test-fixtures";

describe("schemas", () => {
  it("parse the fixtures unchanged", () => {
    expect(caseFileSchema.parse(baseCase())).toEqual(baseCase());
    expect(catalogSchema.parse(baseCatalog())).toEqual(baseCatalog());
  });

  it("generate draft 2020-12 JSON Schema that is strict and described", () => {
    const schema = caseJsonSchema() as any;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["format", "slug", "nodes", "start", "passMark"]));
    expect(schema.required).not.toContain("maxAttempts");
    expect(schema.properties.passMark).toMatchObject({ minimum: 0, maximum: 1 });
    expect(schema.properties.release.pattern).toBe("^\\d{4}-(0[1-9]|1[0-2])$");
    expect(typeof schema.properties.nodes.description).toBe("string");
    expect(JSON.stringify(schema)).toContain('"const":"decision"');
  });

  it("generate a catalog schema where defaulted locales are optional", () => {
    const schema = catalogJsonSchema() as any;
    expect(schema.required).not.toContain("locales");
    expect(schema.properties.locales.default).toEqual(["en", "fr"]);
    expect(JSON.stringify(schema)).toContain("$ref"); // items nest recursively
  });
});
