"use client";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { planMessages } from "@/lib/i18n/messages/plans";
import type { GridStats, ValidationIssue } from "@/lib/plans/contract";
import { formatDeviationFraction } from "./format";

/** 校验: issues grouped by severity (errors block publishing); each one fits and flashes its geometry on the map. */
export function ValidationList({
  issues,
  grids,
  onShow,
}: {
  issues: ValidationIssue[];
  grids: GridStats[];
  onShow: (issue: ValidationIssue) => void;
}) {
  const t = useT(planMessages);
  const locale = useLocale();
  const codeById = new Map(grids.map((g) => [g.id, g.code] as const));
  const gridById = new Map(grids.map((g) => [g.id, g] as const));
  // The server's messages are English; in Chinese the description is built from the issue's structured fields.
  const issueText = (issue: ValidationIssue): string => {
    if (locale === "en") return issue.message;
    const grid = gridById.get(issue.gridIds[0] ?? -1);
    switch (issue.kind) {
      case "out_of_tolerance":
        return grid
          ? t("issue_out_of_tolerance", {
              households: formatNumber(grid.households, locale),
              target: formatNumber(grid.target, locale),
              deviation: formatDeviationFraction(grid.deviation, locale),
            })
          : t("kind_out_of_tolerance");
      case "non_contiguous":
        return grid ? t("issue_non_contiguous", { parts: grid.parts }) : t("kind_non_contiguous");
      case "split_building":
        return t("issue_split_building", { id: issue.buildingId ?? "" });
      default:
        return t(`issue_${issue.kind}`);
    }
  };
  const errors = issues.filter((i) => i.severity === "error");
  const warnings = issues.filter((i) => i.severity === "warning");
  const group = (list: ValidationIssue[], severity: "error" | "warning") =>
    list.length === 0 ? null : (
      <section className="issue-group" data-severity={severity}>
        <h3 className={`issue-group-title issue-${severity}`}>
          {severity === "error"
            ? t("validationErrors", { count: list.length })
            : t("validationWarnings", { count: list.length })}
        </h3>
        <ul className="issue-list">
          {list.map((issue, index) => {
            const codes = issue.gridIds.map((id) => codeById.get(id)?.slice(-4) ?? `#${id}`).join("、");
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no id; the list is replaced as a whole
              <li key={index}>
                <button
                  type="button"
                  className={`issue issue-${severity}`}
                  onClick={() => onShow(issue)}
                  title={t("showOnMap")}
                  data-testid="validation-issue"
                  data-kind={issue.kind}
                >
                  <span className="issue-kind">{t(`kind_${issue.kind}`)}</span>
                  {codes ? <span className="issue-grids">{t("issueGrids", { codes })}</span> : null}
                  <span className="issue-message">{issueText(issue)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    );
  return (
    <div className="plan-pad" data-testid="validation-list" data-errors={errors.length}>
      {errors.length === 0 ? (
        <p className="alert alert-success" data-testid="validation-ok">
          {t("validationOk")}
        </p>
      ) : null}
      {issues.length === 0 ? <p className="muted small">{t("validationNone")}</p> : null}
      {group(errors, "error")}
      {group(warnings, "warning")}
    </div>
  );
}
