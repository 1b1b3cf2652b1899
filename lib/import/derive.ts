import type { PoolClient } from "pg";
import { type Adjacency, type Cell, compareWestNorth, growRegions, mergeSmallCells } from "./grouping";
import {
  COMMUNITY_HOUSEHOLDS,
  GRID_MIN_AREA_M2,
  GRID_MIN_HOUSEHOLDS,
  HOUSEHOLD_TARGET,
  MAJOR_ROAD_CLASSES,
  MINOR_ROAD_CLASSES,
  NEW_ESTATE_MIN_LEVELS,
  NEW_ESTATE_SHARE,
  STREET_COMMUNITIES,
  STUDY_AREA_BUFFER_M,
} from "./osm-rules";

/** Real statistical division codes; districts are assigned around the 新街口 crossing (see docs/data.md). */
export const CITY = { code: "320100", name: "南京市" } as const;
export const DISTRICTS = {
  xuanwu: { code: "320102", name: "玄武区" },
  qinhuai: { code: "320104", name: "秦淮区" },
  gulou: { code: "320106", name: "鼓楼区" },
} as const;
/** 新街口 crossing (中山路 × 汉中路/中山东路) when the data cannot locate it. */
export const FALLBACK_CENTRE: readonly [number, number] = [118.78436, 32.04166];

export const DERIVED_PLAN_NAME = "初始网格（按街区派生）";
export const DERIVED_PLAN_NOTE =
  "[derived:initial] 由 OSM 导入按道路街区自动派生的演示初始方案：社区、街道与网格均为演示数据，非官方划分。";

export const PARTY_STATION_SERVICES = ["党员活动", "政务代办", "社保医保", "老年服务", "法律咨询", "文体活动"];
export const PARTY_CENTER_SERVICES = [
  "党员教育",
  "政务代办",
  "社保医保",
  "老年服务",
  "法律咨询",
  "文体活动",
  "就业服务",
  "志愿服务",
];

export interface DerivationCounts {
  districts: number;
  streets: number;
  communities: number;
  grids: number;
  demoStations: number;
}

interface FaceRow {
  id: number;
  households: number;
  lng: number;
  lat: number;
  area_m2: number;
}

async function run(client: PoolClient, sql: string, params: unknown[] = []): Promise<number> {
  const result = await client.query(sql, params);
  return result.rowCount ?? 0;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function toCells(rows: FaceRow[]): Cell[] {
  return rows.map((row) => ({
    id: Number(row.id),
    weight: Number(row.households),
    lng: Number(row.lng),
    lat: Number(row.lat),
    areaM2: Number(row.area_m2),
  }));
}

async function adjacency(client: PoolClient, table: string, key: string, partition?: string): Promise<Adjacency[]> {
  const same = partition ? `AND a.${partition} = b.${partition}` : "";
  const { rows } = await client.query<{ a: number; b: number; shared_m: number }>(
    `SELECT a.${key} AS a, b.${key} AS b,
            ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)::geography) AS shared_m
     FROM ${table} a JOIN ${table} b ON a.${key} < b.${key} AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom) ${same}`,
  );
  return rows.map((row) => ({ a: Number(row.a), b: Number(row.b), sharedM: Number(row.shared_m) }));
}

/**
 * Demo administration for data without boundaries: road blocks → communities (社区) → streets (街道) → districts,
 * plus the initial active plan whose grids are the road blocks of each community, and demo 党群服务 stations.
 * Runs inside the caller's transaction. Skipped (buildings only re-assigned) when official communities exist.
 */
export async function deriveDemoAdministration(
  client: PoolClient,
): Promise<{ changes: Record<string, number>; notes: string[] }> {
  const changes: Record<string, number> = {};
  const notes: string[] = [];

  const official = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM admin_areas WHERE level = 'community' AND source = 'official'",
  );
  const buildingCount = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM buildings");
  if ((official.rows[0]?.n ?? 0) > 0) {
    notes.push("official communities present: demo derivation skipped");
  } else if ((buildingCount.rows[0]?.n ?? 0) === 0) {
    notes.push("no buildings: demo derivation skipped");
  } else {
    await deriveBoundaries(client, changes);
    await deriveInitialPlan(client, changes, notes);
  }
  await assignBuildings(client, changes);
  await deriveDemoStations(client, changes);
  return { changes, notes };
}

