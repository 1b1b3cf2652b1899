import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Pool } from "pg";
import { CsvSyntaxError, parseCsv } from "./csv";
import { IMPORT_ACTOR, sha256File } from "./osm";

export class HouseholdsImportError extends Error {
  override name = "HouseholdsImportError";
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}:\n  - ${problems.join("\n  - ")}` : message);
  }
}

export interface HouseholdRow {
  line: number;
  key: string;
  households: number;
}

export interface ParsedHouseholds {
  keyColumn: "building_source_key" | "building_id";
  rows: HouseholdRow[];
}

/** Parse and check the CSV without the database: header, integer ≥ 0, no duplicate keys; every problem has its line. */
export function parseHouseholdsCsv(text: string): ParsedHouseholds {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new HouseholdsImportError(`CSV syntax error, ${error.message}`);
    throw error;
  }
  const header = records[0];
  if (!header) throw new HouseholdsImportError("the CSV is empty");
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const keyColumn = columns.includes("building_source_key")
    ? "building_source_key"
    : columns.includes("building_id")
      ? "building_id"
      : null;
  const householdsIndex = columns.indexOf("households");
  if (!keyColumn || householdsIndex < 0) {
    throw new HouseholdsImportError(
      `line ${header.line}: the header must be "building_source_key,households" (or "building_id,households"), got "${header.fields.join(",")}"`,
    );
  }
  const keyIndex = columns.indexOf(keyColumn);
  const problems: string[] = [];
  const rows: HouseholdRow[] = [];
  const firstLine = new Map<string, number>();
  for (const record of records.slice(1)) {
    const key = (record.fields[keyIndex] ?? "").trim();
    const value = (record.fields[householdsIndex] ?? "").trim();
    if (record.fields.length !== columns.length) {
      problems.push(`line ${record.line}: expected ${columns.length} fields, found ${record.fields.length}`);
      continue;
    }
    if (!key) {
      problems.push(`line ${record.line}: ${keyColumn} is empty`);
      continue;
    }
    if (keyColumn === "building_id" && !/^[0-9]+$/.test(key)) {
      problems.push(`line ${record.line}: building_id "${key}" is not an integer`);
      continue;
    }
    if (/^-[0-9]+$/.test(value)) {
      problems.push(`line ${record.line}: households ${value} is negative`);
      continue;
    }
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) > 2_147_483_647) {
      problems.push(`line ${record.line}: households "${value}" is not an integer`);
      continue;
    }
    const previous = firstLine.get(key);
    if (previous !== undefined) {
      problems.push(`line ${record.line}: duplicate key ${key} (first on line ${previous})`);
      continue;
    }
    firstLine.set(key, record.line);
    rows.push({ line: record.line, key, households: Number(value) });
  }
  if (problems.length > 0) throw new HouseholdsImportError(`${problems.length} bad row(s), nothing imported`, problems);
  if (rows.length === 0) throw new HouseholdsImportError("the CSV has a header but no rows");
  return { keyColumn, rows };
}

export interface HouseholdsImportResult {
  rows: number;
  changed: number;
}

/** Set surveyed household counts from a CSV, all or nothing, with one audit row per changed building. */
export async function importHouseholdsFile(pool: Pool, file: string): Promise<HouseholdsImportResult> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch {
    throw new HouseholdsImportError(`CSV file not found: ${absolute}`);
  }
  const { keyColumn, rows } = parseHouseholdsCsv(text);
  const sha256 = await sha256File(absolute);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    try {
      const keyExpression = keyColumn === "building_id" ? "b.id::text" : "b.source_key";
      const matched = await client.query<{ key: string; id: number }>(
        `SELECT k.key, b.id FROM unnest($1::text[]) AS k(key) LEFT JOIN buildings b ON ${keyExpression} = k.key`,
        [rows.map((row) => row.key)],
      );
      const idOf = new Map(matched.rows.map((row) => [row.key, row.id]));
      const unknown = rows.filter((row) => idOf.get(row.key) == null);
      if (unknown.length > 0) {
        throw new HouseholdsImportError(
          `${unknown.length} bad row(s), nothing imported`,
          unknown.map((row) => `line ${row.line}: unknown building ${row.key}`),
        );
      }
      const changed = await client.query<{ id: number; line: number; before: number | null; after: number }>(
        `WITH input AS (
           SELECT unnest($1::int[]) AS id, unnest($2::int[]) AS households, unnest($3::int[]) AS line
         ), old AS (
           SELECT b.id, b.households_surveyed AS before, b.households_source FROM buildings b JOIN input i ON i.id = b.id
         )
         UPDATE buildings b SET households_surveyed = i.households, households_source = 'surveyed', updated_at = now()
         FROM input i JOIN old o ON o.id = i.id
         WHERE b.id = i.id AND (b.households_surveyed, b.households_source) IS DISTINCT FROM (i.households, 'surveyed'::households_source)
         RETURNING b.id, i.line, o.before, i.households AS after`,
        [rows.map((row) => idOf.get(row.key)), rows.map((row) => row.households), rows.map((row) => row.line)],
      );
      if (changed.rows.length > 0) {
        await client.query(
          `INSERT INTO audit_log (actor, action, entity, entity_id, detail)
           SELECT $1, 'import.households', 'buildings', r.id::text,
                  jsonb_build_object('file', $2::text, 'line', r.line, 'householdsSurveyed', jsonb_build_object('from', r.before, 'to', r.after))
           FROM jsonb_to_recordset($3::jsonb) AS r(id int, line int, before int, after int)`,
          [IMPORT_ACTOR, path.basename(absolute), JSON.stringify(changed.rows)],
        );
      }
      await client.query(
        "INSERT INTO import_runs (kind, file_name, sha256, counts) VALUES ('households', $1, $2, $3)",
        [path.basename(absolute), sha256, JSON.stringify({ rows: rows.length, changed: changed.rows.length })],
      );
      await client.query("COMMIT");
      return { rows: rows.length, changed: changed.rows.length };
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  } finally {
    client.release();
  }
}
