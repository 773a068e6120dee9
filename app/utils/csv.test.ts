import { describe, expect, test } from "vitest";
import { UTF8_BOM, asciiFilename, contentDisposition, csvResponse, toCsv } from "~/utils/csv.server";

/** The CSV without its BOM, for readable expectations. */
function body(csv: string): string {
  expect(csv.startsWith(UTF8_BOM)).toBe(true);
  return csv.slice(UTF8_BOM.length);
}

describe("toCsv", () => {
  test("starts with a UTF-8 BOM and ends every record, the last too, with CRLF", () => {
    const csv = toCsv(
      ["name", "hours"],
      [
        ["Amélie", 0.5],
        ["Zoë", 1],
      ],
    );
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(body(csv)).toBe("name,hours\r\nAmélie,0.5\r\nZoë,1\r\n");
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  test("a header with no rows is still a valid file", () => {
    expect(body(toCsv(["a", "b"], []))).toBe("a,b\r\n");
  });

  test("quotes fields containing quotes, commas, CR or LF, doubling quotes", () => {
    const csv = toCsv(
      ["text"],
      [['Say "bonjour"'], ["a,b"], ["line\nbreak"], ["carriage\rreturn"], ["plain"], ["« guillemets »"]],
    );
    expect(body(csv)).toBe(
      'text\r\n"Say ""bonjour"""\r\n"a,b"\r\n"line\nbreak"\r\n"carriage\rreturn"\r\nplain\r\n« guillemets »\r\n',
    );
  });

  test("neutralizes formula injection in text, leaves real numbers alone", () => {
    const csv = toCsv(
      ["cell"],
      [['=HYPERLINK("http://evil")'], ["+1"], ["-2+3"], ["@SUM(A1)"], ["\tx"], ["\rx"], ["a=b"], [-3], [-0.25]],
    );
    expect(body(csv)).toBe(
      [
        "cell",
        `"'=HYPERLINK(""http://evil"")"`,
        "'+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        `"'\rx"`,
        "a=b",
        "-3",
        "-0.25",
      ].join("\r\n") + "\r\n",
    );
  });

  test("neutralizes a formula after a semicolon, where semicolon-separated spreadsheets start a cell", () => {
    const csv = toCsv(["name"], [["Jean;=1+1;"], ["a;b"], ["x; =y"], ["=a;@b"]]);
    expect(body(csv)).toBe(["name", `"Jean;'=1+1;"`, `"a;b"`, `"x; =y"`, `"'=a;'@b"`].join("\r\n") + "\r\n");
  });

  test("header cells get the same protection", () => {
    expect(body(toCsv(["=cmd", "a,b"], []))).toBe(`'=cmd,"a,b"\r\n`);
  });

  test("dates are ISO 8601 UTC, null and undefined empty, booleans and numbers machine readable", () => {
    const when = new Date("2025-03-13T01:30:00-05:00");
    const csv = toCsv(
      ["date", "none", "missing", "yes", "no", "big", "nan", "bad date"],
      [[when, null, undefined, true, false, 1234567.5, Number.NaN, new Date("nope")]],
      { locale: "fr" },
    );
    expect(body(csv)).toBe(
      "date,none,missing,yes,no,big,nan,bad date\r\n2025-03-13T06:30:00.000Z,,,true,false,1234567.5,,\r\n",
    );
  });

  test("the locale does not change the output", () => {
    const rows = [[0.5, new Date("2025-01-01T00:00:00Z")]];
    expect(toCsv(["h", "d"], rows, { locale: "fr-CA" })).toBe(toCsv(["h", "d"], rows, { locale: "en-CA" }));
  });

  test("a row narrower or wider than the header is an error, not a shifted column", () => {
    expect(() => toCsv(["a", "b"], [["1", "2"], ["only one"]])).toThrow(/row 1 has 1 cells, expected 2/);
  });
});

describe("csvResponse", () => {
  test("is an uncached CSV attachment", async () => {
    const csv = toCsv(["nom"], [["Amélie"]]);
    const response = csvResponse("completions-2025.csv", csv);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="completions-2025.csv"');
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)).toBe(csv);
  });

  test("non-ASCII names get an ASCII fallback and an RFC 5987 filename*", () => {
    expect(contentDisposition("relevé d'études (2025).csv")).toBe(
      `attachment; filename="releve d'etudes (2025).csv"; filename*=UTF-8''relev%C3%A9%20d%27%C3%A9tudes%20%282025%29.csv`,
    );
    const header = csvResponse("Zoë 😀.csv", "").headers.get("Content-Disposition");
    expect(header).toBe(`attachment; filename="Zoe _.csv"; filename*=UTF-8''Zo%C3%AB%20%F0%9F%98%80.csv`);
  });

  test("the fallback cannot break out of its quotes or smuggle a header", () => {
    expect(asciiFilename('a"b\\c/d.csv')).toBe("a_b_c_d.csv");
    expect(asciiFilename("😀")).toBe("_");
    expect(asciiFilename("")).toBe("export.csv");
    const header = contentDisposition("report\r\nSet-Cookie: x=1.csv");
    expect(header).not.toMatch(/[\r\n]/);
    expect(() => csvResponse("report\r\nSet-Cookie: x=1.csv", "")).not.toThrow();
  });
});
