import { describe, expect, test } from "vitest";
import { translator } from "~/i18n";
import { failure, forbidden, notFound, type FailureMap } from "~/utils/http.server";
import { fail, ok, type Result } from "~/utils/result";

describe("notFound and forbidden", () => {
  test("are plain-text refusals no cache keeps, in English unless given a translator", async () => {
    const missing = notFound();
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("Not found");
    expect(missing.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(missing.headers.get("Cache-Control")).toBe("no-store");
    expect(await notFound(translator("fr")).text()).toBe("Page introuvable");
    const refused = forbidden();
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe("Forbidden");
    expect(await forbidden(translator("en")).text()).toBe("You do not have access to this page.");
  });
});

describe("failure", () => {
  type Code = "not-found" | "bad-cycle";
  const answers: FailureMap<Code> = {
    "not-found": { status: 404, message: "registrar.errors.unknownRegulator" },
    "bad-cycle": { status: 400, message: "registrar.errors.badCycle" },
  };
  const open = (start: string): Result<string, Code> => (start === "" ? fail("bad-cycle") : ok(start));

  test("gives a page the status and the key of the message it shows", () => {
    const result = open("");
    expect(result).toEqual({ ok: false, code: "bad-cycle" });
    if (result.ok) throw new Error("expected a failure");
    expect(failure(result.code, answers)).toEqual({ status: 400, message: "registrar.errors.badCycle" });
    expect(open("2026-01-01")).toEqual({ ok: true, value: "2026-01-01" });
  });

  test("with a translator, also the message as a response to throw, in the reader's language", async () => {
    const t = translator("fr");
    const { status, response } = failure("not-found", answers, t);
    expect(status).toBe(404);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe(t("registrar.errors.unknownRegulator"));
  });
});
