import { createDb, databaseUrl } from "@/db/client";
import { importOsmFile, OsmImportError } from "@/lib/import/osm";

/** npm run import:osm -- <file.osm|file.osm.pbf> [--force] */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  const file = args.find((arg) => !arg.startsWith("--"));
  if (!file) {
    console.error("usage: npm run import:osm -- <file.osm|file.osm.pbf> [--force]");
    process.exit(2);
  }
  const url = databaseUrl();
  const { pool } = createDb(url);
  try {
    const result = await importOsmFile(pool, file, {
      databaseUrl: url,
      force,
      log: (message) => console.log(`[import:osm] ${message}`),
    });
    if (result.status === "unchanged") {
      console.log(`[import:osm] unchanged: ${file} (sha256 ${result.sha256.slice(0, 12)}…) was already imported`);
    } else {
      const c = result.counts;
      console.log(
        `[import:osm] imported ${file} in ${(result.durationMs / 1000).toFixed(1)} s: ${c.buildings} buildings ` +
          `(${c.residentialBuildings} residential, ${c.householdsEstimated} estimated households), ${c.roads} roads, ` +
          `${c.areas} areas, ${c.labels} labels, ${c.walkNodes} walk nodes / ${c.walkEdges} edges, ` +
          `${c.osmStations} OSM stations; derived ${c.districts} districts, ${c.streets} streets, ` +
          `${c.communities} communities, ${c.grids} grids, ${c.demoStations} demo stations`,
      );
    }
  } catch (error) {
    const message =
      error instanceof OsmImportError ? error.message : error instanceof Error ? error.stack : String(error);
    console.error(`[import:osm] failed: ${message}`);
    console.error("[import:osm] nothing was written to the domain tables");
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}

void main();
