import { validateStyleMin } from "@maplibre/maplibre-gl-style-spec";
import type { LayerSpecification, StyleSpecification } from "maplibre-gl";
import { describe, expect, it } from "vitest";
import {
  adminCommunitiesFillLayer,
  adminCommunitiesLabelLayer,
  adminCommunitiesOutlineLayer,
  adminStreetsLabelLayer,
  adminStreetsOutlineLayer,
} from "@/components/map/layers/admin-layer-styles";
import { buildingsFillLayer, buildingsOutlineLayer } from "@/components/map/layers/building-layer-styles";
import { gridsFillLayer, gridsLabelLayer, gridsOutlineLayer } from "@/components/map/layers/grid-layer-styles";
import { stationsCircleLayer, stationsLabelLayer } from "@/components/map/layers/station-layer-styles";
import { ANCHORS_BELOW_LABELS, ANCHORS_ON_TOP, BASEMAP_LAYERS, LABEL_SOURCE, SOURCE } from "./ids";
import { labelSource, vectorSource } from "./sources";
import { buildMapStyle } from "./style";

const origin = "http://127.0.0.1:3000";

/** The style as the running map holds it: the basemap plus every domain source and layer. */
function fullStyle(locale: "zh-CN" | "en"): StyleSpecification {
  const style = buildMapStyle({ origin, locale });
  const domain: LayerSpecification[] = [
    adminCommunitiesFillLayer,
    adminCommunitiesOutlineLayer,
    adminStreetsOutlineLayer,
    adminCommunitiesLabelLayer,
    adminStreetsLabelLayer,
    gridsFillLayer,
    gridsOutlineLayer,
    gridsLabelLayer,
    buildingsFillLayer("households"),
    buildingsFillLayer("source"),
    buildingsOutlineLayer,
    stationsCircleLayer,
    stationsLabelLayer(locale),
  ].map((layer, index) => ({ ...layer, id: `${layer.id}-${index}` }));
  return {
    ...style,
    sources: {
      ...style.sources,
      [SOURCE.admin]: vectorSource(origin, SOURCE.admin),
      [SOURCE.grids]: vectorSource(origin, SOURCE.grids),
      [SOURCE.buildings]: vectorSource(origin, SOURCE.buildings),
      [SOURCE.stations]: vectorSource(origin, SOURCE.stations),
      [LABEL_SOURCE.adminLabels]: labelSource(origin, LABEL_SOURCE.adminLabels),
      [LABEL_SOURCE.gridLabels]: labelSource(origin, LABEL_SOURCE.gridLabels),
    },
    layers: [...style.layers, ...domain],
  };
}

describe("map style", () => {
  it("is a valid MapLibre style with every domain layer, in both languages", () => {
    expect(validateStyleMin(fullStyle("zh-CN"))).toEqual([]);
    expect(validateStyleMin(fullStyle("en"))).toEqual([]);
  });

  it("loads nothing from outside the page's origin", () => {
    const style = buildMapStyle({ origin: `${origin}/`, locale: "zh-CN" });
    expect(style.glyphs).toBe(`${origin}/glyphs/{fontstack}/{range}.pbf`);
    expect(style.sprite).toBeUndefined();
    const urls = Object.values(style.sources).flatMap((source) => ("tiles" in source ? (source.tiles ?? []) : []));
    expect(urls).toEqual([`${origin}/api/tiles/basemap/{z}/{x}/{y}`]);
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\/(?!127\.0\.0\.1:3000)/);
  });

  it("orders basemap, anchors and labels so domain fills sit under the basemap labels", () => {
    const ids = buildMapStyle({ origin, locale: "zh-CN" }).layers.map((layer) => layer.id);
    for (const id of BASEMAP_LAYERS) expect(ids).toContain(id);
    const firstSymbol = buildMapStyle({ origin, locale: "zh-CN" }).layers.findIndex((layer) => layer.type === "symbol");
    for (const anchor of ANCHORS_BELOW_LABELS) expect(ids.indexOf(anchor)).toBeLessThan(firstSymbol);
    for (const anchor of ANCHORS_ON_TOP) expect(ids.indexOf(anchor)).toBeGreaterThan(firstSymbol);
  });

  it("uses only the glyph fontstack that public/glyphs serves", () => {
    const fonts = new Set(
      fullStyle("zh-CN").layers.flatMap((layer) =>
        layer.type === "symbol" ? ((layer.layout?.["text-font"] as string[] | undefined) ?? []) : [],
      ),
    );
    expect([...fonts]).toEqual(["Noto Sans Regular"]);
  });
});
