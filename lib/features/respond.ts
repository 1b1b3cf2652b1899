import "server-only";
import { FeatureIdParam } from "./schemas";

export type FeatureRouteContext = { params: Promise<{ id: string }> };

/** Validates `[id]`, loads the feature and answers 400 / 404 / 200 JSON (never cached: the data is edited live). */
export async function respondWithFeature<T>(
  context: FeatureRouteContext,
  kind: string,
  load: (id: number) => Promise<T | undefined>,
): Promise<Response> {
  const { id: raw } = await context.params;
  const parsed = FeatureIdParam.safeParse(raw);
  if (!parsed.success) {
    return Response.json(
      { error: `invalid ${kind} id "${raw}": ${parsed.error.issues[0]?.message ?? "must be a positive integer"}` },
      { status: 400 },
    );
  }
  const feature = await load(parsed.data);
  if (!feature) return Response.json({ error: `${kind} ${parsed.data} not found` }, { status: 404 });
  return Response.json(feature, { headers: { "Cache-Control": "no-store" } });
}
