import { Client } from "pg";
import { ensureBenchDatabase } from "./bench-database";
import { seededRandom } from "./synthetic";

/**
 * A deterministic synthetic 街道 for the partition bench (issue 3): roads on a jittered lattice (some interior roads
 * dropped → superblocks, service lanes splitting compounds, footways that do not bound blocks) → irregular road blocks
 * → buildings of mixed estate kinds: old walk-ups (~6 floors, 20–60 households), dense low-rise lanes, new-estate slabs
 * and towers, a few towers above the target, shops, sheds and schools without households. Eight communities on the
 * lattice (community boundaries run along roads): six 老旧小区 (target 200) of ~700 buildings / ~50 grids each and
 * two 新建小区 (target 500); the street holds ~5,000 buildings (~370 grids). Same seed → the same rows.
 */

export const PARTITION_SYNTHETIC_VERSION = 1;
const ORIGIN: [number, number] = [118.9, 32.1];
const METRES_PER_DEG_LAT = 110_574;
const METRES_PER_DEG_LNG = 111_320 * Math.cos((ORIGIN[1] * Math.PI) / 180);
/** Lattice cell (road spacing) and jitter of interior road nodes, metres. */
const CELL_M = 140;
const JITTER_M = 26;
const COLS = 20;
const ROWS = 10;
/** Communities: 5 × 5 lattice cells each, two rows of four. */
const COMMUNITY_COLS = 5;
const COMMUNITY_ROWS = 5;
const STREET_CODE = "320199001";
/** Estate kind of each community (index = row-major over the 4 × 2 community layout). */
const COMMUNITY_KINDS: ReadonlyArray<"old" | "new"> = ["old", "old", "new", "old", "old", "old", "new", "old"];

type Pt = [number, number];

export interface SyntheticBuilding {
  key: string;
  community: number;
  kind: "walkup" | "lowrise" | "slab" | "tower" | "shed" | "shop" | "school";
  levels: number;
  households: number;
  ring: Pt[];
}

export interface SyntheticRoad {
  key: string;
  kind: string;
  rank: number;
  name: string;
  line: Pt[];
}

export interface SyntheticCommunity {
  index: number;
  code: string;
  name: string;
  estateKind: "old" | "new";
  /** The lattice cells (quads) whose union is the community. */
  cells: Pt[][];
}

export interface SyntheticStreet {
  code: string;
  name: string;
  communities: SyntheticCommunity[];
  roads: SyntheticRoad[];
  buildings: SyntheticBuilding[];
}

/** Signed distance of p from the line a→b (positive on the left). */
function side(a: Pt, b: Pt, p: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  return (dx * (p[1] - a[1]) - dy * (p[0] - a[0])) / Math.hypot(dx, dy);
}

