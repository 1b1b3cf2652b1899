/**
 * Generates MapLibre SDF glyph ranges into public/glyphs/<fontstack>/<start>-<end>.pbf, offline.
 *
 * The glyphs are drawn by @mapbox/tiny-sdf inside headless Debian Chromium (the same canvas rasteriser MapLibre
 * uses for local glyphs), with MapLibre's own parameters, and encoded to the glyphs protobuf with `pbf`.
 * Run: `npx tsx scripts/make-glyphs.ts` (needs /usr/bin/chromium and the Noto CJK fonts: fonts-noto-cjk).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "@playwright/test";
import { PbfWriter } from "pbf";

/** The fontstack name styles ask for (docs/contracts.md). */
const FONTSTACK = "Noto Sans Regular";
/** The installed face that draws it: Noto Sans CJK SC carries Noto's Latin, digits, punctuation and full-width forms. */
const FONT_FAMILY = "Noto Sans CJK SC";
/** Latin-1, Latin Extended-A, punctuation, letterlike symbols, box/shapes, CJK punctuation, full-width forms. */
const RANGE_STARTS = [0, 256, 8192, 8448, 9472, 9728, 12288, 65280];
/** MapLibre's server-glyph parameters. */
const SDF = { fontSize: 24, buffer: 3, radius: 8, cutoff: 0.25 };
/** MapLibre aligns local glyphs to server glyphs with this baseline shift (glyph_manager.ts). */
const TOP_ADJUSTMENT = 27.5;

export type Glyph = {
  id: number;
  bitmap: Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
};

/** Encodes one range as `glyphs { stacks: [fontstack { name, range, glyphs }] }`. */
export function encodeGlyphRange(name: string, range: string, glyphs: Glyph[]): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeMessage(1, writeFontstack, { name, range, glyphs });
  return pbf.finish();
}

function writeFontstack(stack: { name: string; range: string; glyphs: Glyph[] }, pbf: PbfWriter) {
  pbf.writeStringField(1, stack.name);
  pbf.writeStringField(2, stack.range);
  for (const glyph of stack.glyphs) pbf.writeMessage(3, writeGlyph, glyph);
}

function writeGlyph(glyph: Glyph, pbf: PbfWriter) {
  pbf.writeVarintField(1, glyph.id);
  if (glyph.width > 0 && glyph.height > 0) pbf.writeBytesField(2, glyph.bitmap);
  pbf.writeVarintField(3, glyph.width);
  pbf.writeVarintField(4, glyph.height);
  pbf.writeSVarintField(5, glyph.left);
  pbf.writeSVarintField(6, glyph.top);
  pbf.writeVarintField(7, glyph.advance);
}

type DrawnGlyph = {
  id: number;
  data: number[];
  glyphWidth: number;
  glyphHeight: number;
  glyphLeft: number;
  glyphTop: number;
  glyphAdvance: number;
};

async function main() {
  const require = createRequire(import.meta.url);
  const tinySdfSource = await readFile(require.resolve("@mapbox/tiny-sdf"), "utf8");
  const outDir = path.join(process.cwd(), "public", "glyphs", FONTSTACK);
  await mkdir(outDir, { recursive: true });

  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><meta charset=utf-8><body></body>");
    await page.addScriptTag({
      content: tinySdfSource.replace("export default class TinySDF", "window.TinySDF = class TinySDF"),
    });
    await page.evaluate(async (family) => {
      await document.fonts.load(`24px "${family}"`, "Aa0");
    }, FONT_FAMILY);

    for (const start of RANGE_STARTS) {
      const end = start + 255;
      const drawn: DrawnGlyph[] = await page.evaluate(
        ({ start, end, family, sdf }) => {
          // safe because the script tag above defined it
          const TinySDF = (
            window as unknown as {
              TinySDF: new (
                options: object,
              ) => { draw(char: string): Omit<DrawnGlyph, "id" | "data"> & { data: Uint8ClampedArray } };
            }
          ).TinySDF;
          const tinySdf = new TinySDF({ ...sdf, fontFamily: `"${family}", sans-serif`, fontWeight: "400" });
          const out = [];
          for (let id = start; id <= end; id++) {
            const char = String.fromCodePoint(id);
            // Control and unassigned code points get no glyph, as in fontnik output.
            if (/\p{Cc}|\p{Cf}|\p{Cn}|\p{Cs}|\p{Co}/u.test(char)) continue;
            const glyph = tinySdf.draw(char);
            out.push({
              id,
              data: Array.from(glyph.data),
              glyphWidth: glyph.glyphWidth,
              glyphHeight: glyph.glyphHeight,
              glyphLeft: glyph.glyphLeft,
              glyphTop: glyph.glyphTop,
              glyphAdvance: glyph.glyphAdvance,
            });
          }
          return out;
        },
        { start, end, family: FONT_FAMILY, sdf: SDF },
      );
      const glyphs: Glyph[] = drawn.map((glyph) => ({
        id: glyph.id,
        bitmap: Uint8Array.from(glyph.data),
        width: glyph.glyphWidth,
        height: glyph.glyphHeight,
        left: Math.round(glyph.glyphLeft),
        top: Math.round(glyph.glyphTop - TOP_ADJUSTMENT),
        advance: Math.round(glyph.glyphAdvance),
      }));
      const file = path.join(outDir, `${start}-${end}.pbf`);
      await writeFile(file, encodeGlyphRange(FONTSTACK, `${start}-${end}`, glyphs));
      console.log(`${path.relative(process.cwd(), file)}: ${glyphs.length} glyphs`);
    }
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
