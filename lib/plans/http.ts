/**
 * Small helpers for the planner route handlers: body reading with a size limit, zod parsing with messages that name
 * the field, `[id]` params, and one wrapper that turns PlanError (and an oversized body) into the JSON answer.
 */
import type { z } from "zod";
import { PlanError, planErrorResponse } from "./errors";

/** Default body limit of the planner routes (edits, publish); the GeoJSON import passes a larger one. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Thrown by readJsonBody when the body is larger than allowed; answered with 413. */
export class BodyTooLargeError extends Error {
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`request body is larger than ${Math.round(maxBytes / 1024)} KiB`);
    this.name = "BodyTooLargeError";
    this.maxBytes = maxBytes;
  }
}

/** The `[id]` segment: a positive integer row id, else PlanError bad_input naming what it is. */
export function parseIdParam(raw: string, what = "plan"): number {
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > 2_147_483_647)
    throw new PlanError("bad_input", `invalid ${what} id "${raw}": must be a positive integer`);
  return Number(raw);
}

/** A query parameter given at most once (`?a=1&a=2` is ambiguous: PlanError bad_input naming it); null when absent. */
export function queryParam(params: URLSearchParams, name: string): string | null {
  const values = params.getAll(name);
  if (values.length > 1)
    throw new PlanError("bad_input", `query parameter ${name} must be given once, it is given ${values.length} times`);
  return values[0] ?? null;
}

/** Read the body as JSON, refusing more than `maxBytes` (checked on Content-Length and while streaming). */
export async function readJsonBody(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new BodyTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  if (text.trim() === "") throw new PlanError("bad_input", "the request body is empty: a JSON object is expected");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PlanError("bad_input", `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** zod parse; the first problem becomes a PlanError bad_input naming the field ("version: expected number"). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = "body"): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join(".") : what;
    return `${path}: ${issue.message}`;
  });
  throw new PlanError("bad_input", `invalid ${what}: ${issues.slice(0, 3).join("; ")}`, { issues });
}

/** Run a route body; PlanError → its JSON status, too large → 413, anything else propagates (a 500 is a bug). */
export async function withPlanErrors(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return Response.json({ error: error.message, code: "bad_input" }, { status: 413 });
    return planErrorResponse(error);
  }
}

/** JSON answer that is never cached (plans change under edits). */
export function jsonNoStore(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
