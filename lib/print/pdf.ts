/**
 * A minimal PDF writer for the wall maps: one landscape page (A4 or A3) holding one JPEG image (DCTDecode XObject),
 * scaled to fit inside the margins and centred. No dependency; runs in the browser and in Node.
 *
 * Layout of the file: header, objects 1 catalog, 2 pages, 3 page, 4 image, 5 content stream, 6 info; then the cross
 * reference table with each object's byte offset, the trailer and `startxref` pointing at the table.
 */

/** Landscape page sizes in PDF points (1/72 inch). */
export const PAGE_SIZES = {
  A4: { width: 842, height: 595 },
  A3: { width: 1191, height: 842 },
} as const;
export type PageSize = keyof typeof PAGE_SIZES;

export interface PdfImageOptions {
  /** Baseline or progressive JPEG bytes. */
  jpeg: Uint8Array;
  page?: PageSize;
  /** Margin on every side, in points (default 18 pt ≈ 6 mm). */
  margin?: number;
  /** Document title (Info dictionary); any Unicode text. */
  title?: string;
  /** Creation date (default now). */
  createdAt?: Date;
}

export class PdfInputError extends Error {}

/** Width, height and colour components from the JPEG's start-of-frame marker. */
export function jpegInfo(jpeg: Uint8Array): { width: number; height: number; components: number } {
  const byte = (index: number): number => jpeg[index] ?? 0;
  if (jpeg.length < 4 || byte(0) !== 0xff || byte(1) !== 0xd8) throw new PdfInputError("not a JPEG (no SOI marker)");
  let offset = 2;
  while (offset + 4 <= jpeg.length) {
    if (byte(offset) !== 0xff) throw new PdfInputError(`corrupt JPEG: expected a marker at byte ${offset}`);
    const marker = byte(offset + 1);
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    const length = (byte(offset + 2) << 8) | byte(offset + 3);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (offset + 9 >= jpeg.length) break;
      const height = (byte(offset + 5) << 8) | byte(offset + 6);
      const width = (byte(offset + 7) << 8) | byte(offset + 8);
      const components = byte(offset + 9);
      if (width === 0 || height === 0) throw new PdfInputError("JPEG has zero width or height");
      return { width, height, components };
    }
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end of image before any frame
    offset += 2 + length;
  }
  throw new PdfInputError("corrupt JPEG: no start-of-frame marker");
}

const encoder = new TextEncoder();

/** PDF text string as UTF-16BE hex with BOM, so Chinese titles survive. */
function pdfTextString(text: string): string {
  let hex = "FEFF";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, "0").toUpperCase();
  return `<${hex}>`;
}

function pdfDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `(D:${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(
    date.getUTCMinutes(),
  )}${pad(date.getUTCSeconds())}Z)`;
}

/** Where the image goes on the page: fitted inside the margins, aspect kept, centred. Points, origin bottom-left. */
export function fitImage(
  image: { width: number; height: number },
  page: { width: number; height: number },
  margin: number,
): { x: number; y: number; width: number; height: number } {
  const boxW = page.width - 2 * margin;
  const boxH = page.height - 2 * margin;
  if (boxW <= 0 || boxH <= 0) throw new PdfInputError("margin leaves no room on the page");
  const scale = Math.min(boxW / image.width, boxH / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  return { x: (page.width - width) / 2, y: (page.height - height) / 2, width, height };
}

const num = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(3));

/** The PDF file's bytes. */
export function pdfWithJpeg(options: PdfImageOptions): Uint8Array {
  const { jpeg } = options;
  const info = jpegInfo(jpeg);
  const colorSpace = info.components === 1 ? "/DeviceGray" : info.components === 4 ? "/DeviceCMYK" : "/DeviceRGB";
  const page = PAGE_SIZES[options.page ?? "A4"];
  const box = fitImage(info, page, options.margin ?? 18);
  const content = `q ${num(box.width)} 0 0 ${num(box.height)} ${num(box.x)} ${num(box.y)} cm /Im0 Do Q\n`;

  const chunks: Uint8Array[] = [];
  let length = 0;
  const offsets: number[] = [];
  const push = (part: string | Uint8Array) => {
    const bytes = typeof part === "string" ? encoder.encode(part) : part;
    chunks.push(bytes);
    length += bytes.length;
  };
  const object = (id: number, body: string) => {
    offsets[id] = length;
    push(`${id} 0 obj\n${body}\nendobj\n`);
  };

  // The binary comment line tells transfer tools the file is binary.
  push("%PDF-1.4\n");
  push(new Uint8Array([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  object(
    3,
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`,
  );
  offsets[4] = length;
  push(
    `4 0 obj\n<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace ${colorSpace} /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
  );
  push(jpeg);
  push("\nendstream\nendobj\n");
  object(5, `<< /Length ${encoder.encode(content).length} >>\nstream\n${content}endstream`);
  const infoEntries = [`/Producer (Wangge)`, `/CreationDate ${pdfDate(options.createdAt ?? new Date())}`];
  if (options.title) infoEntries.unshift(`/Title ${pdfTextString(options.title)}`);
  object(6, `<< ${infoEntries.join(" ")} >>`);

  const xref = length;
  const count = 7;
  let table = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let id = 1; id < count; id++) table += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  push(table);
  push(`trailer\n<< /Size ${count} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`);

  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
