"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { planMessages } from "@/lib/i18n/messages/plans";
import type { AutoPartitionRequest, CommunitySummary, PartitionJobView } from "@/lib/plans/contract";
import { apiErrorMessage, planFetch } from "./api";
import { stepKey } from "./format";

type TargetMode = "200" | "500" | "custom" | "byKind";
const POLL_MS = 500;

function wholeNumber(raw: string, min: number, max: number): number | undefined {
  if (!/^\s*\d+\s*$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

/** "自动划分": communities, target (200 / 500 / custom / per estate kind), seed → a job polled every 500 ms. */
export function AutoPartitionForm({ communities }: { communities: CommunitySummary[] }) {
  const t = useT(planMessages);
  const locale = useLocale();
  const router = useRouter();
  const formId = useId();
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [mode, setMode] = useState<TargetMode>("200");
  const [custom, setCustom] = useState("300");
  const [oldTarget, setOldTarget] = useState("200");
  const [newTarget, setNewTarget] = useState("500");
  const [seed, setSeed] = useState("1");
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<Partial<Record<"communities" | "target" | "seed" | "submit", string>>>({});
  const [submitting, setSubmitting] = useState(false);
  const [job, setJob] = useState<PartitionJobView>();
  const pollRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const n = (value: number) => formatNumber(value, locale);

  useEffect(() => () => clearTimeout(pollRef.current), []);

  const pickedHouseholds = useMemo(
    () => communities.filter((c) => picked.has(c.id)).reduce((sum, c) => sum + c.households, 0),
    [communities, picked],
  );
  const byCode = useMemo(() => new Map(communities.map((c) => [c.code, c.name] as const)), [communities]);

  function toggle(id: number) {
    setPicked((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function poll(jobId: number) {
    planFetch<PartitionJobView>(`/api/plans/jobs/${jobId}`)
      .then((view) => {
        setJob(view);
        if (view.status === "done" && view.planId !== null) {
          router.push(`/plans/${view.planId}`);
          return;
        }
        if (view.status === "failed") {
          setSubmitting(false);
          return;
        }
        pollRef.current = setTimeout(() => poll(jobId), POLL_MS);
      })
      .catch((error) => {
        // A transient failure of one poll: keep polling, but say so.
        setErrors({ submit: apiErrorMessage(error, t, locale) });
        pollRef.current = setTimeout(() => poll(jobId), POLL_MS * 4);
      });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const next: typeof errors = {};
    if (picked.size === 0) next.communities = t("errorNoCommunity");
    const body: AutoPartitionRequest = { communities: [...picked].sort((a, b) => a - b), wait: false };
    if (mode === "byKind") {
      const old = wholeNumber(oldTarget, 10, 5000);
      const fresh = wholeNumber(newTarget, 10, 5000);
      if (old === undefined || fresh === undefined) next.target = t("errorTarget");
      else body.targets = { old, new: fresh };
    } else {
      const target = mode === "custom" ? wholeNumber(custom, 10, 5000) : Number(mode);
      if (target === undefined) next.target = t("errorTarget");
      else body.target = target;
    }
    const seedValue = wholeNumber(seed, 0, 2_147_483_647);
    if (seedValue === undefined) next.seed = t("errorSeed");
    else body.seed = seedValue;
    if (name.trim()) body.name = name.trim().slice(0, 120);
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setSubmitting(true);
    setJob(undefined);
    try {
      const answer = await planFetch<{ jobId: number; planId?: number }>("/api/plans/auto-partition", {
        method: "POST",
        body,
      });
      if (answer.planId) {
        router.push(`/plans/${answer.planId}`);
        return;
      }
      poll(answer.jobId);
    } catch (error) {
      setErrors({ submit: apiErrorMessage(error, t, locale) });
      setSubmitting(false);
    }
  }

  const step = job ? stepKey(job.step, job.status) : undefined;
  const stepText = step
    ? step.key === "step_partition"
      ? t("step_partition", { community: byCode.get(step.community) ?? step.community })
      : t(step.key)
    : t("step_queued");
  const progress = Math.round(Math.min(1, Math.max(0, job?.progress ?? 0)) * 100);

  return (
    <section className="section" aria-labelledby={`${formId}-title`}>
      <h2 className="section-title" id={`${formId}-title`}>
        {t("autoTitle")}
      </h2>
      <p className="small muted">{t("autoIntro")}</p>
      <form className="auto-form" onSubmit={submit} noValidate data-testid="auto-partition-form">
        <fieldset className="field" aria-invalid={errors.communities ? true : undefined}>
          <legend className="field-label">
            {t("pickCommunities")}
            <span className="auto-form-links">
              <button
                type="button"
                className="link-btn"
                onClick={() => setPicked(new Set(communities.map((c) => c.id)))}
              >
                {t("selectAll")}
              </button>
              <button type="button" className="link-btn" onClick={() => setPicked(new Set())}>
                {t("selectNone")}
              </button>
            </span>
          </legend>
          <ul className="community-picker" data-testid="community-picker">
            {communities.map((community) => (
              <li key={community.id}>
                <label className="community-option">
                  <input
                    type="checkbox"
                    name="communities"
                    value={community.id}
                    checked={picked.has(community.id)}
                    onChange={() => toggle(community.id)}
                    disabled={submitting}
                  />
                  <span className="community-option-name">{community.name}</span>
                  <span className="community-option-meta">
                    {t("communityOption", { households: n(community.households), grids: n(community.activeGrids) })}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <span className="field-hint">
            {t("selectedCount", { count: n(picked.size), households: n(pickedHouseholds) })}
          </span>
          {errors.communities ? <span className="field-error">{errors.communities}</span> : null}
        </fieldset>

        <fieldset className="field">
          <legend className="field-label">{t("targetMode")}</legend>
          <div className="segmented" role="radiogroup" aria-label={t("targetMode")}>
            {(["200", "500", "custom", "byKind"] as const).map((value) => (
              <label key={value} className="segmented-option">
                <input
                  type="radio"
                  name="targetMode"
                  value={value}
                  checked={mode === value}
                  onChange={() => setMode(value)}
                  disabled={submitting}
                />
                <span>
                  {value === "200"
                    ? t("target200")
                    : value === "500"
                      ? t("target500")
                      : value === "custom"
                        ? t("targetCustom")
                        : t("targetByKind")}
                </span>
              </label>
            ))}
          </div>
          {mode === "custom" ? (
            <label className="inline-field">
              <span className="small">{t("customTarget")}</span>
              <input
                className="input input-narrow"
                inputMode="numeric"
                value={custom}
                onChange={(e) => setCustom(e.target.value)}
                aria-invalid={errors.target ? true : undefined}
                disabled={submitting}
              />
            </label>
          ) : null}
          {mode === "byKind" ? (
            <div className="inline-fields">
              <label className="inline-field">
                <span className="small">{t("targetOld")}</span>
                <input
                  className="input input-narrow"
                  inputMode="numeric"
                  value={oldTarget}
                  onChange={(e) => setOldTarget(e.target.value)}
                  aria-invalid={errors.target ? true : undefined}
                  disabled={submitting}
                />
              </label>
              <label className="inline-field">
                <span className="small">{t("targetNew")}</span>
                <input
                  className="input input-narrow"
                  inputMode="numeric"
                  value={newTarget}
                  onChange={(e) => setNewTarget(e.target.value)}
                  aria-invalid={errors.target ? true : undefined}
                  disabled={submitting}
                />
              </label>
            </div>
          ) : null}
          {errors.target ? <span className="field-error">{errors.target}</span> : null}
        </fieldset>

        <div className="inline-fields">
          <label className="field">
            <span className="field-label">{t("seed")}</span>
            <input
              className="input input-narrow"
              inputMode="numeric"
              name="seed"
              value={seed}
              onChange={(e) => setSeed(e.target.value)}
              aria-invalid={errors.seed ? true : undefined}
              disabled={submitting}
            />
            <span className="field-hint">{t("seedHint")}</span>
            {errors.seed ? <span className="field-error">{errors.seed}</span> : null}
          </label>
          <label className="field field-grow">
            <span className="field-label">{t("draftName")}</span>
            <input
              className="input"
              name="name"
              maxLength={120}
              value={name}
              onChange={(e) => setName(e.target.value)}
              disabled={submitting}
            />
          </label>
        </div>

        <div className="auto-form-actions">
          <button type="submit" className="btn btn-primary" disabled={submitting} data-testid="auto-partition-submit">
            {submitting ? (job ? t("partitioning") : t("starting")) : t("start")}
          </button>
        </div>

        <div aria-live="polite">
          {submitting || job ? (
            <div className="job-progress" data-testid="job-progress" data-status={job?.status ?? "queued"}>
              <div className="job-progress-head">
                <span>{job?.status === "failed" ? t("jobFailed", { message: job.error ?? "" }) : stepText}</span>
                <span className="num">{t("progressPercent", { percent: n(progress) })}</span>
              </div>
              <div
                className="progress"
                role="progressbar"
                aria-label={t("progressTitle")}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={progress}
                aria-valuetext={stepText}
              >
                <div
                  className={`progress-bar${job?.status === "failed" ? " progress-bar-failed" : ""}`}
                  style={{ width: `${progress}%` }}
                />
              </div>
              {job?.status === "done" ? <p className="small muted">{t("jobDone")}</p> : null}
            </div>
          ) : null}
          {errors.submit ? (
            <p className="alert alert-error" role="alert">
              {errors.submit}
            </p>
          ) : null}
        </div>
      </form>
    </section>
  );
}