async function deriveBoundaries(client: PoolClient, changes: Record<string, number>): Promise<void> {
  // Study area: concave hull of all buildings, buffered, as one polygon.
  await run(
    client,
    `CREATE TEMP TABLE derive_study ON COMMIT DROP AS
     SELECT (ST_Dump(ST_Buffer(ST_ConcaveHull(ST_Collect(geom), 0.5)::geography, $1)::geometry)).geom AS geom
     FROM buildings`,
    [STUDY_AREA_BUFFER_M],
  );
  await run(
    client,
    "DELETE FROM derive_study WHERE ctid NOT IN (SELECT ctid FROM derive_study ORDER BY ST_Area(geom) DESC LIMIT 1)",
  );

  // Road lines clipped to the study area; tunnels do not cut blocks on the surface.
  await run(
    client,
    `CREATE TEMP TABLE derive_lines ON COMMIT DROP AS
     SELECT r.kind = ANY($1::text[]) AS major, ST_Intersection(r.geom, s.geom) AS geom
     FROM basemap_roads r, derive_study s
     WHERE (r.kind = ANY($1::text[]) OR r.kind = ANY($2::text[])) AND NOT r.tunnel AND ST_Intersects(r.geom, s.geom)`,
    [MAJOR_ROAD_CLASSES, MINOR_ROAD_CLASSES],
  );

  // Faces: polygonize the noded study boundary + roads; coarse = major roads only, fine = all roads.
  for (const [table, filter] of [
    ["derive_coarse", "WHERE major"],
    ["derive_fine", ""],
  ] as const) {
    await run(
      client,
      `CREATE TEMP TABLE ${table} ON COMMIT DROP AS
       WITH noded AS (
         SELECT ST_UnaryUnion(ST_Collect(g)) AS g FROM (
           SELECT ST_Boundary(geom) AS g FROM derive_study
           UNION ALL SELECT geom FROM derive_lines ${filter}) x
       ), faces AS (
         SELECT (ST_Dump(ST_Polygonize(g))).geom AS geom FROM noded
       )
       SELECT row_number() OVER (ORDER BY ST_X(ST_Centroid(f.geom)), ST_Y(ST_Centroid(f.geom)) DESC)::int AS id,
              f.geom, ST_Area(f.geom::geography) AS area_m2, NULL::int AS coarse_id, NULL::int AS cell_id, NULL::text AS community_code,
              0 AS households
       FROM faces f, derive_study s
       WHERE ST_Within(ST_PointOnSurface(f.geom), s.geom)`,
    );
    await run(client, `CREATE INDEX ON ${table} USING gist (geom)`);
  }

  // Households per fine face (by building point-on-surface), then each fine face's coarse block.
  await run(
    client,
    `UPDATE derive_fine f SET households = t.households FROM (
       SELECT f.id, coalesce(sum(b.households), 0)::int AS households
       FROM derive_fine f JOIN buildings b ON ST_Intersects(f.geom, ST_PointOnSurface(b.geom)) GROUP BY f.id
     ) t WHERE t.id = f.id`,
  );
  await run(
    client,
    `UPDATE derive_fine f SET coarse_id = (
       SELECT c.id FROM derive_coarse c
       ORDER BY NOT ST_Intersects(c.geom, ST_PointOnSurface(f.geom)), c.geom <-> ST_PointOnSurface(f.geom), c.id LIMIT 1)`,
  );

  // Cells for community growth: coarse blocks, except that a block above (maximum − minimum) falls apart into its
  // fine blocks (the major-road network of a building-centred download has gaps), so that a leftover region below
  // the minimum can still join a neighbour without passing the maximum.
  await run(
    client,
    `UPDATE derive_fine f SET cell_id = CASE WHEN big.coarse_id IS NULL THEN f.coarse_id ELSE 1000000 + f.id END
     FROM derive_fine f2 LEFT JOIN (
       SELECT coarse_id FROM derive_fine GROUP BY coarse_id HAVING sum(households) > $1
     ) big ON big.coarse_id = f2.coarse_id
     WHERE f2.id = f.id`,
    [COMMUNITY_HOUSEHOLDS.max - COMMUNITY_HOUSEHOLDS.min],
  );
  await run(
    client,
    `CREATE TEMP TABLE derive_cells ON COMMIT DROP AS
     SELECT cell_id AS id, ST_Union(geom) AS geom, sum(households)::int AS households, sum(area_m2) AS area_m2
     FROM derive_fine GROUP BY cell_id`,
  );
  await run(client, "CREATE INDEX ON derive_cells USING gist (geom)");

  // Communities: grow adjacent cells to ~2,000 households (1,500–4,000).
  const cellRows = await client.query<FaceRow>(
    `SELECT id, households, ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat, area_m2
     FROM derive_cells ORDER BY id`,
  );
  const communityOfCell = growRegions(
    toCells(cellRows.rows),
    await adjacency(client, "derive_cells", "id"),
    COMMUNITY_HOUSEHOLDS,
  );
  const cellIds = [...communityOfCell.keys()];
  await run(
    client,
    `CREATE TEMP TABLE derive_cell_community ON COMMIT DROP AS
     SELECT unnest($1::int[]) AS cell_id, unnest($2::int[]) AS community_index`,
    [cellIds, cellIds.map((id) => communityOfCell.get(id))],
  );
  await run(
    client,
    `CREATE TEMP TABLE derive_communities ON COMMIT DROP AS
     SELECT m.community_index, ST_Union(f.geom) AS geom, sum(f.households)::int AS households,
            NULL::text AS district_code, NULL::text AS code
     FROM derive_fine f JOIN derive_cell_community m ON m.cell_id = f.cell_id GROUP BY m.community_index`,
  );
  await run(client, "CREATE INDEX ON derive_communities USING gist (geom)");

  // District of a community by its side of the 新街口 crossing: south → 秦淮, north-east → 玄武, north-west → 鼓楼.
  const centre = await client.query<{ lng: number | null; lat: number | null }>(
    `WITH a AS (SELECT ST_Union(geom) g FROM basemap_roads WHERE name IN ('中山路', '中山南路')),
          b AS (SELECT ST_Union(geom) g FROM basemap_roads WHERE name IN ('汉中路', '中山东路'))
     SELECT ST_X(c) AS lng, ST_Y(c) AS lat FROM (SELECT ST_Centroid(ST_Intersection(a.g, b.g)) c FROM a, b) t`,
  );
  const lng = centre.rows[0]?.lng ?? FALLBACK_CENTRE[0];
  const lat = centre.rows[0]?.lat ?? FALLBACK_CENTRE[1];
  await run(
    client,
    `UPDATE derive_communities SET district_code = CASE
       WHEN ST_Y(ST_PointOnSurface(geom)) < $2 THEN $3
       WHEN ST_X(ST_PointOnSurface(geom)) >= $1 THEN $4 ELSE $5 END`,
    [lng, lat, DISTRICTS.qinhuai.code, DISTRICTS.xuanwu.code, DISTRICTS.gulou.code],
  );

  // Streets: 3–6 adjacent communities of the same district (fewer when the district has fewer).
  const communityRows = await client.query<FaceRow & { district_code: string }>(
    `SELECT community_index AS id, 1 AS households, ST_X(ST_PointOnSurface(geom)) AS lng,
            ST_Y(ST_PointOnSurface(geom)) AS lat, ST_Area(geom::geography) AS area_m2, district_code
     FROM derive_communities ORDER BY community_index`,
  );
  const communityAdjacency = await adjacency(client, "derive_communities", "community_index", "district_code");
  const districtCodes = [...new Set(communityRows.rows.map((row) => row.district_code))].sort();
  const assignments: { index: number; code: string }[] = [];
  for (const districtCode of districtCodes) {
    const cells = toCells(communityRows.rows.filter((row) => row.district_code === districtCode));
    const streetOf = growRegions(cells, communityAdjacency, STREET_COMMUNITIES);
    const streetCount = new Set(streetOf.values()).size;
    for (let street = 0; street < streetCount; street += 1) {
      const members = cells.filter((cell) => streetOf.get(cell.id) === street).sort(compareWestNorth);
      members.forEach((cell, position) => {
        assignments.push({ index: cell.id, code: `${districtCode}${pad(street + 1, 3)}${pad(position + 1, 3)}` });
      });
    }
  }
  await run(
    client,
    `UPDATE derive_communities c SET code = a.code
     FROM (SELECT unnest($1::int[]) AS community_index, unnest($2::text[]) AS code) a
     WHERE a.community_index = c.community_index`,
    [assignments.map((a) => a.index), assignments.map((a) => a.code)],
  );
  await run(
    client,
    `UPDATE derive_fine f SET community_code = c.code
     FROM derive_cell_community m JOIN derive_communities c ON c.community_index = m.community_index
     WHERE m.cell_id = f.cell_id`,
  );

  // Names: the largest named residential area, else the longest named road inside; never reused.
  const names = await namesFor(client, "community");
  const streetNames = await namesFor(client, "street");

  // Estate kind: 'new' when most residential buildings have ≥ 10 storeys.
  const estate = await client.query<{ code: string; estate_kind: "old" | "new" }>(
    `SELECT c.code, CASE WHEN count(b.id) > 0 AND
              count(b.id) FILTER (WHERE b.levels >= $1)::float8 / count(b.id) > $2 THEN 'new' ELSE 'old' END AS estate_kind
     FROM derive_communities c
     LEFT JOIN buildings b ON b.residential AND ST_Intersects(c.geom, ST_PointOnSurface(b.geom))
     GROUP BY c.code`,
    [NEW_ESTATE_MIN_LEVELS, NEW_ESTATE_SHARE],
  );
  const estateOf = new Map(estate.rows.map((row) => [row.code, row.estate_kind]));

  const rows: { level: string; code: string; name: string; parentCode: string | null; estateKind: string | null }[] =
    [];
  rows.push({ level: "city", code: CITY.code, name: CITY.name, parentCode: null, estateKind: null });
  const districtByCode = new Map(Object.values(DISTRICTS).map((d) => [d.code as string, d.name as string]));
  for (const districtCode of districtCodes) {
    rows.push({
      level: "district",
      code: districtCode,
      name: districtByCode.get(districtCode) ?? districtCode,
      parentCode: CITY.code,
      estateKind: null,
    });
  }
  const streetCodes = [...new Set(assignments.map((a) => a.code.slice(0, 9)))].sort();
  streetCodes.forEach((code, position) => {
    rows.push({
      level: "street",
      code,
      name: streetNames.get(code) ?? `演示街道${position + 1}`,
      parentCode: code.slice(0, 6),
      estateKind: null,
    });
  });
  [...assignments]
    .sort((a, b) => a.code.localeCompare(b.code))
    .forEach((assignment, position) => {
      rows.push({
        level: "community",
        code: assignment.code,
        name: names.get(assignment.code) ?? `演示社区${position + 1}`,
        parentCode: assignment.code.slice(0, 9),
        estateKind: estateOf.get(assignment.code) ?? "old",
      });
    });

  // Geometries: communities are unions of fine faces; streets, districts and the city are unions of communities.
  await run(
    client,
    `CREATE TEMP TABLE derive_admin ON COMMIT DROP AS
     WITH r AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS r(level text, code text, name text, "parentCode" text, "estateKind" text)
     ), g AS (
       SELECT r.code, ST_Union(c.geom) AS geom FROM r JOIN derive_communities c ON
         CASE r.level WHEN 'city' THEN true ELSE c.code LIKE r.code || '%' END
       GROUP BY r.code
     )
     SELECT r.level::admin_level AS level, r.code, r.name, r."parentCode" AS parent_code, r."estateKind" AS estate_kind,
            ST_Multi(ST_CollectionExtract(ST_MakeValid(g.geom), 3)) AS geom,
            CASE r.level WHEN 'city' THEN 0 WHEN 'district' THEN 1 WHEN 'street' THEN 2 ELSE 3 END AS depth
     FROM r JOIN g ON g.code = r.code`,
    [JSON.stringify(rows)],
  );
  let upserted = 0;
  for (const depth of [0, 1, 2, 3]) {
    upserted += await run(
      client,
      `INSERT INTO admin_areas (level, code, name, parent_id, source, estate_kind, geom)
       SELECT d.level, d.code, d.name, p.id, 'derived', d.estate_kind, d.geom
       FROM derive_admin d LEFT JOIN admin_areas p ON p.code = d.parent_code
       WHERE d.depth = $1
       ON CONFLICT (code) DO UPDATE SET level = EXCLUDED.level, name = EXCLUDED.name, parent_id = EXCLUDED.parent_id,
         source = EXCLUDED.source, estate_kind = EXCLUDED.estate_kind, geom = EXCLUDED.geom, updated_at = now()
       WHERE (admin_areas.level, admin_areas.name, admin_areas.parent_id, admin_areas.source, admin_areas.estate_kind,
              admin_areas.geom)
         IS DISTINCT FROM (EXCLUDED.level, EXCLUDED.name, EXCLUDED.parent_id, EXCLUDED.source, EXCLUDED.estate_kind,
              EXCLUDED.geom)`,
      [depth],
    );
  }
  changes.adminAreasUpserted = upserted;
}

