import { Client } from "pg";
import { ensureBenchDatabase } from "./bench-database";

/**
 * A deterministic synthetic city for the bench: a street grid of 200 m blocks around Nanjing's centre, 16 building
 * lots per block, districts (40×40 blocks) → streets (10×10) → communities (5×5), one grid per block in an active
 * plan, ranked roads, parks and a river, labels, stations and cases. Same size + seed → same rows.
 */

export const SYNTHETIC_VERSION = 1;
const ORIGIN: [number, number] = [118.7, 31.98];
const METRES_PER_DEG_LAT = 110_574;
const METRES_PER_DEG_LNG = 111_320 * Math.cos((32.04 * Math.PI) / 180);
const BLOCK_M = 200;
const STREET_M = 20;
const LOTS_PER_SIDE = 4;

export type SyntheticCity = {
  url: string;
  size: number;
  seed: number;
  reused: boolean;
  counts: Record<string, number>;
};

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lngLatOf(xM: number, yM: number): [number, number] {
  return [ORIGIN[0] + xM / METRES_PER_DEG_LNG, ORIGIN[1] + yM / METRES_PER_DEG_LAT];
}

function rectWkt(x0: number, y0: number, x1: number, y1: number): string {
  const [a, b] = lngLatOf(x0, y0);
  const [c, d] = lngLatOf(x1, y1);
  const f = (v: number) => v.toFixed(7);
  return `MULTIPOLYGON(((${f(a)} ${f(b)},${f(c)} ${f(b)},${f(c)} ${f(d)},${f(a)} ${f(d)},${f(a)} ${f(b)})))`;
}

function pointWkt(xM: number, yM: number): string {
  const [lng, lat] = lngLatOf(xM, yM);
  return `POINT(${lng.toFixed(7)} ${lat.toFixed(7)})`;
}

function lineWkt(x0: number, y0: number, x1: number, y1: number): string {
  const [a, b] = lngLatOf(x0, y0);
  const [c, d] = lngLatOf(x1, y1);
  return `LINESTRING(${a.toFixed(7)} ${b.toFixed(7)},${c.toFixed(7)} ${d.toFixed(7)})`;
}

/** The bbox [minLng, minLat, maxLng, maxLat] covered by a city of `size` buildings. */
export function syntheticExtent(size: number): [number, number, number, number] {
  const side = blocksPerSide(size);
  const [minLng, minLat] = lngLatOf(0, 0);
  const [maxLng, maxLat] = lngLatOf(side * BLOCK_M, side * BLOCK_M);
  return [minLng, minLat, maxLng, maxLat];
}

function blocksPerSide(size: number): number {
  // whole streets (10 blocks) so every level of the hierarchy is complete
  return Math.max(10, Math.ceil(Math.sqrt(size / LOTS_PER_SIDE ** 2) / 10) * 10);
}

async function insertRows(client: Client, sql: string, columns: unknown[][], batch = 5000): Promise<void> {
  const total = columns[0]?.length ?? 0;
  for (let start = 0; start < total; start += batch) {
    await client.query(
      sql,
      columns.map((column) => column.slice(start, start + batch)),
    );
  }
}

/** Create (or reuse, when it already holds this size/seed/version) the synthetic city database at `url`. */
export async function ensureSyntheticCity(url: string, size: number, seed = 42): Promise<SyntheticCity> {
  const marker = `synthetic:v${SYNTHETIC_VERSION}:size=${size}:seed=${seed}`;
  const { reused, counts } = await ensureBenchDatabase(url, "bench-synthetic", marker, (target) =>
    fillSyntheticCity(target, size, seed),
  );
  return { url, size, seed, reused, counts };
}

