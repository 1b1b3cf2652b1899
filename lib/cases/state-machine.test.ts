import { describe, expect, it } from "vitest";
import { caseStatus } from "@/db/schema/cases";
import {
  ACTION_RULES,
  type Actor,
  acknowledge,
  allowedActions,
  CASE_ERROR_CODES,
  CASE_ERROR_MESSAGES,
  CASE_STATUSES,
  type CaseAction,
  type CaseState,
  caseErrorMessage,
  initialCaseState,
  type Outcome,
  type TransitionPayload,
  transition,
  whistle,
} from "./state-machine";

const commander: Actor = { role: "commander", userId: 10 };
const admin: Actor = { role: "admin", userId: 1 };
const worker: Actor = { role: "worker", userId: 20 };
const otherWorker: Actor = { role: "worker", userId: 21 };
const resident: Actor = { role: "resident", userId: null };
const system: Actor = { role: "system", userId: null };
const at = new Date("2026-11-20T02:00:00Z");

function ok(outcome: Outcome): Extract<Outcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.error.code}`);
  return outcome;
}

function step(state: CaseState, action: CaseAction, actor: Actor, extra: Omit<TransitionPayload, "version"> = {}) {
  return ok(transition(state, action, actor, { version: state.version, at, ...extra })).state;
}

function errorOf(outcome: Outcome) {
  if (outcome.ok) throw new Error("expected an error");
  return outcome.error;
}

/** A case driven to `in_progress` with worker 20 assigned. */
function inProgress(): CaseState {
  let s = step(initialCaseState(), "register", commander);
  s = step(s, "dispatch", commander, { assigneeUserId: 20 });
  s = step(s, "accept", worker);
  return step(s, "start", worker);
}

function resolved(by: Actor = worker): CaseState {
  return step(inProgress(), "resolve", by, { result: "已清理", afterPhotoUrl: "/p/1.jpg" });
}

describe("statuses", () => {
  it("match the case_status enum exactly", () => {
    expect([...CASE_STATUSES]).toEqual(caseStatus.enumValues);
  });
  it("every rule targets a known status from known statuses", () => {
    for (const rule of Object.values(ACTION_RULES)) {
      expect(CASE_STATUSES).toContain(rule.to);
      for (const f of rule.from) expect(CASE_STATUSES).toContain(f);
    }
  });
});

describe("the full closed loop", () => {
  it("walks 受理 → 销号 with one event per step and a version bump each time", () => {
    const events: { from: string; to: string; role: string }[] = [];
    let s = initialCaseState();
    const run = (action: CaseAction, actor: Actor, extra: Omit<TransitionPayload, "version"> = {}) => {
      const o = ok(transition(s, action, actor, { version: s.version, at, ...extra }));
      expect(o.state.version).toBe(s.version + 1);
      expect(o.event.at).toBe(at);
      events.push({ from: o.event.fromStatus, to: o.event.toStatus, role: o.event.actorRole });
      s = o.state;
    };
    run("register", commander);
    run("dispatch", system, { assigneeUserId: 20 });
    run("accept", worker);
    run("start", worker);
    run("resolve", worker, { result: "占道经营已劝离", note: "摊主已撤离" });
    run("verify_pass", commander);
    run("rate", resident, { satisfaction: 5 });
    run("close", commander);
    expect(s.status).toBe("closed");
    expect(s.satisfaction).toBe(5);
    expect(s.version).toBe(9);
    expect(events.map((e) => e.to)).toEqual([
      "registered",
      "dispatched",
      "accepted",
      "in_progress",
      "resolved",
      "verified",
      "rated",
      "closed",
    ]);
    expect(events[0]).toEqual({ from: "received", to: "registered", role: "commander" });
  });

  it("不予立案 needs a reason and is terminal", () => {
    const s0 = initialCaseState();
    expect(errorOf(transition(s0, "reject", commander, { version: 1, reason: "   " })).code).toBe("missing_reason");
    const o = ok(transition(s0, "reject", commander, { version: 1, reason: "不属于受理范围", at }));
    expect(o.event.reason).toBe("不属于受理范围");
    expect(o.state.status).toBe("rejected");
    expect(allowedActions(o.state, "commander")).toEqual([]);
    expect(errorOf(transition(o.state, "register", commander, { version: 2 })).code).toBe("invalid_transition");
  });
});

describe("errors", () => {
  it("refuses a stale version before anything else", () => {
    const e = errorOf(transition(initialCaseState(), "register", resident, { version: 3 }));
    expect(e).toEqual({ code: "stale_version", params: { seen: 3, current: 1 } });
    expect(caseErrorMessage(e, "zh-CN")).toContain("第 3 版");
    expect(caseErrorMessage(e, "en")).toContain("version 3, it is now 1");
  });
  it("refuses invalid transitions and roles", () => {
    expect(errorOf(transition(initialCaseState(), "resolve", worker, { version: 1 })).code).toBe("invalid_transition");
    expect(errorOf(transition(initialCaseState(), "register", worker, { version: 1 })).code).toBe("role_not_allowed");
    expect(
      errorOf(transition(initialCaseState(), "register", { role: "planner", userId: 5 }, { version: 1 })).code,
    ).toBe("role_not_allowed");
  });
  it("dispatch needs a valid assignee; only the assignee accepts and starts", () => {
    const reg = step(initialCaseState(), "register", commander);
    expect(errorOf(transition(reg, "dispatch", commander, { version: reg.version })).code).toBe("missing_assignee");
    expect(errorOf(transition(reg, "dispatch", commander, { version: reg.version, assigneeUserId: 1.5 })).code).toBe(
      "missing_assignee",
    );
    const d = step(reg, "dispatch", commander, { assigneeUserId: 20 });
    expect(errorOf(transition(d, "accept", otherWorker, { version: d.version })).code).toBe("not_assignee");
    const declined = step(d, "decline", worker, { reason: "不在本网格" });
    expect(declined.status).toBe("registered");
    expect(declined.assigneeUserId).toBeNull();
  });
  it("办结 needs a result and an after-photo or a note", () => {
    const s = inProgress();
    const v = s.version;
    expect(errorOf(transition(s, "resolve", worker, { version: v, afterPhotoUrl: "/p.jpg" })).code).toBe(
      "missing_result",
    );
    expect(errorOf(transition(s, "resolve", worker, { version: v, result: "已处理", note: " " })).code).toBe(
      "missing_evidence",
    );
    expect(errorOf(transition(s, "resolve", otherWorker, { version: v, result: "x", note: "y" })).code).toBe(
      "not_assignee",
    );
    const o = ok(transition(s, "resolve", worker, { version: v, result: "已处理", afterPhotoUrl: "/p.jpg", at }));
    expect(o.event.details).toEqual({ result: "已处理", afterPhotoUrl: "/p.jpg", note: null });
    expect(o.state.resolvedBy).toEqual(worker);
  });
  it("核查 by the role that resolved is refused; another role may", () => {
    const s = resolved(worker);
    const e = errorOf(transition(s, "verify_pass", otherWorker, { version: s.version }));
    expect(e.code).toBe("same_role_verification");
    expect(caseErrorMessage(e, "zh-CN")).toContain("worker");
    expect(allowedActions(s, "worker")).not.toContain("verify_pass");
    expect(allowedActions(s, "commander")).toEqual(expect.arrayContaining(["verify_pass", "verify_fail"]));
    const byCommander = resolved(commander);
    expect(errorOf(transition(byCommander, "verify_pass", commander, { version: byCommander.version })).code).toBe(
      "same_role_verification",
    );
    expect(step(byCommander, "verify_pass", worker).status).toBe("verified");
  });
  it("返工 goes back to dispatched with the same assignee, counts, and needs a reason", () => {
    const s = resolved();
    expect(errorOf(transition(s, "verify_fail", commander, { version: s.version })).code).toBe("missing_reason");
    const back = step(s, "verify_fail", commander, { reason: "现场仍有垃圾" });
    expect(back.status).toBe("dispatched");
    expect(back.assigneeUserId).toBe(20);
    expect(back.reworkCount).toBe(1);
    expect(back.resolvedBy).toBeNull();
    let again = step(back, "accept", worker);
    again = step(again, "start", worker);
    again = step(again, "resolve", worker, { result: "再次清理", afterPhotoUrl: "/p/2.jpg" });
    expect(step(again, "verify_pass", admin).status).toBe("verified");
  });
  it("评价 needs satisfaction 1–5", () => {
    const v = step(resolved(), "verify_pass", commander);
    for (const bad of [0, 6, 3.5, Number.NaN, null]) {
      expect(errorOf(transition(v, "rate", resident, { version: v.version, satisfaction: bad })).code).toBe(
        "invalid_satisfaction",
      );
    }
    expect(errorOf(transition(v, "rate", worker, { version: v.version, satisfaction: 4 })).code).toBe(
      "role_not_allowed",
    );
    expect(step(v, "rate", resident, { satisfaction: 1 }).satisfaction).toBe(1);
  });
  it("销号 without a rating is only for the system, with a reason", () => {
    const v = step(resolved(), "verify_pass", commander);
    expect(errorOf(transition(v, "close", commander, { version: v.version })).code).toBe("rating_window_open");
    expect(errorOf(transition(v, "close", system, { version: v.version })).code).toBe("missing_reason");
    expect(step(v, "close", system, { reason: "评价期满未评价，默认满意" }).status).toBe("closed");
    expect(allowedActions(v, "commander")).not.toContain("close");
    expect(allowedActions(v, "system")).toContain("close");
  });
  it("every error code has both messages", () => {
    for (const code of CASE_ERROR_CODES) {
      expect(CASE_ERROR_MESSAGES[code]["zh-CN"].length).toBeGreaterThan(0);
      expect(CASE_ERROR_MESSAGES[code].en.length).toBeGreaterThan(0);
    }
    expect(Object.keys(CASE_ERROR_MESSAGES).sort()).toEqual([...CASE_ERROR_CODES].sort());
  });
});

describe("吹哨 and 报到", () => {
  it("goes up one level at a time with a reason, and each hop waits for 报到", () => {
    let s = step(initialCaseState(), "register", commander);
    expect(errorOf(whistle(s, "street", "跨社区", commander, { version: s.version })).code).toBe("invalid_escalation");
    expect(errorOf(whistle(s, "community", " ", worker, { version: s.version })).code).toBe("missing_reason");
    expect(errorOf(whistle(s, "community", "x", resident, { version: s.version })).code).toBe("role_not_allowed");
    const w = ok(whistle(s, "community", "需社区协调物业", worker, { version: s.version, at }));
    expect(w.event).toMatchObject({
      kind: "whistle",
      fromStatus: "registered",
      toStatus: "registered",
      reason: "需社区协调物业",
      details: { fromLevel: "grid", toLevel: "community" },
    });
    s = w.state;
    expect(s.status).toBe("registered");
    expect(s.escalation).toEqual({ level: "community", pending: { level: "community", at } });
    expect(allowedActions(s, "worker")).not.toContain("whistle");
    expect(errorOf(whistle(s, "street", "y", worker, { version: s.version })).code).toBe("role_not_allowed");
    expect(errorOf(acknowledge(s, "", commander, { version: s.version })).code).toBe("missing_department");
    expect(errorOf(acknowledge(s, "社区居委会", worker, { version: s.version })).code).toBe("role_not_allowed");
    const a = ok(acknowledge(s, "社区居委会", commander, { version: s.version, at }));
    expect(a.event.details).toMatchObject({ level: "community", department: "社区居委会" });
    s = a.state;
    expect(s.escalation.pending).toBeNull();
    expect(errorOf(acknowledge(s, "社区居委会", commander, { version: s.version })).code).toBe(
      "nothing_to_acknowledge",
    );
    s = ok(whistle(s, "street", "超期未办", system, { version: s.version })).state;
    s = ok(whistle(s, "district", "街道无法解决", commander, { version: s.version })).state;
    const top = whistle(s, "district", "再上报", commander, { version: s.version });
    expect(errorOf(top)).toEqual({ code: "invalid_escalation", params: { from: "district", next: "—" } });
    expect(allowedActions(s, "commander")).toContain("acknowledge");
    expect(allowedActions(s, "commander")).not.toContain("whistle");
  });
  it("refuses stale versions and closed statuses", () => {
    const s = step(initialCaseState(), "register", commander);
    expect(errorOf(whistle(s, "community", "r", commander, { version: 1 })).code).toBe("stale_version");
    expect(errorOf(whistle(initialCaseState(), "community", "r", commander, { version: 1 })).code).toBe(
      "invalid_transition",
    );
    const pending = ok(whistle(s, "community", "r", commander, { version: s.version })).state;
    expect(errorOf(acknowledge(pending, "街道", commander, { version: s.version })).code).toBe("stale_version");
  });
});

describe("allowedActions", () => {
  it("lists per status and role", () => {
    const s0 = initialCaseState();
    expect(allowedActions(s0, "commander")).toEqual(["register", "reject"]);
    expect(allowedActions(s0, "worker")).toEqual([]);
    expect(allowedActions(s0, "planner")).toEqual([]);
    const d = step(step(s0, "register", commander), "dispatch", commander, { assigneeUserId: 20 });
    expect(allowedActions(d, "worker")).toEqual(["decline", "accept", "whistle"]);
    expect(allowedActions(d, "commander")).toEqual(["reassign", "whistle"]);
    expect(allowedActions(d, "resident")).toEqual([]);
  });
  it("agrees with transition: every listed action is accepted for a suitable payload", () => {
    const s = resolved();
    for (const action of allowedActions(s, "commander")) {
      if (action === "whistle" || action === "acknowledge") continue;
      const o = transition(s, action, commander, { version: s.version, reason: "r" });
      expect(o.ok).toBe(true);
    }
  });
});
