/**
 * Errors of the planner domain: thrown by `lib/plans/*` (inside transactions, so nothing is half-written) and turned
 * into the JSON answer `{ error, code, details }` by `planErrorResponse` in the route handlers.
 */
import type { ApiError, PlanErrorCode } from "./contract";

const STATUS: Record<PlanErrorCode, number> = {
  bad_input: 400,
  invalid_geometry: 400,
  not_found: 404,
  stale_version: 409,
  not_draft: 409,
  job_running: 409,
  nothing_to_undo: 409,
  nothing_to_redo: 409,
  invalid_edit: 422,
  validation_failed: 422,
};

export class PlanError extends Error {
  readonly code: PlanErrorCode;
  readonly details?: unknown;
  constructor(code: PlanErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "PlanError";
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export function isPlanError(error: unknown): error is PlanError {
  return error instanceof PlanError;
}

/** The HTTP answer for a PlanError; anything else is rethrown (a 500 is a bug, not an answer). */
export function planErrorResponse(error: unknown): Response {
  if (!isPlanError(error)) throw error;
  const body: ApiError = { error: error.message, code: error.code };
  if (error.details !== undefined) body.details = error.details;
  return Response.json(body, { status: error.status, headers: { "Cache-Control": "no-store" } });
}

/** Stale write: the client saw `seen`, the plan is at `current`. */
export function staleVersion(planId: number, seen: number, current: number): PlanError {
  return new PlanError(
    "stale_version",
    `plan ${planId} was changed by someone else (you have version ${seen}, it is now ${current}); reload and try again`,
    { seen, current },
  );
}