/** Candidate names per derived community or street code, chosen in code order so no name repeats. */
async function namesFor(client: PoolClient, level: "community" | "street"): Promise<Map<string, string>> {
  const codeExpr = level === "community" ? "c.code" : "left(c.code, 9)";
  const suffix = level === "community" ? "社区" : "街道";
  const { rows } = await client.query<{ code: string; base: string; priority: number; score: number }>(
    `WITH areas AS (
       SELECT ${codeExpr} AS code, ST_Union(c.geom) AS geom FROM derive_communities c GROUP BY 1
     ), landuse AS (
       SELECT a.code, regexp_replace(l.name, '(小区|社区|花园|新村)$', '') AS base, 0 AS priority, l.area_m2 AS score
       FROM areas a JOIN basemap_areas l ON l.kind = 'residential' AND l.name IS NOT NULL
         AND ST_Intersects(a.geom, ST_PointOnSurface(l.geom))
       WHERE $2::boolean
     ), roads AS (
       SELECT a.code, r.name AS base, 1 AS priority,
              sum(ST_Length(ST_Intersection(r.geom, a.geom)::geography)) AS score
       FROM areas a JOIN basemap_roads r ON r.name IS NOT NULL AND r.kind NOT IN ('rail', 'subway', 'light_rail')
         AND ST_Intersects(r.geom, a.geom) AND ($2::boolean OR r.kind = ANY($1::text[]))
       GROUP BY a.code, r.name
     )
     SELECT code, base, priority, score FROM landuse UNION ALL SELECT code, base, priority, score FROM roads
     ORDER BY code, priority, score DESC, base`,
    [MAJOR_ROAD_CLASSES, level === "community"],
  );
  const used = new Set<string>();
  const chosen = new Map<string, string>();
  for (const row of rows) {
    if (chosen.has(row.code)) continue;
    const base = row.base.trim().replace(/(社区|街道)$/, "");
    if (!base || used.has(base)) continue;
    used.add(base);
    chosen.set(row.code, `${base}${suffix}`);
  }
  return chosen;
}

