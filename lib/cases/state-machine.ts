/**
 * The closed loop (闭环) of a case as a pure state machine over the `case_status` enum of db/schema/cases.ts:
 *
 *   受理 received → 立案 registered | 不予立案 rejected → 派单 dispatched → 接单 accepted → 处置 in_progress
 *   → 办结 resolved → 核查 verified (失败 = 返工: back to dispatched) → 评价 rated → 销号 closed
 *
 * and 吹哨 escalation (grid → community → street → district, each hop with a reason, each summoned level must 报到)
 * as a separate dimension that does not change the status.
 *
 * Every function takes the version the actor saw and returns either the next state plus the one timeline event to
 * append, or a typed error (code + params; messages in `CASE_ERROR_MESSAGES`). Nothing here touches the database:
 * the caller writes the new state with `WHERE version = <seen>` and appends the event in the same transaction.
 */
import type { Case } from "@/db/schema/cases";
import type { Role } from "@/lib/auth/roles";
import { defineMessages, format, type Locale } from "@/lib/i18n/core";

export type CaseStatus = Case["status"];

/** Same values and order as the `case_status` enum (a unit test keeps them equal). */
export const CASE_STATUSES = [
  "received",
  "rejected",
  "registered",
  "dispatched",
  "accepted",
  "in_progress",
  "resolved",
  "verified",
  "rated",
  "closed",
] as const satisfies readonly CaseStatus[];

/** Console roles plus the public resident and the system (automatic dispatch, escalation, closing). */
export type CaseRole = Role | "resident" | "system";
export const CASE_ROLES = [
  "admin",
  "planner",
  "commander",
  "worker",
  "resident",
  "system",
] as const satisfies readonly CaseRole[];

export type Actor = { role: CaseRole; userId: number | null };

/** 吹哨 levels, lowest first. */
export const ESCALATION_LEVELS = ["grid", "community", "street", "district"] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export type CaseState = {
  status: CaseStatus;
  version: number;
  /** The worker the case is dispatched to (派单), null before dispatch. */
  assigneeUserId: number | null;
  /** Who did 办结 last; 核查 must be done by a different role. */
  resolvedBy: Actor | null;
  /** 返工 count (failed 核查). */
  reworkCount: number;
  satisfaction: number | null;
  escalation: {
    level: EscalationLevel;
    /** The last 吹哨 hop still waiting for the summoned level to 报到; null when none is pending. */
    pending: { level: EscalationLevel; at: Date } | null;
  };
};

/** A new case as intake creates it (受理). */
export function initialCaseState(): CaseState {
  return {
    status: "received",
    version: 1,
    assigneeUserId: null,
    resolvedBy: null,
    reworkCount: 0,
    satisfaction: null,
    escalation: { level: "grid", pending: null },
  };
}

export type CaseAction =
  | "register" // 立案
  | "reject" // 不予立案
  | "dispatch" // 派单
  | "decline" // 退单 (the worker sends it back to the command centre)
  | "reassign" // 改派
  | "accept" // 接单
  | "start" // 处置
  | "resolve" // 办结
  | "verify_pass" // 核查通过
  | "verify_fail" // 核查不通过 → 返工
  | "rate" // 评价
  | "close"; // 销号

type ActionRule = {
  from: readonly CaseStatus[];
  to: CaseStatus;
  roles: readonly CaseRole[];
  /** A non-empty reason is required. */
  reason: boolean;
};

const OFFICE: readonly CaseRole[] = ["commander", "admin"];

/**
 * Which action may be taken from which status by which role. 返工 (verify_fail) goes back to `dispatched` with the
 * same assignee, as 数字化城市管理 re-dispatches a case whose 核查 failed: the worker has to 接单 again, so the rework
 * shows in their queue and in the timeline. `close` from `verified` is the system closing a case the resident did not
 * rate within the rating window (reason required); everyone else closes from `rated`.
 */