async function fillSyntheticCity(url: string, size: number, seed: number): Promise<Record<string, number>> {
  const random = seededRandom(seed);
  const side = blocksPerSide(size);
  const client = new Client({ connectionString: url });
  await client.connect();
  const counts: Record<string, number> = {};
  try {
    await client.query("BEGIN");
    // admin hierarchy: 市 → 区 (40×40 blocks) → 街道 (10×10) → 社区 (5×5)
    const city = await client.query<{ id: number }>(
      `INSERT INTO admin_areas (level, code, name, source, geom) VALUES ('city', '320100', '合成市', 'derived', ST_GeomFromText($1, 4326)) RETURNING id`,
      [rectWkt(0, 0, side * BLOCK_M, side * BLOCK_M)],
    );
    const cityId = city.rows[0]?.id;
    const districtSide = Math.min(40, side);
    const communityIds = new Map<string, number>();
    const communityOf = (bx: number, by: number) => `${Math.floor(bx / 5)}:${Math.floor(by / 5)}`;
    let districtIndex = 0;
    let streetTotal = 0;
    for (let dy = 0; dy < side; dy += districtSide) {
      for (let dx = 0; dx < side; dx += districtSide) {
        districtIndex++;
        const districtCode = `3201${String(districtIndex).padStart(2, "0")}`;
        const district = await client.query<{ id: number }>(
          `INSERT INTO admin_areas (level, code, name, parent_id, source, geom) VALUES ('district', $1, $2, $3, 'derived', ST_GeomFromText($4, 4326)) RETURNING id`,
          [
            districtCode,
            `合成${districtIndex}区`,
            cityId,
            rectWkt(
              dx * BLOCK_M,
              dy * BLOCK_M,
              Math.min(side, dx + districtSide) * BLOCK_M,
              Math.min(side, dy + districtSide) * BLOCK_M,
            ),
          ],
        );
        let streetIndex = 0;
        for (let sy = dy; sy < Math.min(side, dy + districtSide); sy += 10) {
          for (let sx = dx; sx < Math.min(side, dx + districtSide); sx += 10) {
            streetIndex++;
            streetTotal++;
            const streetCode = `${districtCode}${String(streetIndex).padStart(3, "0")}`;
            const street = await client.query<{ id: number }>(
              `INSERT INTO admin_areas (level, code, name, parent_id, source, geom) VALUES ('street', $1, $2, $3, 'derived', ST_GeomFromText($4, 4326)) RETURNING id`,
              [
                streetCode,
                `合成${districtIndex}区${streetIndex}街道`,
                district.rows[0]?.id,
                rectWkt(sx * BLOCK_M, sy * BLOCK_M, (sx + 10) * BLOCK_M, (sy + 10) * BLOCK_M),
              ],
            );
            let communityIndex = 0;
            for (let cy = sy; cy < sy + 10; cy += 5) {
              for (let cx = sx; cx < sx + 10; cx += 5) {
                communityIndex++;
                const estateKind = random() < 0.5 ? "old" : "new";
                const community = await client.query<{ id: number }>(
                  `INSERT INTO admin_areas (level, code, name, parent_id, source, estate_kind, geom) VALUES ('community', $1, $2, $3, 'derived', $4, ST_GeomFromText($5, 4326)) RETURNING id`,
                  [
                    `${streetCode}${String(communityIndex).padStart(3, "0")}`,
                    `合成社区${streetCode.slice(4)}-${communityIndex}`,
                    street.rows[0]?.id,
                    estateKind,
                    rectWkt(cx * BLOCK_M, cy * BLOCK_M, (cx + 5) * BLOCK_M, (cy + 5) * BLOCK_M),
                  ],
                );
                const id = community.rows[0]?.id;
                if (id !== undefined) communityIds.set(communityOf(cx, cy), id);
              }
            }
          }
        }
      }
    }
    counts.districts = districtIndex;
    counts.streets = streetTotal;
    counts.communities = communityIds.size;

    // one grid per block in one active plan
    const plan = await client.query<{ id: number }>(
      "INSERT INTO plans (name, status, published_at) VALUES ('合成网格方案', 'active', now()) RETURNING id",
    );
    const planId = plan.rows[0]?.id;
    const communityCodes = new Map<number, string>();
    for (const row of (
      await client.query<{ id: number; code: string }>("SELECT id, code FROM admin_areas WHERE level = 'community'")
    ).rows) {
      communityCodes.set(row.id, row.code);
    }
    const sequence = new Map<number, number>();
    const grid = {
      code: [] as string[],
      name: [] as string[],
      community: [] as number[],
      kind: [] as string[],
      target: [] as number[],
      wkt: [] as string[],
    };
    for (let by = side - 1; by >= 0; by--) {
      for (let bx = 0; bx < side; bx++) {
        const communityId = communityIds.get(communityOf(bx, by)) ?? 0;
        const next = (sequence.get(communityId) ?? 0) + 1;
        sequence.set(communityId, next);
        const kind = random() < 0.5 ? "old" : "new";
        grid.code.push(`${communityCodes.get(communityId)}${String(next).padStart(4, "0")}`);
        grid.name.push(`第${next}网格`);
        grid.community.push(communityId);
        grid.kind.push(kind);
        grid.target.push(kind === "old" ? 200 : 500);
        grid.wkt.push(rectWkt(bx * BLOCK_M, by * BLOCK_M, (bx + 1) * BLOCK_M, (by + 1) * BLOCK_M));
      }
    }
    await insertRows(
      client,
      `INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom, valid_from)
       SELECT c, n, m, ${Number(planId)}, k::estate_kind, t, ST_GeomFromText(w, 4326), now()
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[]) AS u(c, n, m, k, t, w)`,
      [grid.code, grid.name, grid.community, grid.kind, grid.target, grid.wkt],
    );
    counts.grids = grid.code.length;
    const gridIds = new Map<string, number>();
    for (const row of (
      await client.query<{ id: number; x: number; y: number }>(
        `SELECT id, ST_X(ST_Centroid(geom)) AS x, ST_Y(ST_Centroid(geom)) AS y FROM grids`,
      )
    ).rows) {
      const bx = Math.floor(((row.x - ORIGIN[0]) * METRES_PER_DEG_LNG) / BLOCK_M);
      const by = Math.floor(((row.y - ORIGIN[1]) * METRES_PER_DEG_LAT) / BLOCK_M);
      gridIds.set(`${bx}:${by}`, row.id);
    }

    // buildings: 4×4 lots per block, a rectangle per lot
    const building = {
      key: [] as string[],
      name: [] as (string | null)[],
      type: [] as string[],
      levels: [] as number[],
      residential: [] as boolean[],
      area: [] as number[],
      households: [] as number[],
      grid: [] as number[],
      community: [] as number[],
      wkt: [] as string[],
    };
    const lot = (BLOCK_M - STREET_M) / LOTS_PER_SIDE;
    let made = 0;
    outer: for (let by = 0; by < side; by++) {
      for (let bx = 0; bx < side; bx++) {
        for (let ly = 0; ly < LOTS_PER_SIDE; ly++) {
          for (let lx = 0; lx < LOTS_PER_SIDE; lx++) {
            if (made >= size) break outer;
            made++;
            const width = 12 + random() * (lot - 16);
            const depth = 10 + random() * (lot - 14);
            const x0 = bx * BLOCK_M + STREET_M / 2 + lx * lot + random() * (lot - width - 2) + 1;
            const y0 = by * BLOCK_M + STREET_M / 2 + ly * lot + random() * (lot - depth - 2) + 1;
            const residential = random() < 0.8;
            const levels = residential
              ? random() < 0.5
                ? 6
                : 1 + Math.floor(random() * 33)
              : 1 + Math.floor(random() * 12);
            const area = width * depth;
            building.key.push(`bench:${bx}:${by}:${lx}:${ly}`);
            building.name.push(random() < 0.1 ? `${bx}-${by}号楼` : null);
            building.type.push(residential ? (levels > 6 ? "apartments" : "residential") : "commercial");
            building.levels.push(levels);
            building.residential.push(residential);
            building.area.push(Math.round(area * 10) / 10);
            building.households.push(residential ? Math.max(1, Math.floor((area * levels * 0.75) / 90)) : 0);
            building.grid.push(gridIds.get(`${bx}:${by}`) ?? 0);
            building.community.push(communityIds.get(communityOf(bx, by)) ?? 0);
            building.wkt.push(rectWkt(x0, y0, x0 + width, y0 + depth));
          }
        }
      }
    }
    await insertRows(
      client,
      `INSERT INTO buildings (source_key, name, building_type, levels, levels_source, residential, area_m2, households_estimated, grid_id, community_id, geom)
       SELECT k, n, t, l, 'tagged', r, a, h, g, c, ST_GeomFromText(w, 4326)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bool[], $6::float8[], $7::int[], $8::int[], $9::int[], $10::text[]) AS u(k, n, t, l, r, a, h, g, c, w)`,
      [
        building.key,
        building.name,
        building.type,
        building.levels,
        building.residential,
        building.area,
        building.households,
        building.grid,
        building.community,
        building.wkt,
      ],
    );
    counts.buildings = made;

    // roads: one segment per block edge; every 10th line a trunk, every 5th primary, every 2nd tertiary
    const road = {
      key: [] as string[],
      kind: [] as string[],
      rank: [] as number[],
      name: [] as string[],
      wkt: [] as string[],
    };
    const rankOf = (line: number): [string, number] =>
      line % 10 === 0
        ? ["trunk", 2]
        : line % 5 === 0
          ? ["primary", 3]
          : line % 2 === 0
            ? ["tertiary", 5]
            : ["residential", 7];
    for (let line = 0; line <= side; line++) {
      const [kind, rank] = rankOf(line);
      for (let segment = 0; segment < side; segment++) {
        road.key.push(`bench:h:${line}:${segment}`, `bench:v:${line}:${segment}`);
        road.kind.push(kind, kind);
        road.rank.push(rank, rank);
        road.name.push(`东西${line}路`, `南北${line}路`);
        road.wkt.push(
          lineWkt(segment * BLOCK_M, line * BLOCK_M, (segment + 1) * BLOCK_M, line * BLOCK_M),
          lineWkt(line * BLOCK_M, segment * BLOCK_M, line * BLOCK_M, (segment + 1) * BLOCK_M),
        );
      }
    }
    await insertRows(
      client,
      `INSERT INTO basemap_roads (source_key, kind, rank, name, geom)
       SELECT k, t, r, n, ST_GeomFromText(w, 4326) FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[]) AS u(k, t, r, n, w)`,
      [road.key, road.kind, road.rank, road.name, road.wkt],
    );
    counts.roads = road.key.length;

    // areas: a park in every 7th block, a river band across the city
    const area = {
      key: [] as string[],
      kind: [] as string[],
      name: [] as string[],
      area: [] as number[],
      wkt: [] as string[],
    };
    for (let by = 0; by < side; by++) {
      for (let bx = 0; bx < side; bx++) {
        if ((bx * 31 + by * 17) % 7 !== 0) continue;
        area.key.push(`bench:park:${bx}:${by}`);
        area.kind.push("park");
        area.name.push(`${bx}-${by}公园`);
        area.area.push((BLOCK_M - STREET_M) ** 2);
        area.wkt.push(
          rectWkt(
            bx * BLOCK_M + STREET_M / 2,
            by * BLOCK_M + STREET_M / 2,
            (bx + 1) * BLOCK_M - STREET_M / 2,
            (by + 1) * BLOCK_M - STREET_M / 2,
          ),
        );
      }
    }
    area.key.push("bench:river");
    area.kind.push("water");
    area.name.push("合成河");
    area.area.push(side * BLOCK_M * 60);
    area.wkt.push(rectWkt(0, side * BLOCK_M * 0.31, side * BLOCK_M, side * BLOCK_M * 0.31 + 60));
    await insertRows(
      client,
      `INSERT INTO basemap_areas (source_key, kind, name, area_m2, geom)
       SELECT k, t, n, a, ST_GeomFromText(w, 4326) FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[]) AS u(k, t, n, a, w)`,
      [area.key, area.kind, area.name, area.area, area.wkt],
    );
    counts.areas = area.key.length;

    // labels: one POI per 4 blocks, ranked; stations one per community; cases scattered
    const label = {
      key: [] as string[],
      kind: [] as string[],
      name: [] as string[],
      rank: [] as number[],
      wkt: [] as string[],
    };
    for (let by = 0; by < side; by += 2) {
      for (let bx = 0; bx < side; bx += 2) {
        label.key.push(`bench:label:${bx}:${by}`);
        label.kind.push("poi");
        label.name.push(`地点${bx}-${by}`);
        label.rank.push(1 + Math.floor(random() * 9));
        label.wkt.push(pointWkt(bx * BLOCK_M + random() * BLOCK_M, by * BLOCK_M + random() * BLOCK_M));
      }
    }
    await insertRows(
      client,
      `INSERT INTO basemap_labels (source_key, kind, name, rank, geom)
       SELECT k, t, n, r, ST_GeomFromText(w, 4326) FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS u(k, t, n, r, w)`,
      [label.key, label.kind, label.name, label.rank, label.wkt],
    );
    counts.labels = label.key.length;

    await client.query(
      `INSERT INTO service_stations (source_key, name, kind, is_demo, community_id, location)
       SELECT 'bench:' || a.code, a.name || '党群服务站', 'party_station', true, a.id, ST_PointOnSurface(a.geom)
       FROM admin_areas a WHERE a.level = 'community'`,
    );
    counts.stations = communityIds.size;
    const caseCount = Math.max(100, Math.round(size / 50));
    const cases = { code: [] as string[], wkt: [] as string[] };
    for (let index = 0; index < caseCount; index++) {
      cases.code.push(`BENCH-${String(index).padStart(6, "0")}`);
      cases.wkt.push(pointWkt(random() * side * BLOCK_M, random() * side * BLOCK_M));
    }
    await insertRows(
      client,
      `INSERT INTO cases (tracking_code, category_code, title, status, location, grid_id)
       SELECT c, 'A01', '合成事件', 'registered', p, (SELECT g.id FROM grids g WHERE ST_Intersects(g.geom, p) LIMIT 1)
       FROM unnest($1::text[], $2::text[]) AS u(c, w), LATERAL ST_GeomFromText(w, 4326) AS p`,
      [cases.code, cases.wkt],
    );
    counts.cases = caseCount;
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return counts;
}