async function deriveInitialPlan(client: PoolClient, changes: Record<string, number>, notes: string[]): Promise<void> {
  const existing = await client.query<{ id: number; status: string }>(
    "SELECT id, status FROM plans WHERE note = $1 ORDER BY id LIMIT 1",
    [DERIVED_PLAN_NOTE],
  );
  let planId = existing.rows[0]?.id;
  if (existing.rows[0] && existing.rows[0].status !== "active") {
    notes.push("the derived initial plan is no longer active: its grids are kept as they are");
    return;
  }
  if (planId === undefined) {
    const otherActive = await client.query("SELECT 1 FROM plans WHERE status = 'active' LIMIT 1");
    const status = otherActive.rowCount ? "draft" : "active";
    const inserted = await client.query<{ id: number }>(
      "INSERT INTO plans (name, status, note, published_at) VALUES ($1, $2::plan_status, $3, CASE WHEN $2::plan_status = 'active' THEN now() END) RETURNING id",
      [DERIVED_PLAN_NAME, status, DERIVED_PLAN_NOTE],
    );
    planId = inserted.rows[0]?.id;
    if (status === "draft") notes.push("another plan is active: the derived plan was created as a draft");
  }
  if (planId === undefined) throw new Error("could not create the derived plan");

  // Grids: the fine road blocks of each community, tiny blocks merged into the neighbour sharing the longest edge.
  const fine = await client.query<FaceRow & { community_code: string }>(
    `SELECT id, households, ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat, area_m2,
            community_code FROM derive_fine WHERE community_code IS NOT NULL ORDER BY id`,
  );
  const fineAdjacency = await adjacency(client, "derive_fine", "id", "community_code");
  const cells = toCells(fine.rows);
  const groupOf = mergeSmallCells(
    cells,
    fineAdjacency,
    (group) => group.weight < GRID_MIN_HOUSEHOLDS || group.areaM2 < GRID_MIN_AREA_M2,
  );
  await run(
    client,
    `CREATE TEMP TABLE derive_grids ON COMMIT DROP AS
     WITH m AS (SELECT unnest($1::int[]) AS id, unnest($2::int[]) AS root)
     SELECT f.community_code, m.root, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(f.geom)), 3)) AS geom,
            sum(f.households)::int AS households
     FROM derive_fine f JOIN m ON m.id = f.id GROUP BY f.community_code, m.root`,
    [cells.map((cell) => cell.id), cells.map((cell) => groupOf.get(cell.id))],
  );
  const kept = await keepBuildingsWhole(client);
  if (kept > 0) notes.push(`${kept} building(s) cut by a block edge kept whole in one grid`);
  changes.gridsUpserted = await run(
    client,
    `WITH numbered AS (
       SELECT g.*, row_number() OVER (PARTITION BY g.community_code
                ORDER BY ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)) DESC, g.root) AS seq
       FROM derive_grids g
     )
     INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom, valid_from)
     SELECT n.community_code || lpad(n.seq::text, 4, '0'), a.name || '第' || n.seq || '网格', a.id, $1,
            coalesce(a.estate_kind, 'old')::estate_kind,
            CASE WHEN a.estate_kind = 'new' THEN $2::int ELSE $3::int END, n.geom, now()
     FROM numbered n JOIN admin_areas a ON a.code = n.community_code
     ON CONFLICT (plan_id, code) DO UPDATE SET name = EXCLUDED.name, community_id = EXCLUDED.community_id,
       estate_kind = EXCLUDED.estate_kind, household_target = EXCLUDED.household_target, geom = EXCLUDED.geom,
       updated_at = now()
     WHERE (grids.name, grids.community_id, grids.estate_kind, grids.household_target, grids.geom)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.community_id, EXCLUDED.estate_kind, EXCLUDED.household_target,
            EXCLUDED.geom)`,
    [planId, HOUSEHOLD_TARGET.new, HOUSEHOLD_TARGET.old],
  );
  changes.gridsDeleted = await run(
    client,
    `DELETE FROM grids g WHERE g.plan_id = $1 AND g.code NOT IN (
       SELECT community_code || lpad(row_number() OVER (PARTITION BY community_code
                ORDER BY ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) DESC, root)::text, 4, '0')
       FROM derive_grids)`,
    [planId],
  );

  await run(
    client,
    `UPDATE plans p SET community_ids = c.ids, updated_at = now()
     FROM (SELECT coalesce(array_agg(DISTINCT community_id ORDER BY community_id), '{}'::int[]) AS ids
           FROM grids WHERE plan_id = $1) c
     WHERE p.id = $1 AND p.community_ids IS DISTINCT FROM c.ids`,
    [planId],
  );

  // Derived boundaries that no longer exist go, unless something still points at them.
  let deleted = 0;
  for (const level of ["community", "street", "district"]) {
    deleted += await run(
      client,
      `DELETE FROM admin_areas a WHERE a.source = 'derived' AND a.level = $1
         AND a.code NOT IN (SELECT code FROM derive_admin)
         AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.community_id = a.id)
         AND NOT EXISTS (SELECT 1 FROM admin_areas c WHERE c.parent_id = a.id)`,
      [level],
    );
  }
  changes.adminAreasDeleted = deleted;
}

