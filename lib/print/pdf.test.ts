import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fitImage, jpegInfo, PAGE_SIZES, PdfInputError, pdfWithJpeg } from "./pdf";

/** A 40×10 JPEG: left half red, right half blue (rendered by pdftoppm from a two-rectangle page). */
const JPEG = Uint8Array.from(
  Buffer.from(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAKACgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDi6KKK+ZP3Ex9c/wCWH/Av6VkVr65/yw/4F/Ssiv3Hg/8A5EtH/t7/ANLkfjnFX/I3rf8Abv8A6TEKKKK+mPnj/9k=",
    "base64",
  ),
);

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("jpegInfo", () => {
  it("reads size and components from the frame header", () => {
    expect(jpegInfo(JPEG)).toEqual({ width: 40, height: 10, components: 3 });
  });
  it("rejects what is not a JPEG", () => {
    expect(() => jpegInfo(new TextEncoder().encode("%PDF-1.4"))).toThrow(PdfInputError);
    expect(() => jpegInfo(JPEG.slice(0, 20))).toThrow(/start-of-frame/);
  });
});

describe("fitImage", () => {
  it("keeps the aspect ratio inside the margins, centred", () => {
    const box = fitImage({ width: 4000, height: 1000 }, PAGE_SIZES.A4, 18);
    expect(box.width).toBeCloseTo(842 - 36);
    expect(box.height).toBeCloseTo((842 - 36) / 4);
    expect(box.x).toBeCloseTo(18);
    expect(box.y + box.height / 2).toBeCloseTo(595 / 2);
    const tall = fitImage({ width: 100, height: 1000 }, PAGE_SIZES.A3, 20);
    expect(tall.height).toBeCloseTo(842 - 40);
    expect(tall.x + tall.width / 2).toBeCloseTo(1191 / 2);
  });
});

describe("pdfWithJpeg", () => {
  const pdf = pdfWithJpeg({ jpeg: JPEG, page: "A4", title: "网格方案 A", createdAt: new Date("2026-11-22T01:02:03Z") });
  const text = latin1(pdf);

  it("starts with the header and ends with %%EOF", () => {
    expect(text.startsWith("%PDF-1.4\n")).toBe(true);
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  });

  it("has a cross-reference table whose offsets point at each object", () => {
    const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 5)).toBe("xref\n");
    const table = /xref\n0 (\d+)\n((?:\d{10} \d{5} [fn] \n)+)/.exec(text.slice(startxref));
    expect(table).not.toBeNull();
    const entries = (table?.[2] ?? "").split("\n").slice(0, -1);
    expect(entries).toHaveLength(Number(table?.[1]));
    for (const entry of entries) expect(entry).toHaveLength(19); // 20 bytes with the newline
    expect(entries[0]).toBe("0000000000 65535 f ");
    entries.slice(1).forEach((entry, index) => {
      const offset = Number(entry.slice(0, 10));
      expect(text.startsWith(`${index + 1} 0 obj\n`, offset)).toBe(true);
    });
    expect(text).toContain(`/Size ${entries.length} /Root 1 0 R`);
  });

  it("embeds the JPEG byte for byte as a DCTDecode image with the right length", () => {
    const header =
      /\/Width 40 \/Height 10 \/ColorSpace \/DeviceRGB \/BitsPerComponent 8 \/Filter \/DCTDecode \/Length (\d+) >>\nstream\n/.exec(
        text,
      );
    expect(Number(header?.[1])).toBe(JPEG.length);
    const start = (header?.index ?? 0) + (header?.[0].length ?? 0);
    expect(Buffer.from(pdf.slice(start, start + JPEG.length)).equals(Buffer.from(JPEG))).toBe(true);
    expect(text.slice(start + JPEG.length, start + JPEG.length + 11)).toBe("\nendstream\n");
    expect(text).toContain("/MediaBox [0 0 842 595]");
    expect(text).toContain("/Title <FEFF7F51683C65B9684800200041>");
  });

  it("content stream length matches its bytes", () => {
    const match = /5 0 obj\n<< \/Length (\d+) >>\nstream\n([\s\S]*?)endstream/.exec(text);
    expect(match?.[2]?.length).toBe(Number(match?.[1]));
    expect(match?.[2]).toMatch(/^q [\d.]+ 0 0 [\d.]+ [\d.]+ [\d.]+ cm \/Im0 Do Q\n$/);
  });

  it("uses A3 when asked", () => {
    expect(latin1(pdfWithJpeg({ jpeg: JPEG, page: "A3" }))).toContain("/MediaBox [0 0 1191 842]");
  });

  // poppler (Debian poppler-utils) parses and renders the file when installed: the strongest check there is.
  it.skipIf(!existsSync("/usr/bin/pdftoppm"))("parses and renders with poppler: red left, blue right", () => {
    const dir = mkdtempSync(join(tmpdir(), "wangge-pdf-"));
    try {
      const file = join(dir, "sheet.pdf");
      writeFileSync(file, pdf);
      const info = execFileSync("/usr/bin/pdfinfo", [file], { encoding: "utf8" });
      expect(info).toMatch(/Pages:\s+1/);
      expect(info).toMatch(/Page size:\s+842 x 595 pts/);
      expect(info).toContain("网格方案 A");
      // 9 dpi: the page is ~105×74 px; sample the middle row left and right of the image's centre.
      execFileSync("/usr/bin/pdftoppm", ["-r", "9", "-singlefile", file, join(dir, "page")], { stdio: "pipe" });
      const ppm = readFileSync(join(dir, "page.ppm"));
      const [, width, height] = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.toString("latin1", 0, 30)) ?? [];
      const headerLength = ppm.toString("latin1", 0, 30).match(/^P6\s+\d+\s+\d+\s+255\s/)?.[0].length ?? 0;
      const pixel = (x: number, y: number) => {
        const at = headerLength + (y * Number(width) + x) * 3;
        return [ppm[at], ppm[at + 1], ppm[at + 2]];
      };
      const y = Math.floor(Number(height) / 2);
      const [lr, , lb] = pixel(Math.floor(Number(width) * 0.25), y);
      const [rr, , rb] = pixel(Math.floor(Number(width) * 0.75), y);
      expect(lr).toBeGreaterThan(200);
      expect(lb).toBeLessThan(60);
      expect(rb).toBeGreaterThan(200);
      expect(rr).toBeLessThan(60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
