"use client";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Panel } from "@/components/ui/panel";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { planMessages } from "@/lib/i18n/messages/plans";
import type { CommunitySummary, PlanDetail, PlanSummary } from "@/lib/plans/contract";
import { apiErrorMessage, planFetch } from "./api";
import { AutoPartitionForm } from "./auto-partition-form";
import { formatDateTime, percent } from "./format";

type Load =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ok"; plans: PlanSummary[]; communities: CommunitySummary[] };

type DraftStats = Pick<PlanDetail["totals"], "grids" | "within5" | "within10">;

/** /plans: the active plan, the drafts (open / delete) and the automatic partition form. */
export function PlansHome() {
  const t = useT(planMessages);
  const locale = useLocale();
  const [load, setLoad] = useState<Load>({ status: "loading" });
  const [stats, setStats] = useState<Record<number, DraftStats>>({});
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string }>();
  const [deleting, setDeleting] = useState<number>();

  const refresh = useCallback(async () => {
    try {
      const [plans, communities] = await Promise.all([
        planFetch<PlanSummary[]>("/api/plans"),
        planFetch<CommunitySummary[]>("/api/communities"),
      ]);
      setLoad({ status: "ok", plans, communities });
    } catch (error) {
      setLoad({ status: "error", message: apiErrorMessage(error, t, locale) });
    }
  }, [t, locale]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const drafts = useMemo(() => (load.status === "ok" ? load.plans.filter((p) => p.status === "draft") : []), [load]);
  // Publishing a draft for some communities leaves the earlier plan in force for the others: all are listed.
  const active = useMemo(
    () =>
      load.status === "ok"
        ? load.plans
            .filter((p) => p.status === "active")
            .sort((a, b) => (b.publishedAt ?? b.createdAt).localeCompare(a.publishedAt ?? a.createdAt))
        : [],
    [load],
  );
  const communityById = useMemo(
    () => new Map(load.status === "ok" ? load.communities.map((c) => [c.id, c] as const) : []),
    [load],
  );

  // ±5 % / ±10 % per draft come with the detail; fetched per row, after the list is shown.
  const draftKey = drafts.map((d) => `${d.id}:${d.version}`).join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: draftKey stands for drafts
  useEffect(() => {
    let cancelled = false;
    for (const draft of drafts.slice(0, 30)) {
      planFetch<PlanDetail>(`/api/plans/${draft.id}`)
        .then((detail) => {
          if (!cancelled) setStats((previous) => ({ ...previous, [draft.id]: detail.totals }));
        })
        .catch(() => {});
    }
    return () => {
      cancelled = true;
    };
  }, [draftKey]);

  const n = (value: number) => formatNumber(value, locale);
  const communityNames = (ids: number[]) => {
    const names = ids.map((id) => communityById.get(id)?.name ?? `#${id}`);
    if (names.length <= 2) return names.join("、");
    return t("communitiesMore", {
      first: names.slice(0, 2).join("、"),
      count: n(names.length),
      more: n(names.length - 2),
    });
  };

  async function remove(plan: PlanSummary) {
    if (!window.confirm(t("confirmDelete", { name: plan.name }))) return;
    setDeleting(plan.id);
    setNotice(undefined);
    try {
      await planFetch(`/api/plans/${plan.id}`, { method: "DELETE" });
      setNotice({ tone: "success", text: t("deleted", { name: plan.name }) });
      await refresh();
    } catch (error) {
      setNotice({ tone: "error", text: apiErrorMessage(error, t, locale) });
    } finally {
      setDeleting(undefined);
    }
  }

  return (
    <Panel
      size="wide"
      title={t("title")}
      subtitle={t("subtitle")}
      actions={
        <Link href="/plans/history" className="btn btn-small btn-ghost" data-testid="history-link">
          {t("history")}
        </Link>
      }
    >
      <div className="plans-home" data-testid="plans-home">
        {load.status === "loading" ? (
          <p className="muted" role="status">
            {t("loading")}
          </p>
        ) : load.status === "error" ? (
          <div className="alert alert-error" role="alert">
            {t("loadFailed", { message: load.message })}{" "}
            <button type="button" className="btn btn-small" onClick={() => void refresh()}>
              {t("retry")}
            </button>
          </div>
        ) : (
          <>
            <section className="section" aria-labelledby="plans-active">
              <h2 className="section-title" id="plans-active">
                {t("activePlan")}
              </h2>
              {active.length > 0 ? (
                <ul className="list-plain plan-cards">
                  {active.map((plan) => (
                    <li key={plan.id} className="plan-card" data-testid="active-plan">
                      <div className="plan-card-name">{plan.name}</div>
                      <div className="small muted">
                        {plan.publishedBy
                          ? t("publishedAtBy", { by: plan.publishedBy, at: formatDateTime(plan.publishedAt, locale) })
                          : t("publishedAt", { at: formatDateTime(plan.publishedAt ?? plan.createdAt, locale) })}
                        {" · "}
                        {t("gridCount", { count: n(plan.gridCount) })}
                        {plan.communityIds.length > 0 ? ` · ${communityNames(plan.communityIds)}` : null}
                      </div>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">{t("noActivePlan")}</p>
              )}
            </section>

            <section className="section" aria-labelledby="plans-drafts">
              <h2 className="section-title" id="plans-drafts">
                {t("drafts")}
              </h2>
              <div aria-live="polite">
                {notice ? (
                  <p className={`alert alert-${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"}>
                    {notice.text}
                  </p>
                ) : null}
              </div>
              {drafts.length === 0 ? (
                <p className="muted">{t("noDrafts")}</p>
              ) : (
                <div className="table-wrap">
                  <table className="table" data-testid="drafts-table">
                    <thead>
                      <tr>
                        <th scope="col">{t("colName")}</th>
                        <th scope="col">{t("colCommunities")}</th>
                        <th scope="col">{t("colTargets")}</th>
                        <th scope="col" className="num">
                          {t("colGrids")}
                        </th>
                        <th scope="col" className="num">
                          {t("colWithin")}
                        </th>
                        <th scope="col">{t("colCreated")}</th>
                        <th scope="col" className="num">
                          {t("colVersion")}
                        </th>
                        <th scope="col">
                          <span className="visually-hidden">{t("colActions")}</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {drafts.map((draft) => {
                        const s = stats[draft.id];
                        return (
                          <tr key={draft.id} data-plan-id={draft.id}>
                            <td>
                              <Link href={`/plans/${draft.id}`} className="code-link">
                                {draft.name}
                              </Link>
                            </td>
                            <td>{communityNames(draft.communityIds)}</td>
                            <td className="cell-nowrap">
                              {draft.targets
                                ? draft.targets.old === draft.targets.new
                                  ? n(draft.targets.old)
                                  : t("targetsBoth", { old: n(draft.targets.old), new: n(draft.targets.new) })
                                : "—"}
                            </td>
                            <td className="num">{n(draft.gridCount)}</td>
                            <td className="num cell-nowrap">
                              {s
                                ? `${percent(s.within5, s.grids, locale)}% / ${percent(s.within10, s.grids, locale)}%`
                                : "…"}
                            </td>
                            <td className="cell-nowrap small">
                              {t("createdByAt", {
                                by: draft.createdBy ?? t("unknownUser"),
                                at: formatDateTime(draft.createdAt, locale),
                              })}
                            </td>
                            <td className="num">{n(draft.version)}</td>
                            <td className="cell-nowrap">
                              <Link href={`/plans/${draft.id}`} className="btn btn-small">
                                {t("open")}
                              </Link>{" "}
                              <button
                                type="button"
                                className="btn btn-small btn-ghost"
                                disabled={deleting === draft.id}
                                onClick={() => void remove(draft)}
                              >
                                {deleting === draft.id ? t("deleting") : t("delete")}
                              </button>
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </section>

            <AutoPartitionForm communities={load.communities} />
          </>
        )}
      </div>
    </Panel>
  );
}