/** Footprint area (m²) on each side from which a grid boundary counts as cutting a building. */
export const BUILDING_CUT_M2 = 0.01;

/**
 * Grids never split a building: a building whose footprint (inside its community) is cut by an edge between two grids
 * of `derive_grids` goes wholly to the grid holding most of it (ties → lowest root). The affected communities are
 * re-tiled exactly: the grid boundaries and the cut footprints' outlines are noded together and polygonized, each face
 * goes to the winning grid of the largest cut footprint holding its point-on-surface, else to the grid that held it,
 * and each grid becomes the union of its faces (neighbours share bit-identical edges, the faces cover the community).
 * A grid part left detached by the move (a sliver between a footprint and an old edge) goes to the neighbour it shares
 * the longest edge with. Returns the number of buildings moved.
 */
async function keepBuildingsWhole(client: PoolClient): Promise<number> {
  await run(client, "CREATE INDEX ON derive_grids USING gist (geom)");
  const cut = await run(
    client,
    `CREATE TEMP TABLE derive_cut ON COMMIT DROP AS
     WITH edges AS MATERIALIZED (
       -- grid boundaries in short pieces, whose tight boxes find their few buildings through the index
       SELECT community_code, ST_Subdivide(ST_Boundary(geom), 32) AS l FROM derive_grids
     ), cand AS (
       -- only a building touching a grid boundary can be cut
       SELECT DISTINCT b.id, e.community_code FROM edges e
       JOIN buildings b ON b.geom && e.l AND ST_Intersects(b.geom, e.l)
     ), pieces AS (
       SELECT c.id, c.community_code, g.root, ST_Area(ST_Intersection(b.geom, g.geom)::geography) AS area
       FROM cand c JOIN buildings b ON b.id = c.id
       JOIN derive_grids g ON g.community_code = c.community_code AND g.geom && b.geom AND ST_Intersects(g.geom, b.geom)
     ), cut AS (
       SELECT id, community_code, (array_agg(root ORDER BY area DESC, root))[1] AS root, sum(area) AS area
       FROM pieces GROUP BY id, community_code
       HAVING count(*) FILTER (WHERE area > $1) >= 2
     )
     -- f: the footprint inside the community (a building may straddle two communities)
     SELECT cut.*, CASE WHEN ST_CoveredBy(b.geom, m.geom) THEN b.geom
                        ELSE ST_CollectionExtract(ST_Intersection(b.geom, m.geom), 3) END AS f
     FROM cut JOIN buildings b ON b.id = cut.id JOIN derive_communities m ON m.code = cut.community_code`,
    [BUILDING_CUT_M2],
  );
  if (cut === 0) return 0;

  await run(
    client,
    `CREATE TEMP TABLE derive_retile ON COMMIT DROP AS
     WITH lines AS (
       SELECT x.community_code, ST_UnaryUnion(ST_Collect(x.l)) AS l FROM (
         SELECT g.community_code, ST_Boundary(g.geom) AS l FROM derive_grids g
         WHERE g.community_code IN (SELECT community_code FROM derive_cut)
         UNION ALL
         SELECT c.community_code, ST_Boundary(c.f) FROM derive_cut c
       ) x GROUP BY x.community_code
     ), faces AS (
       SELECT l.community_code, (ST_Dump(ST_Polygonize(l.l))).geom AS f FROM lines l GROUP BY l.community_code
     ), owned AS (
       SELECT f.community_code, f.f,
         coalesce(
           (SELECT c.root FROM derive_cut c WHERE c.community_code = f.community_code
              AND ST_Intersects(c.f, ST_PointOnSurface(f.f)) ORDER BY c.area DESC, c.id LIMIT 1),
           (SELECT g.root FROM derive_grids g WHERE g.community_code = f.community_code
              AND ST_Intersects(g.geom, ST_PointOnSurface(f.f)) ORDER BY g.root LIMIT 1)) AS root
       FROM faces f WHERE ST_Area(f.f) > 0
     )
     SELECT row_number() OVER (ORDER BY community_code, ST_X(ST_PointOnSurface(f)), ST_Y(ST_PointOnSurface(f)))::int AS fid,
            community_code, root, f
     FROM owned WHERE root IS NOT NULL`,
  );
  // Detached parts: a face whose grid part (faces connected to it) is not that grid's largest goes to the neighbouring
  // grid sharing the longest edge with it; repeated until every grid is one part (or nothing moves).
  for (let round = 0; round < 8; round += 1) {
    const moved = await run(
      client,
      `WITH parts AS (
         SELECT community_code, root, (ST_Dump(ST_UnaryUnion(ST_Collect(f)))).geom AS p
         FROM derive_retile GROUP BY community_code, root
       ), ranked AS (
         SELECT community_code, root, p, row_number() OVER (PARTITION BY community_code, root ORDER BY ST_Area(p) DESC) AS k
         FROM parts
       ), stray AS (
         SELECT r.fid, r.community_code, r.root, r.f FROM ranked k
         JOIN derive_retile r ON r.community_code = k.community_code AND r.root = k.root AND r.f && k.p
           AND ST_Within(ST_PointOnSurface(r.f), k.p)
         WHERE k.k > 1
       ), target AS (
         SELECT DISTINCT ON (s.fid) s.fid, n.root
         FROM stray s JOIN derive_retile n ON n.community_code = s.community_code AND n.root <> s.root
           AND n.f && s.f AND ST_Intersects(n.f, s.f)
         CROSS JOIN LATERAL (SELECT ST_Length(ST_CollectionExtract(ST_Intersection(s.f, n.f), 2)) AS len) x
         WHERE x.len > 0
         ORDER BY s.fid, x.len DESC, n.root
       )
       UPDATE derive_retile r SET root = t.root FROM target t WHERE t.fid = r.fid`,
    );
    if (moved === 0) break;
  }
  await run(
    client,
    `DELETE FROM derive_grids g WHERE g.community_code IN (SELECT community_code FROM derive_cut)
       AND NOT EXISTS (SELECT 1 FROM derive_retile r WHERE r.community_code = g.community_code AND r.root = g.root)`,
  );
  await run(
    client,
    `UPDATE derive_grids g SET geom = u.geom FROM (
       SELECT community_code, root, ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(f)), 3)) AS geom
       FROM derive_retile GROUP BY community_code, root
     ) u WHERE u.community_code = g.community_code AND u.root = g.root`,
  );
  return cut;
}