function distToSegment(a: Pt, b: Pt, p: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** Generate the street (pure, deterministic). */
export function generateSyntheticStreet(seed = 7): SyntheticStreet {
  const random = seededRandom(seed);
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const int = (lo: number, hi: number) => Math.floor(between(lo, hi + 1));

  // lattice nodes: interior nodes jittered in both directions, boundary nodes only along the boundary
  const node: Pt[][] = [];
  for (let i = 0; i <= COLS; i++) {
    node.push([]);
    for (let j = 0; j <= ROWS; j++) {
      const jx = i === 0 || i === COLS ? 0 : between(-JITTER_M, JITTER_M);
      const jy = j === 0 || j === ROWS ? 0 : between(-JITTER_M, JITTER_M);
      node[i]?.push([i * CELL_M + jx, j * CELL_M + jy]);
    }
  }
  const at = (i: number, j: number): Pt => node[i]?.[j] as Pt;
  const communityOf = (ci: number, cj: number) =>
    Math.floor(cj / COMMUNITY_ROWS) * (COLS / COMMUNITY_COLS) + Math.floor(ci / COMMUNITY_COLS);

  const communities: SyntheticCommunity[] = COMMUNITY_KINDS.map((estateKind, index) => ({
    index,
    code: `${STREET_CODE}${String(index + 1).padStart(3, "0")}`,
    name: `合成${estateKind === "old" ? "老街" : "新城"}社区${index + 1}`,
    estateKind,
    cells: [],
  }));
  for (let i = 0; i < COLS; i++)
    for (let j = 0; j < ROWS; j++)
      communities[communityOf(i, j)]?.cells.push([at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)]);

  // roads: lattice edges; street boundary primary, community boundaries secondary, every 4th line tertiary,
  // other interior edges residential, 14 % of those dropped (superblocks)
  const roads: SyntheticRoad[] = [];
  const dropped = new Set<string>();
  const edgeKind = (horizontal: boolean, i: number, j: number): [string, number] | null => {
    const line = horizontal ? j : i;
    const outer = horizontal ? j === 0 || j === ROWS : i === 0 || i === COLS;
    if (outer) return ["primary", 3];
    const communityLine = horizontal ? j % COMMUNITY_ROWS === 0 : i % COMMUNITY_COLS === 0;
    if (communityLine) return ["secondary", 4];
    if (line % 4 === 2) return ["tertiary", 5];
    if (random() < 0.14) return null;
    return ["residential", 7];
  };
  for (let j = 0; j <= ROWS; j++)
    for (let i = 0; i < COLS; i++) {
      const k = edgeKind(true, i, j);
      if (!k) {
        dropped.add(`h:${i}:${j}`);
        continue;
      }
      roads.push({
        key: `pbench:h:${i}:${j}`,
        kind: k[0],
        rank: k[1],
        name: `东西${j}路`,
        line: [at(i, j), at(i + 1, j)],
      });
    }
  for (let i = 0; i <= COLS; i++)
    for (let j = 0; j < ROWS; j++) {
      const k = edgeKind(false, i, j);
      if (!k) {
        dropped.add(`v:${i}:${j}`);
        continue;
      }
      roads.push({
        key: `pbench:v:${i}:${j}`,
        kind: k[0],
        rank: k[1],
        name: `南北${i}路`,
        line: [at(i, j), at(i, j + 1)],
      });
    }

  const buildings: SyntheticBuilding[] = [];
  const blockTypes = {
    old: [
      ["walkup", 0.58],
      ["lowrise", 0.3],
      ["slab", 0.04],
      ["tower", 0.04],
      ["school", 0.04],
    ],
    new: [
      ["slab", 0.36],
      ["tower", 0.4],
      ["walkup", 0.16],
      ["school", 0.08],
    ],
  } as const;
  for (let j = 0; j < ROWS; j++) {
    for (let i = 0; i < COLS; i++) {
      const community = communityOf(i, j);
      const kind = communities[community]?.estateKind ?? "old";
      let pick = random();
      let type: string = blockTypes[kind][0][0];
      for (const [t, p] of blockTypes[kind]) {
        if (pick < p) {
          type = t;
          break;
        }
        pick -= p;
      }
      const quad: Pt[] = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
      // a service lane across big compounds (splits the block), a footway through some others (does not)
      const obstacles: Array<{ a: Pt; b: Pt; clear: number }> = [];
      const mid = (p: Pt, q: Pt, t = 0.5): Pt => [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
      if ((type === "walkup" || type === "slab") && random() < 0.35) {
        const t = between(0.4, 0.6);
        const a = mid(quad[0] as Pt, quad[3] as Pt, t);
        const b = mid(quad[1] as Pt, quad[2] as Pt, t);
        roads.push({
          key: `pbench:lane:${i}:${j}`,
          kind: "service",
          rank: 8,
          name: `${i}-${j}号小区内路`,
          line: [a, b],
        });
        obstacles.push({ a, b, clear: 6 });
      } else if (random() < 0.3) {
        const t = between(0.35, 0.65);
        const a = mid(quad[0] as Pt, quad[1] as Pt, t);
        const b = mid(quad[3] as Pt, quad[2] as Pt, t);
        roads.push({ key: `pbench:foot:${i}:${j}`, kind: "footway", rank: 9, name: `${i}-${j}号步道`, line: [a, b] });
        obstacles.push({ a, b, clear: 3 });
      }
      // a dropped edge merges blocks: buildings may come closer to where the road was
      const margin = (edge: string) => (dropped.has(edge) ? 4 : 9);
      const margins = [
        margin(`h:${i}:${j}`),
        margin(`v:${i + 1}:${j}`),
        margin(`h:${i}:${j + 1}`),
        margin(`v:${i}:${j}`),
      ];
      const fits = (ring: Pt[]) =>
        ring.every(
          (p) =>
            quad.every((a, e) => side(a, quad[(e + 1) % 4] as Pt, p) >= (margins[e] ?? 9)) &&
            obstacles.every((o) => distToSegment(o.a, o.b, p) >= o.clear),
        );
      // frame: u along the block's south edge, v across it
      const s0 = quad[0] as Pt;
      const s1 = quad[1] as Pt;
      const len = Math.hypot(s1[0] - s0[0], s1[1] - s0[1]);
      const ux = (s1[0] - s0[0]) / len;
      const uy = (s1[1] - s0[1]) / len;
      const toWorld = (u: number, v: number): Pt => [s0[0] + u * ux - v * uy, s0[1] + u * uy + v * ux];
      const rect = (u: number, v: number, w: number, d: number): Pt[] => {
        const r = [toWorld(u, v), toWorld(u + w, v), toWorld(u + w, v + d), toWorld(u, v + d)];
        return [...r, r[0] as Pt];
      };
      const place = (b: Omit<SyntheticBuilding, "key" | "community">) => {
        buildings.push({ ...b, key: `pbench:b:${i}:${j}:${buildings.length}`, community });
      };
      const span = CELL_M + 2 * JITTER_M;
      /** Rows of buildings: each row `depth` deep, `gap` between rows; `next` gives the next building in a row. */
      const rows = (
        depth: number,
        rowGap: number,
        next: () => {
          w: number;
          d: number;
          gap: number;
          make: () => Omit<SyntheticBuilding, "key" | "community" | "ring">;
        },
      ) => {
        for (let v = -JITTER_M + between(0, 6); v < span; v += depth + rowGap) {
          let b = next();
          for (let u = -JITTER_M + between(0, 4); u < span; ) {
            const ring = rect(u, v + between(0, 1.5), b.w, b.d);
            if (fits(ring)) {
              place({ ...b.make(), ring });
              u += b.w + b.gap;
              b = next();
            } else u += 3; // slide along the row until the building fits the block
          }
        }
      };
      // two flats per landing, one stair every ~12 m
      const walkupHouseholds = (w: number, levels: number) =>
        Math.max(20, Math.min(60, levels * 2 * Math.max(1, Math.round(w / 12))));
      if (type === "walkup") {
        rows(12, 7, () => {
          if (random() < 0.38) {
            const w = between(5, 8);
            return {
              w,
              d: between(4, 6),
              gap: between(4, 7),
              make: () => ({ kind: "shed", levels: 1, households: 0 }),
            };
          }
          const w = between(36, 62);
          const d = between(10, 12.5);
          const levels = random() < 0.7 ? 6 : int(5, 7);
          return {
            w,
            d,
            gap: between(6, 10),
            make: () => ({ kind: "walkup", levels, households: walkupHouseholds(w, levels) }),
          };
        });
      } else if (type === "lowrise") {
        rows(9, 5, () => {
          const w = between(7, 12);
          const d = between(7, 9);
          const levels = int(1, 3);
          const shop = random() < 0.12;
          return {
            w,
            d,
            gap: between(2.5, 5),
            make: () =>
              shop
                ? { kind: "shop", levels, households: 0 }
                : { kind: "lowrise", levels, households: Math.max(1, levels * Math.round((w * d) / 24)) },
          };
        });
      } else if (type === "slab") {
        rows(14, 28, () => {
          if (random() < 0.45) {
            const w = between(6, 14);
            return {
              w,
              d: between(5, 10),
              gap: between(5, 9),
              make: () => ({ kind: "shed", levels: 1, households: 0 }),
            };
          }
          const w = between(50, 72);
          const levels = int(11, 18);
          const units = w > 60 ? 6 : 4;
          return {
            w,
            d: 14,
            gap: between(10, 16),
            make: () => ({ kind: "slab", levels, households: levels * units }),
          };
        });
      } else if (type === "tower") {
        rows(22, 24, () => {
          if (random() < 0.35) {
            const w = between(6, 12);
            return {
              w,
              d: between(5, 9),
              gap: between(6, 10),
              make: () => ({ kind: "shed", levels: 1, households: 0 }),
            };
          }
          const levels = int(25, 33);
          // a few towers hold more households than the target (old 200, and now and then new 500)
          const big = random();
          const units = big < 0.04 ? 18 : big < 0.12 ? 8 : int(5, 8);
          return {
            w: 22,
            d: 22,
            gap: between(20, 30),
            make: () => ({ kind: "tower", levels, households: levels * units }),
          };
        });
      } else {
        rows(30, 18, () => {
          const w = between(20, 55);
          return {
            w,
            d: between(14, 28),
            gap: between(12, 20),
            make: () =>
              random() < 0.6
                ? { kind: "school", levels: int(3, 5), households: 0 }
                : { kind: "shop", levels: int(1, 4), households: 0 },
          };
        });
      }
    }
  }
  return { code: STREET_CODE, name: "合成街道", communities, roads, buildings };
}

/** The 老旧小区 whose building count is closest to 700: the bench's "community of ~700 buildings". */
export function benchCommunity(street: SyntheticStreet): SyntheticCommunity {
  const size = (c: SyntheticCommunity) => street.buildings.filter((b) => b.community === c.index).length;
  const old = street.communities.filter((c) => c.estateKind === "old");
  return old.reduce((best, c) => (Math.abs(size(c) - 700) < Math.abs(size(best) - 700) ? c : best));
}

function lngLat(p: Pt): string {
  return `${(ORIGIN[0] + p[0] / METRES_PER_DEG_LNG).toFixed(8)} ${(ORIGIN[1] + p[1] / METRES_PER_DEG_LAT).toFixed(8)}`;
}
/** A closed ring (the lattice quads are given open, buildings closed). */
function closed(ring: Pt[]): Pt[] {
  const first = ring[0] as Pt;
  const last = ring[ring.length - 1] as Pt;
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
}
const polygonWkt = (ring: Pt[]) => `POLYGON((${closed(ring).map(lngLat).join(",")}))`;
const lineWkt = (line: Pt[]) => `LINESTRING(${line.map(lngLat).join(",")})`;

export interface PartitionBenchData {
  url: string;
  reused: boolean;
  streetCode: string;
  /** Community codes of the street. */
  communityCodes: string[];
  /** The old-estate community of ~700 buildings. */
  benchCommunityCode: string;
  counts: Record<string, number>;
}

/** Create (or reuse, when it holds this seed/version) the partition bench database at `url`. */
export async function ensurePartitionBenchDatabase(url: string, seed = 7): Promise<PartitionBenchData> {
  const street = generateSyntheticStreet(seed);
  const marker = `partition-synthetic:v${PARTITION_SYNTHETIC_VERSION}:seed=${seed}`;
  const communityCodes = street.communities.map((c) => c.code);
  const result = (reused: boolean, counts: Record<string, number>): PartitionBenchData => ({
    url,
    reused,
    streetCode: street.code,
    communityCodes,
    benchCommunityCode: benchCommunity(street).code,
    counts,
  });
  const { reused, counts } = await ensureBenchDatabase(url, "bench-partition-synthetic", marker, (target) =>
    fill(target, street),
  );
  return result(reused, counts);
}

async function fill(url: string, street: SyntheticStreet): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    const allCells = street.communities.flatMap((c) => c.cells.map(polygonWkt));
    const city = await client.query<{ id: number }>(
      `INSERT INTO admin_areas (level, code, name, source, geom)
       SELECT 'city', '320100', '合成市', 'derived', ST_Multi(ST_Union(ST_GeomFromText(w, 4326))) FROM unnest($1::text[]) w
       RETURNING id`,
      [allCells],
    );
    const district = await client.query<{ id: number }>(
      `INSERT INTO admin_areas (level, code, name, parent_id, source, geom)
       SELECT 'district', '320199', '合成区', $2, 'derived', ST_Multi(ST_Union(ST_GeomFromText(w, 4326))) FROM unnest($1::text[]) w
       RETURNING id`,
      [allCells, city.rows[0]?.id],
    );
    const streetRow = await client.query<{ id: number }>(
      `INSERT INTO admin_areas (level, code, name, parent_id, source, geom)
       SELECT 'street', $3, $4, $2, 'derived', ST_Multi(ST_Union(ST_GeomFromText(w, 4326))) FROM unnest($1::text[]) w
       RETURNING id`,
      [allCells, district.rows[0]?.id, street.code, street.name],
    );
    const communityIds: number[] = [];
    for (const c of street.communities) {
      const row = await client.query<{ id: number }>(
        `INSERT INTO admin_areas (level, code, name, parent_id, source, estate_kind, geom)
         SELECT 'community', $3, $4, $2, 'derived', $5, ST_Multi(ST_Union(ST_GeomFromText(w, 4326))) FROM unnest($1::text[]) w
         RETURNING id`,
        [c.cells.map(polygonWkt), streetRow.rows[0]?.id, c.code, c.name, c.estateKind],
      );
      communityIds.push(Number(row.rows[0]?.id));
    }
    const b = street.buildings;
    await client.query(
      `INSERT INTO buildings (source_key, name, building_type, levels, levels_source, residential, area_m2, households_estimated, community_id, geom)
       SELECT k, NULL, t, l, 'tagged', h > 0, ST_Area(ST_GeomFromText(w, 4326)::geography), h, c, ST_Multi(ST_GeomFromText(w, 4326))
       FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[]) AS u(k, t, l, h, c, w)`,
      [
        b.map((x) => x.key),
        b.map((x) =>
          x.kind === "walkup" || x.kind === "lowrise"
            ? "residential"
            : x.kind === "slab" || x.kind === "tower"
              ? "apartments"
              : x.kind === "school"
                ? "school"
                : x.kind === "shop"
                  ? "retail"
                  : "shed",
        ),
        b.map((x) => x.levels),
        b.map((x) => x.households),
        b.map((x) => communityIds[x.community] ?? null),
        b.map((x) => polygonWkt(x.ring)),
      ],
    );
    const r = street.roads;
    await client.query(
      `INSERT INTO basemap_roads (source_key, kind, rank, name, geom)
       SELECT k, t, r, n, ST_GeomFromText(w, 4326) FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[]) AS u(k, t, r, n, w)`,
      [
        r.map((x) => x.key),
        r.map((x) => x.kind),
        r.map((x) => x.rank),
        r.map((x) => x.name),
        r.map((x) => lineWkt(x.line)),
      ],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return {
    communities: street.communities.length,
    buildings: street.buildings.length,
    households: street.buildings.reduce((s, b) => s + b.households, 0),
    roads: street.roads.length,
    bench_community_buildings: street.buildings.filter((b) => b.community === benchCommunity(street).index).length,
  };
}
