/**
 * Classification rules and defaults for the OSM import, in one place so the SQL, the unit tests and
 * docs/data.md agree. Every number here is documented in docs/data.md.
 */

/** Share of gross floor area that is usable living space. */
export const USABLE_FLOOR_RATIO = 0.75;
/** Average usable floor area per household in central Nanjing, m². */
export const AREA_PER_HOUSEHOLD_M2 = 90;
/** Metres per storey when only `height` is tagged. */
export const METRES_PER_LEVEL = 3;

/** Default storeys by `building=*` value when neither `building:levels` nor `height` is tagged. */
export const DEFAULT_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  apartments: 6,
  residential: 6,
  dormitory: 5,
  house: 2,
  detached: 2,
  semidetached_house: 2,
  terrace: 2,
  bungalow: 1,
  commercial: 8,
  office: 8,
  retail: 2,
  supermarket: 2,
  hotel: 10,
  school: 4,
  kindergarten: 2,
  university: 5,
  college: 5,
  hospital: 6,
  civic: 4,
  government: 5,
  public: 4,
  train_station: 2,
  transportation: 2,
  church: 1,
  temple: 1,
  religious: 1,
  industrial: 2,
  warehouse: 1,
  garage: 1,
  garages: 1,
  roof: 1,
  shed: 1,
  hut: 1,
  kiosk: 1,
  construction: 1,
  yes: 5,
});
/** Storeys for a `building=*` value not listed above. */
export const FALLBACK_LEVELS = 3;

/** `building=*` values that are housing by definition; `building=yes` counts too when inside `landuse=residential`. */
export const RESIDENTIAL_BUILDING_TYPES: readonly string[] = Object.freeze([
  "apartments",
  "residential",
  "dormitory",
  "house",
  "detached",
  "semidetached_house",
  "terrace",
  "bungalow",
]);

/** Own tags that make a `building=yes` inside `landuse=residential` non-residential (a tagged institution or business). */
export const NON_RESIDENTIAL_BUILDING_KEYS: readonly string[] = Object.freeze([
  "amenity",
  "office",
  "shop",
  "tourism",
  "healthcare",
  "government",
  "public_transport",
]);

/**
 * POI nodes that make the `building=yes` containing them non-residential. Shops and restaurants are left out on
 * purpose: ground-floor shops (底商) under housing are common.
 */
export const NON_RESIDENTIAL_POI_AMENITIES: readonly string[] = Object.freeze([
  "police",
  "townhall",
  "hospital",
  "clinic",
  "school",
  "university",
  "college",
  "cinema",
  "theatre",
  "bank",
  "library",
  "courthouse",
  "place_of_worship",
  "fire_station",
  "post_office",
]);
export const NON_RESIDENTIAL_POI_TOURISM: readonly string[] = Object.freeze([
  "hotel",
  "hostel",
  "guest_house",
  "museum",
]);

/** A community is 新建小区 ('new') when more than this share of its residential buildings has ≥ NEW_ESTATE_MIN_LEVELS. */
export const NEW_ESTATE_MIN_LEVELS = 10;
export const NEW_ESTATE_SHARE = 0.5;

/** Household targets per grid by estate kind (老旧小区 200, 新建小区 500). */
export const HOUSEHOLD_TARGET = Object.freeze({ old: 200, new: 500 });

/** Communities are grown from road blocks until they hold about `target` estimated households. */
export const COMMUNITY_HOUSEHOLDS = Object.freeze({ min: 1500, target: 2000, max: 4000 });
/** Communities per 街道. */
export const STREET_COMMUNITIES = Object.freeze({ min: 3, target: 3, max: 6 });
/** Grid blocks below this many households, or smaller than GRID_MIN_AREA_M2, are merged into a neighbour. */
export const GRID_MIN_HOUSEHOLDS = 30;
export const GRID_MIN_AREA_M2 = 1500;
/** Buffer around the buildings' hull that forms the study area, metres. */
export const STUDY_AREA_BUFFER_M = 40;

