"use client";
import type { Locale } from "@/lib/i18n/core";
import type { ApiError, PlanErrorCode } from "@/lib/plans/contract";
import { serverMessageZh } from "./server-messages";

/** A failed planner API call: the HTTP status and the server's `{ error, code }` (or a network failure, status 0). */
export class PlanApiError extends Error {
  readonly status: number;
  readonly code: PlanErrorCode | undefined;
  constructor(status: number, message: string, code?: PlanErrorCode) {
    super(message);
    this.name = "PlanApiError";
    this.status = status;
    this.code = code;
  }
  get stale(): boolean {
    return this.code === "stale_version" || (this.status === 409 && this.code === undefined);
  }
}

/** fetch + JSON with the planner error shape; never caches (every answer reflects the current version). */
export async function planFetch<T>(url: string, init?: { method?: string; body?: unknown }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init?.method ?? "GET",
      headers: init?.body !== undefined ? { "Content-Type": "application/json" } : undefined,
      body: init?.body !== undefined ? JSON.stringify(init.body) : undefined,
      cache: "no-store",
      credentials: "same-origin",
    });
  } catch {
    throw new PlanApiError(0, "");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = json as Partial<ApiError> | undefined;
    throw new PlanApiError(
      response.status,
      typeof error?.error === "string" ? error.error : "",
      typeof error?.code === "string" ? error.code : undefined,
    );
  }
  return json as T;
}

/**
 * The message to show for a failed call in the UI's language: stale and not-a-draft have their own texts; the
 * server's (English) refusals are translated for the Chinese UI where known, else shown after a Chinese lead.
 */
export function apiErrorMessage(
  error: unknown,
  t: (
    key: "networkError" | "serverError" | "staleError" | "editRefused" | "notEditable",
    vars?: Record<string, string | number>,
  ) => string,
  locale: Locale = "zh-CN",
): string {
  if (error instanceof PlanApiError) {
    if (error.status === 0) return t("networkError");
    if (error.stale) return t("staleError");
    if (error.code === "not_draft") return t("notEditable");
    // An edit that would break an invariant: the server names the grids / buildings involved.
    const message =
      error.message && locale !== "en" ? (serverMessageZh(error.message) ?? error.message) : error.message;
    if (error.status === 422 && message) return t("editRefused", { message });
    if (message) return message;
    return t("serverError", { status: error.status });
  }
  return t("serverError", { status: 500 });
}
