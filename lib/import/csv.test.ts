import { describe, expect, it } from "vitest";
import { CsvSyntaxError, parseCsv } from "./csv";

describe("parseCsv", () => {
  it("handles quotes, escaped quotes, commas and line breaks inside quotes, CRLF and a BOM", () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\n\n3,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 3, fields: ["multi\nline", "2"] },
      { line: 6, fields: ["3", ""] },
    ]);
  });

  it("reads a last line without a newline", () => {
    expect(parseCsv("k,v\nosm:w1,5")).toEqual([
      { line: 1, fields: ["k", "v"] },
      { line: 2, fields: ["osm:w1", "5"] },
    ]);
  });

  it("rejects an unclosed quote and stray characters after a closing quote", () => {
    expect(() => parseCsv('a,b\n"open,1\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow(/line 2/);
  });
});