/** Every building gets the community and the active-plan grid that contain its point-on-surface. */
export async function assignBuildings(client: PoolClient, changes: Record<string, number>): Promise<void> {
  changes.buildingsReassigned = await run(
    client,
    `WITH p AS (SELECT b.id, ST_PointOnSurface(b.geom) AS pt FROM buildings b),
     a AS (
       SELECT p.id,
         (SELECT c.id FROM admin_areas c WHERE c.level = 'community' AND ST_Intersects(c.geom, p.pt)
          ORDER BY (c.source = 'official') DESC, c.id LIMIT 1) AS community_id,
         (SELECT g.id FROM grids g JOIN plans pl ON pl.id = g.plan_id AND pl.status = 'active'
          WHERE ST_Intersects(g.geom, p.pt) ORDER BY g.id LIMIT 1) AS grid_id
       FROM p
     )
     UPDATE buildings b SET community_id = a.community_id, grid_id = a.grid_id, updated_at = now()
     FROM a WHERE a.id = b.id AND (b.community_id, b.grid_id) IS DISTINCT FROM (a.community_id, a.grid_id)`,
  );
  await run(
    client,
    `UPDATE service_stations s SET community_id = c.community_id, updated_at = now()
     FROM (SELECT t.id, (SELECT a.id FROM admin_areas a WHERE a.level = 'community' AND ST_Intersects(a.geom, t.location)
                         ORDER BY (a.source = 'official') DESC, a.id LIMIT 1) AS community_id
           FROM service_stations t) c
     WHERE c.id = s.id AND s.community_id IS DISTINCT FROM c.community_id`,
  );
}