export const ACTION_RULES = {
  register: { from: ["received"], to: "registered", roles: OFFICE, reason: false },
  reject: { from: ["received"], to: "rejected", roles: OFFICE, reason: true },
  dispatch: { from: ["registered"], to: "dispatched", roles: [...OFFICE, "system"], reason: false },
  decline: { from: ["dispatched"], to: "registered", roles: ["worker"], reason: true },
  reassign: {
    from: ["dispatched", "accepted", "in_progress"],
    to: "dispatched",
    roles: [...OFFICE, "system"],
    reason: true,
  },
  accept: { from: ["dispatched"], to: "accepted", roles: ["worker"], reason: false },
  start: { from: ["accepted"], to: "in_progress", roles: ["worker"], reason: false },
  resolve: { from: ["in_progress"], to: "resolved", roles: ["worker", ...OFFICE], reason: false },
  verify_pass: { from: ["resolved"], to: "verified", roles: ["worker", ...OFFICE], reason: false },
  verify_fail: { from: ["resolved"], to: "dispatched", roles: ["worker", ...OFFICE], reason: true },
  rate: { from: ["verified"], to: "rated", roles: ["resident", ...OFFICE], reason: false },
  close: { from: ["rated", "verified"], to: "closed", roles: [...OFFICE, "system"], reason: false },
} as const satisfies Record<CaseAction, ActionRule>;

export const CASE_ACTIONS = Object.keys(ACTION_RULES) as CaseAction[];

/** Statuses from which 吹哨 is possible: the case is registered and not yet resolved. */
export const WHISTLE_STATUSES: readonly CaseStatus[] = ["registered", "dispatched", "accepted", "in_progress"];
export const WHISTLE_ROLES: readonly CaseRole[] = ["worker", "commander", "admin", "system"];
/** 报到 is recorded by the command centre for the summoned department. */
export const ACKNOWLEDGE_ROLES: readonly CaseRole[] = ["commander", "admin"];

export const CASE_ERROR_CODES = [
  "stale_version",
  "invalid_transition",
  "role_not_allowed",
  "missing_reason",
  "missing_result",
  "missing_evidence",
  "missing_assignee",
  "not_assignee",
  "same_role_verification",
  "invalid_satisfaction",
  "rating_window_open",
  "invalid_escalation",
  "nothing_to_acknowledge",
  "missing_department",
] as const;
export type CaseErrorCode = (typeof CASE_ERROR_CODES)[number];

export const CASE_ERROR_MESSAGES = defineMessages({
  stale_version: {
    "zh-CN": "该案件已被他人修改（您看到的是第 {seen} 版，当前为第 {current} 版），请刷新后重试",
    en: "The case was changed by someone else (you saw version {seen}, it is now {current}); reload and try again",
  },
  invalid_transition: {
    "zh-CN": "案件当前状态为“{status}”，不能执行“{action}”",
    en: "A case in status “{status}” cannot take the action “{action}”",
  },
  role_not_allowed: {
    "zh-CN": "角色“{role}”无权执行“{action}”",
    en: "The role “{role}” may not take the action “{action}”",
  },
  missing_reason: { "zh-CN": "“{action}”必须填写理由", en: "“{action}” needs a reason" },
  missing_result: { "zh-CN": "办结必须填写处置结果", en: "Resolving needs the handling result" },
  missing_evidence: {
    "zh-CN": "办结必须上传处置后照片或填写说明",
    en: "Resolving needs an after-photo or a note",
  },
  missing_assignee: { "zh-CN": "派单必须指定网格员", en: "Dispatching needs the grid worker to assign" },
  not_assignee: {
    "zh-CN": "该案件未派给您，只有被派单的网格员可以操作",
    en: "The case is not assigned to you; only the assigned grid worker may do this",
  },
  same_role_verification: {
    "zh-CN": "核查须由与办结人不同的角色进行（办结角色：{role}）",
    en: "Verification must be done by a role other than the one that resolved the case ({role})",
  },
  invalid_satisfaction: {
    "zh-CN": "满意度须为 1 至 5 的整数",
    en: "Satisfaction must be a whole number from 1 to 5",
  },
  rating_window_open: {
    "zh-CN": "群众尚未评价，只有系统可在评价期满后销号",
    en: "The resident has not rated yet; only the system may close after the rating window",
  },
  invalid_escalation: {
    "zh-CN": "吹哨只能逐级上报：当前为“{from}”，下一级为“{next}”",
    en: "The whistle goes up one level at a time: now at “{from}”, the next level is “{next}”",
  },
  nothing_to_acknowledge: { "zh-CN": "没有待报到的吹哨", en: "No whistle is waiting to be acknowledged" },
  missing_department: { "zh-CN": "报到必须填写报到部门", en: "Acknowledging needs the reporting department" },
} satisfies Record<CaseErrorCode, unknown>);