/** Road rank 1 (most important) … 9 by OSM class; railways sit with secondary roads. */
export const ROAD_RANK: Readonly<Record<string, number>> = Object.freeze({
  motorway: 1,
  motorway_link: 1,
  trunk: 2,
  trunk_link: 2,
  primary: 3,
  primary_link: 3,
  secondary: 4,
  secondary_link: 4,
  rail: 4,
  subway: 4,
  light_rail: 4,
  tertiary: 5,
  tertiary_link: 5,
  unclassified: 6,
  residential: 6,
  living_street: 6,
  road: 6,
  service: 7,
  pedestrian: 8,
  track: 8,
  busway: 8,
  footway: 9,
  path: 9,
  steps: 9,
  cycleway: 9,
  bridleway: 9,
  corridor: 9,
});

/** Roads that bound blocks used to form communities. */
export const MAJOR_ROAD_CLASSES: readonly string[] = Object.freeze([
  "trunk",
  "trunk_link",
  "primary",
  "primary_link",
  "secondary",
  "secondary_link",
  "tertiary",
  "tertiary_link",
]);
/** Roads that additionally bound the blocks used as initial grids. */
export const MINOR_ROAD_CLASSES: readonly string[] = Object.freeze([
  "residential",
  "living_street",
  "unclassified",
  "service",
  "pedestrian",
  "road",
]);

/** Walkable highway classes (unless foot=no); motorway/trunk only with an explicit foot permission. */
export const WALKABLE_HIGHWAYS: readonly string[] = Object.freeze([
  "footway",
  "path",
  "pedestrian",
  "steps",
  "living_street",
  "residential",
  "service",
  "unclassified",
  "road",
  "tertiary",
  "tertiary_link",
  "secondary",
  "secondary_link",
  "primary",
  "primary_link",
  "track",
  "cycleway",
  "corridor",
  "bridleway",
]);
export const FOOT_ONLY_HIGHWAYS: readonly string[] = Object.freeze([
  "motorway",
  "motorway_link",
  "trunk",
  "trunk_link",
]);
export const FOOT_ALLOWED: readonly string[] = Object.freeze(["yes", "designated", "permissive"]);

/** Storeys: tagged `building:levels`, else round(height / 3), else the default for the building type. */
export function resolveLevels(tags: { buildingType: string; levelsTag?: string | null; heightTag?: string | null }): {
  levels: number;
  source: "tagged" | "height" | "default";
  heightM: number | null;
} {
  const heightM = parseMetres(tags.heightTag);
  const tagged = parseFirstNumber(tags.levelsTag);
  if (tagged !== null && tagged >= 0.5) return { levels: Math.max(1, Math.round(tagged)), source: "tagged", heightM };
  if (heightM !== null && heightM > 0) {
    return { levels: Math.max(1, Math.round(heightM / METRES_PER_LEVEL)), source: "height", heightM };
  }
  return { levels: DEFAULT_LEVELS[tags.buildingType] ?? FALLBACK_LEVELS, source: "default", heightM };
}

/** Estimated households: residential ? max(1, round(area × levels × 0.75 / 90)) : 0. */
export function estimateHouseholds(areaM2: number, levels: number, residential: boolean): number {
  if (!residential) return 0;
  return Math.max(1, Math.round((areaM2 * levels * USABLE_FLOOR_RATIO) / AREA_PER_HOUSEHOLD_M2));
}

/** Same regex as the SQL: the first decimal number in an OSM value such as "6", "5.5", "6;7" or "18 m". */
export function parseFirstNumber(value: string | null | undefined): number | null {
  if (!value) return null;
  const match = /[0-9]+(?:\.[0-9]+)?/.exec(value);
  return match ? Number(match[0]) : null;
}

function parseMetres(value: string | null | undefined): number | null {
  if (!value) return null;
  const number = parseFirstNumber(value);
  if (number === null) return null;
  return /ft|'/.test(value) ? number * 0.3048 : number;
}
