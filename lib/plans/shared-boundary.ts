/**
 * The shared boundary of two adjacent grids of a plan, as one line from end to end (the reshape tool's handles):
 * the line merge of the part of a's boundary along b. 422 when they share no boundary or it is not one line.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/index";
import type { SharedBoundary } from "./contract";
import { rows } from "./edit-geometry";
import { PlanError } from "./errors";

export async function getSharedBoundary(db: Db, planId: number, a: number, b: number): Promise<SharedBoundary> {
  if (a === b) throw new PlanError("bad_input", "a and b must be two different grids");
  const found = await rows<{ id: number; code: string }>(
    db,
    sql`SELECT id, code FROM grids WHERE plan_id = ${planId} AND id IN (${a}, ${b})`,
  );
  for (const gid of [a, b])
    if (!found.some((r) => Number(r.id) === gid))
      throw new PlanError("not_found", `grid ${gid} is not a grid of plan ${planId}`, { gridId: gid });
  const code = (gid: number) => found.find((r) => Number(r.id) === gid)?.code ?? String(gid);
  // a's boundary within 1e-9° (0.1 mm) of b: robust where the two outlines are not noded alike (a vertex on one that
  // the other lacks); pieces under 1 cm (where the outlines only touch) are left out before merging
  const [line] = await rows<{ type: string | null; geojson: string | null; parts: number }>(
    db,
    sql`WITH x AS (
          SELECT (ST_Dump(ST_LineMerge(ST_CollectionExtract(
                   ST_Intersection(ST_Boundary(ga.geom), ST_Buffer(gb.geom, 1e-9)), 2)))).geom AS l
          FROM grids ga, grids gb WHERE ga.id = ${a} AND gb.id = ${b}
        ), kept AS (SELECT ST_LineMerge(ST_Collect(l)) AS l FROM x WHERE ST_Length(l::geography) >= 0.01)
        SELECT GeometryType(l) AS type, ST_AsGeoJSON(l, 9) AS geojson, coalesce(ST_NumGeometries(l), 0)::int AS parts
        FROM kept`,
  );
  if (!line?.geojson || line.type === null || line.parts === 0)
    throw new PlanError("invalid_edit", `grids ${code(a)} and ${code(b)} share no boundary`);
  if (line.type !== "LINESTRING")
    throw new PlanError(
      "invalid_edit",
      `the boundary shared by grids ${code(a)} and ${code(b)} is not one line (${line.parts} pieces)`,
      { parts: line.parts },
    );
  const coords = (JSON.parse(line.geojson) as { coordinates: [number, number][] }).coordinates;
  return { gridIds: [a, b], line: coords };
}
