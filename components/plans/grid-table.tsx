"use client";
import { useEffect, useRef } from "react";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { planMessages } from "@/lib/i18n/messages/plans";
import type { GridStats } from "@/lib/plans/contract";
import { DEVIATION_CLASS, deviationBand, formatDeviationFraction } from "./format";

/** 网格表: one row per grid; click selects and fits the grid; the row of the grid hovered on the map is marked. */
export function GridTable({
  grids,
  selected,
  hovered,
  onSelect,
}: {
  grids: GridStats[];
  selected: readonly number[];
  hovered: number | undefined;
  onSelect: (gridId: number) => void;
}) {
  const t = useT(planMessages);
  const locale = useLocale();
  const n = (value: number, digits = 0) =>
    formatNumber(value, locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  // Keep the hovered (map) row in view without moving the page.
  useEffect(() => {
    if (hovered === undefined) return;
    const row = bodyRef.current?.querySelector<HTMLTableRowElement>(`tr[data-grid-id="${hovered}"]`);
    row?.scrollIntoView({ block: "nearest" });
  }, [hovered]);

  if (grids.length === 0) return <p className="muted plan-pad">{t("noGrids")}</p>;
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid="plan-grid-table">
        <thead>
          <tr>
            <th scope="col">{t("colCode")}</th>
            <th scope="col" className="num">
              {t("colHouseholds")}
            </th>
            <th scope="col" className="num">
              {t("colTarget")}
            </th>
            <th scope="col" className="num">
              {t("colDeviation")}
            </th>
            <th scope="col" className="num">
              {t("colArea")}
            </th>
            <th scope="col" className="num">
              {t("colCompactness")}
            </th>
            <th scope="col" className="num">
              {t("colBuildings")}
            </th>
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {grids.map((grid) => (
            <tr
              key={grid.id}
              data-grid-id={grid.id}
              aria-selected={selected.includes(grid.id)}
              data-hovered={hovered === grid.id ? "true" : undefined}
              title={t("rowTitle", { code: grid.code })}
              tabIndex={0}
              onClick={() => onSelect(grid.id)}
              onKeyDown={(event) => {
                if (event.key === "Enter" || event.key === " ") {
                  event.preventDefault();
                  onSelect(grid.id);
                }
              }}
            >
              <td className="cell-nowrap mono" title={grid.code}>
                {grid.code.slice(0, -4)}
                <strong>{grid.code.slice(-4)}</strong>
              </td>
              <td className="num">{n(grid.households)}</td>
              <td className="num">{n(grid.target)}</td>
              <td className={`num ${DEVIATION_CLASS[deviationBand(grid.deviation)]}`} data-testid="deviation">
                {formatDeviationFraction(grid.deviation, locale)}
              </td>
              <td className="num">{n(grid.areaM2 / 10_000, 2)}</td>
              <td className={`num${grid.compactness < 0.25 ? " deviation-far-over" : ""}`}>{n(grid.compactness, 2)}</td>
              <td className="num">{n(grid.buildings)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
