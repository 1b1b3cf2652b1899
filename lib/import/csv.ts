/** A CSV record with the 1-based line number where it starts in the file. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  override name = "CsvSyntaxError";
}

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, `""` escapes a quote inside quotes,
 * quoted fields may contain commas and line breaks; CRLF or LF; a leading UTF-8 BOM is ignored. Blank lines are skipped.
 */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldWasQuoted = false;
  let index = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "" && !fieldWasQuoted)) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    fieldWasQuoted = false;
  };
  while (index < input.length) {
    const char = input[index];
    if (quoted) {
      if (char === '"') {
        if (input[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
        index += 1;
        const next = input[index];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          throw new CsvSyntaxError(`line ${line}: unexpected character after a closing quote`);
        }
        continue;
      }
      if (char === "\n") line += 1;
      field += char;
      index += 1;
      continue;
    }
    if (char === '"') {
      if (field.trim() !== "") throw new CsvSyntaxError(`line ${line}: a quote inside an unquoted field`);
      field = "";
      quoted = true;
      fieldWasQuoted = true;
      index += 1;
    } else if (char === ",") {
      fields.push(field);
      field = "";
      fieldWasQuoted = false;
      index += 1;
    } else if (char === "\r" || char === "\n") {
      endRecord();
      index += char === "\r" && input[index + 1] === "\n" ? 2 : 1;
      line += 1;
      recordLine = line;
    } else {
      field += char;
      index += 1;
    }
  }
  if (quoted) throw new CsvSyntaxError(`line ${recordLine}: a quoted field is never closed`);
  if (field !== "" || fields.length > 0 || fieldWasQuoted) endRecord();
  return records;
}