export type CaseError = { code: CaseErrorCode; params: Record<string, string | number> };

export function caseErrorMessage(error: CaseError, locale: Locale): string {
  return format(CASE_ERROR_MESSAGES[error.code][locale], error.params);
}

export type TimelineEvent = {
  kind: "transition" | "whistle" | "acknowledge";
  action: CaseAction | "whistle" | "acknowledge";
  actorUserId: number | null;
  actorRole: CaseRole;
  fromStatus: CaseStatus;
  toStatus: CaseStatus;
  reason: string | null;
  at: Date;
  /** Action-specific facts (assignee, result, satisfaction, escalation levels, department…). */
  details: Record<string, string | number | null>;
};

export type Outcome = { ok: true; state: CaseState; event: TimelineEvent } | { ok: false; error: CaseError };

export type TransitionPayload = {
  /** The case version the actor saw. */
  version: number;
  reason?: string | null;
  assigneeUserId?: number | null;
  result?: string | null;
  afterPhotoUrl?: string | null;
  note?: string | null;
  satisfaction?: number | null;
  at?: Date;
};

function fail(code: CaseErrorCode, params: Record<string, string | number> = {}): Outcome {
  return { ok: false, error: { code, params } };
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function nextLevel(level: EscalationLevel): EscalationLevel | null {
  return ESCALATION_LEVELS[ESCALATION_LEVELS.indexOf(level) + 1] ?? null;
}

/** Applies one closed-loop action; the order of checks is version, status, role, then the payload. */
export function transition(state: CaseState, action: CaseAction, actor: Actor, payload: TransitionPayload): Outcome {
  if (payload.version !== state.version) {
    return fail("stale_version", { seen: payload.version, current: state.version });
  }
  const rule: ActionRule = ACTION_RULES[action];
  if (!rule.from.includes(state.status)) return fail("invalid_transition", { status: state.status, action });
  if (!rule.roles.includes(actor.role)) return fail("role_not_allowed", { role: actor.role, action });
  const reason = text(payload.reason);
  if (rule.reason && !reason) return fail("missing_reason", { action });

  const next: CaseState = { ...state, version: state.version + 1, status: rule.to };
  const details: Record<string, string | number | null> = {};

  switch (action) {
    case "dispatch":
    case "reassign": {
      const assignee = payload.assigneeUserId;
      if (typeof assignee !== "number" || !Number.isInteger(assignee) || assignee <= 0) {
        return fail("missing_assignee");
      }
      next.assigneeUserId = assignee;
      details.assigneeUserId = assignee;
      break;
    }
    case "decline":
      if (state.assigneeUserId !== actor.userId) return fail("not_assignee");
      next.assigneeUserId = null;
      break;
    case "accept":
    case "start":
      if (state.assigneeUserId !== actor.userId) return fail("not_assignee");
      break;
    case "resolve": {
      if (actor.role === "worker" && state.assigneeUserId !== actor.userId) return fail("not_assignee");
      const result = text(payload.result);
      if (!result) return fail("missing_result");
      const photo = text(payload.afterPhotoUrl);
      const note = text(payload.note);
      if (!photo && !note) return fail("missing_evidence");
      next.resolvedBy = { role: actor.role, userId: actor.userId };
      details.result = result;
      details.afterPhotoUrl = photo;
      details.note = note;
      break;
    }
    case "verify_pass":
    case "verify_fail":
      if (state.resolvedBy && state.resolvedBy.role === actor.role) {
        return fail("same_role_verification", { role: state.resolvedBy.role });
      }
      if (action === "verify_fail") {
        next.reworkCount = state.reworkCount + 1;
        next.resolvedBy = null;
        details.reworkCount = next.reworkCount;
      }
      break;
    case "rate": {
      const s = payload.satisfaction;
      if (typeof s !== "number" || !Number.isInteger(s) || s < 1 || s > 5) return fail("invalid_satisfaction");
      next.satisfaction = s;
      details.satisfaction = s;
      break;
    }
    case "close":
      if (state.status === "verified") {
        if (actor.role !== "system") return fail("rating_window_open");
        if (!reason) return fail("missing_reason", { action });
      }
      break;
    default:
      break;
  }

  return {
    ok: true,
    state: next,
    event: {
      kind: "transition",
      action,
      actorUserId: actor.userId,
      actorRole: actor.role,
      fromStatus: state.status,
      toStatus: rule.to,
      reason,
      at: payload.at ?? new Date(),
      details,
    },
  };
}

/** 吹哨: raise the case exactly one level (grid → community → street → district); a worker may only call the community. */
export function whistle(
  state: CaseState,
  toLevel: EscalationLevel,
  reason: string,
  actor: Actor,
  seen: { version: number; at?: Date },
): Outcome {
  if (seen.version !== state.version) return fail("stale_version", { seen: seen.version, current: state.version });
  if (!WHISTLE_STATUSES.includes(state.status)) {
    return fail("invalid_transition", { status: state.status, action: "whistle" });
  }
  if (!WHISTLE_ROLES.includes(actor.role)) return fail("role_not_allowed", { role: actor.role, action: "whistle" });
  const from = state.escalation.level;
  const expected = nextLevel(from);
  if (expected === null || toLevel !== expected) {
    return fail("invalid_escalation", { from, next: expected ?? "—" });
  }
  if (actor.role === "worker" && from !== "grid")
    return fail("role_not_allowed", { role: actor.role, action: "whistle" });
  const why = text(reason);
  if (!why) return fail("missing_reason", { action: "whistle" });
  const at = seen.at ?? new Date();
  return {
    ok: true,
    state: { ...state, version: state.version + 1, escalation: { level: toLevel, pending: { level: toLevel, at } } },
    event: {
      kind: "whistle",
      action: "whistle",
      actorUserId: actor.userId,
      actorRole: actor.role,
      fromStatus: state.status,
      toStatus: state.status,
      reason: why,
      at,
      details: { fromLevel: from, toLevel },
    },
  };
}

/** 报到: the summoned level's department acknowledges the pending whistle (recorded by the command centre). */
export function acknowledge(
  state: CaseState,
  department: string,
  actor: Actor,
  seen: { version: number; at?: Date },
): Outcome {
  if (seen.version !== state.version) return fail("stale_version", { seen: seen.version, current: state.version });
  if (!ACKNOWLEDGE_ROLES.includes(actor.role)) {
    return fail("role_not_allowed", { role: actor.role, action: "acknowledge" });
  }
  const pending = state.escalation.pending;
  if (!pending) return fail("nothing_to_acknowledge");
  const dept = text(department);
  if (!dept) return fail("missing_department");
  const at = seen.at ?? new Date();
  return {
    ok: true,
    state: { ...state, version: state.version + 1, escalation: { level: state.escalation.level, pending: null } },
    event: {
      kind: "acknowledge",
      action: "acknowledge",
      actorUserId: actor.userId,
      actorRole: actor.role,
      fromStatus: state.status,
      toStatus: state.status,
      reason: null,
      at,
      details: { level: pending.level, department: dept, whistledAt: pending.at.toISOString() },
    },
  };
}

export type LoopAction = CaseAction | "whistle" | "acknowledge";

/**
 * The actions a role may offer for a case in its current state (what the detail drawer shows). Actor-specific checks
 * that need the user id (being the assignee) are left to `transition`; the same-role 核查 rule is applied here.
 */
export function allowedActions(state: CaseState, role: CaseRole): LoopAction[] {
  const out: LoopAction[] = [];
  for (const action of CASE_ACTIONS) {
    const rule: ActionRule = ACTION_RULES[action];
    if (!rule.from.includes(state.status) || !rule.roles.includes(role)) continue;
    if ((action === "verify_pass" || action === "verify_fail") && state.resolvedBy?.role === role) continue;
    if (action === "close" && state.status === "verified" && role !== "system") continue;
    out.push(action);
  }
  const next = nextLevel(state.escalation.level);
  if (
    next &&
    WHISTLE_STATUSES.includes(state.status) &&
    WHISTLE_ROLES.includes(role) &&
    (role !== "worker" || state.escalation.level === "grid")
  ) {
    out.push("whistle");
  }
  if (state.escalation.pending && ACKNOWLEDGE_ROLES.includes(role)) out.push("acknowledge");
  return out;
}
