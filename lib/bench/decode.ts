import { VectorTile } from "@mapbox/vector-tile";
import { PbfReader } from "pbf";

/** Feature ids per source-layer of an encoded MVT (empty body → no layers). */
export function decodeTileIds(body: Buffer | Uint8Array): Record<string, number[]> {
  const result: Record<string, number[]> = {};
  if (!body.length) return result;
  const tile = new VectorTile(new PbfReader(body));
  for (const [name, layer] of Object.entries(tile.layers)) {
    const ids: number[] = [];
    for (let index = 0; index < layer.length; index++) ids.push(Number(layer.feature(index).id));
    result[name] = ids;
  }
  return result;
}

/** Decoded features of one source-layer with their properties. */
export function decodeTileFeatures(
  body: Buffer | Uint8Array,
  sourceLayer: string,
): { id: number; properties: Record<string, unknown> }[] {
  if (!body.length) return [];
  const layer = new VectorTile(new PbfReader(body)).layers[sourceLayer];
  if (!layer) return [];
  const features: { id: number; properties: Record<string, unknown> }[] = [];
  for (let index = 0; index < layer.length; index++) {
    const feature = layer.feature(index);
    features.push({ id: Number(feature.id), properties: { ...feature.properties } });
  }
  return features;
}