/** One demo 党群服务站 per community and one 党群服务中心 per street, at a residential building near the centre. */
async function deriveDemoStations(client: PoolClient, changes: Record<string, number>): Promise<void> {
  await run(
    client,
    `CREATE TEMP TABLE derive_stations ON COMMIT DROP AS
     WITH areas AS (
       SELECT a.id, a.level, a.code, a.name, a.geom,
              CASE a.level WHEN 'community' THEN a.id END AS community_id
       FROM admin_areas a WHERE a.source = 'derived' AND a.level IN ('community', 'street')
     )
     SELECT 'demo:' || a.code AS source_key,
            a.name || CASE a.level WHEN 'street' THEN '党群服务中心' ELSE '党群服务站' END AS name,
            CASE a.level WHEN 'street' THEN 'party_center' ELSE 'party_station' END::station_kind AS kind,
            CASE a.level WHEN 'street' THEN $1::text[] ELSE $2::text[] END AS services,
            CASE a.level WHEN 'street' THEN 'Mo-Fr 08:30-17:30; Sa,Su 09:00-17:00'
                 ELSE 'Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00' END AS opening_hours,
            '025-8000-' || lpad((row_number() OVER (ORDER BY a.code))::text, 4, '0') AS phone,
            coalesce(b.address, '演示地址：' || a.name) AS address,
            coalesce(a.community_id, (SELECT c.id FROM admin_areas c WHERE c.level = 'community'
               AND ST_Intersects(c.geom, coalesce(b.pt, ST_PointOnSurface(a.geom))) ORDER BY c.id LIMIT 1)) AS community_id,
            coalesce(b.pt, ST_PointOnSurface(a.geom)) AS location
     FROM areas a
     LEFT JOIN LATERAL (
       SELECT ST_PointOnSurface(b.geom) AS pt, b.address FROM buildings b
       WHERE b.residential AND ST_Intersects(a.geom, ST_PointOnSurface(b.geom))
       ORDER BY ST_PointOnSurface(b.geom) <-> ST_PointOnSurface(a.geom), b.id
       -- the street centre takes the second-nearest building so it never shares a door with a community station
       LIMIT 1 OFFSET CASE a.level WHEN 'street' THEN 1 ELSE 0 END
     ) b ON true`,
    [PARTY_CENTER_SERVICES, PARTY_STATION_SERVICES],
  );
  changes.demoStationsUpserted = await run(
    client,
    `INSERT INTO service_stations (source_key, name, kind, is_demo, services, opening_hours, phone, address, community_id, location)
     SELECT source_key, name, kind, true, services, opening_hours, phone, address, community_id, location FROM derive_stations
     ON CONFLICT (source_key) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, is_demo = true,
       services = EXCLUDED.services, opening_hours = EXCLUDED.opening_hours, phone = EXCLUDED.phone,
       address = EXCLUDED.address, community_id = EXCLUDED.community_id, location = EXCLUDED.location, updated_at = now()
     WHERE (service_stations.name, service_stations.kind, service_stations.is_demo, service_stations.services,
            service_stations.opening_hours, service_stations.phone, service_stations.address,
            service_stations.community_id, service_stations.location)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, true, EXCLUDED.services, EXCLUDED.opening_hours,
            EXCLUDED.phone, EXCLUDED.address, EXCLUDED.community_id, EXCLUDED.location)`,
  );
  changes.demoStationsDeleted = await run(
    client,
    `DELETE FROM service_stations s WHERE s.source_key LIKE 'demo:%'
       AND NOT EXISTS (SELECT 1 FROM derive_stations d WHERE d.source_key = s.source_key)`,
  );
}
