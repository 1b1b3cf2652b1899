import { describe, expect, it } from "vitest";
import { getLayer, LAYER_NAMES, LAYERS, layersInvalidatedBy, maxRoadRank, simplifyTolerance } from "./layers";

describe("layer registry", () => {
  it("holds exactly the contract's layers with their source-layers", () => {
    expect(LAYER_NAMES).toEqual(["basemap", "admin", "grids", "buildings", "stations", "cases"]);
    expect(LAYERS.basemap.sourceLayers).toEqual(["areas", "roads", "labels"]);
    expect(LAYERS.admin.sourceLayers).toEqual(["districts", "streets", "communities"]);
    expect(LAYERS.buildings.minzoom).toBe(14);
    expect(LAYERS.grids.minzoom).toBe(13);
  });

  it("only resolves own keys", () => {
    expect(getLayer("grids")?.name).toBe("grids");
    expect(getLayer("toString")).toBeUndefined();
    expect(getLayer("__proto__")).toBeUndefined();
    expect(getLayer("grids;DROP TABLE grids")).toBeUndefined();
  });

  it("protects grids, buildings and cases; basemap, admin and stations are public", () => {
    expect(LAYERS.basemap.roles).toBeNull();
    expect(LAYERS.admin.roles).toBeNull();
    expect(LAYERS.stations.roles).toBeNull();
    expect(LAYERS.grids.roles).toEqual(["admin", "planner", "commander", "worker"]);
    expect(LAYERS.cases.roles).toEqual(["admin", "commander", "worker"]);
  });

  it("maps table changes to the layers that show them", () => {
    const names = (table: string) => layersInvalidatedBy(table).map((layer) => layer.name);
    expect(names("buildings").sort()).toEqual(["admin", "buildings", "grids"]);
    expect(names("grids").sort()).toEqual(["admin", "grids"]);
    expect(names("basemap_roads")).toEqual(["basemap"]);
    expect(names("service_stations")).toEqual(["stations"]);
    expect(names("cases")).toEqual(["cases"]);
    expect(names("users")).toEqual([]);
  });

  it("binds z/x/y as parameters and never puts them into the SQL text", () => {
    for (const layer of Object.values(LAYERS)) {
      const query = layer.query(15, 27195, 13302);
      expect(query.values.slice(0, 3)).toEqual([15, 27195, 13302]);
      expect(query.text).not.toContain("27195");
      expect(query.text).toContain("ST_TileEnvelope($1::int, $2::int, $3::int)");
    }
  });

  it("thins roads and simplifies more at low zoom", () => {
    expect(maxRoadRank(10)).toBeLessThan(maxRoadRank(14));
    expect(simplifyTolerance(10)).toBeGreaterThan(simplifyTolerance(16));
  });
});
