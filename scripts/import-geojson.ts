import { createDb, databaseUrl } from "@/db/client";
import { GeoJsonImportError, GeoJsonKind, importGeoJsonFile, SourceCrsOption } from "@/lib/import/geojson";

const USAGE =
  "usage: npm run import:geojson -- <file.geojson> --as communities|buildings|stations [--crs 4326|4490|gcj02]";

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index >= 0) return args[index + 1];
  const inline = args.find((arg) => arg.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const kind = GeoJsonKind.safeParse(option(args, "--as"));
  const crsText = option(args, "--crs");
  const crs =
    crsText === undefined ? undefined : SourceCrsOption.safeParse(crsText.replace(/^EPSG:/i, "").toLowerCase());
  const file = args.find((arg, index) => !arg.startsWith("--") && !["--as", "--crs"].includes(args[index - 1] ?? ""));
  if (!file || !kind.success || (crs && !crs.success)) {
    console.error(USAGE);
    process.exit(2);
  }
  const { pool } = createDb(databaseUrl());
  try {
    const result = await importGeoJsonFile(pool, file, { as: kind.data, crs: crs?.success ? crs.data : undefined });
    console.log(
      `[import:geojson] ${result.features} ${result.kind} from ${file} (CRS ${result.crs}): ` +
        `${result.inserted} inserted, ${result.updated} updated`,
    );
  } catch (error) {
    const message =
      error instanceof GeoJsonImportError ? error.message : error instanceof Error ? error.stack : String(error);
    console.error(`[import:geojson] failed: ${message}`);
    console.error("[import:geojson] nothing was written");
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}

void main();
