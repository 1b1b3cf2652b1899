import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { Panel } from "@/components/ui/panel";
import { db } from "@/db";
import { requireRole } from "@/lib/auth/require-role";
import { PAGE_ACCESS } from "@/lib/auth/roles";
import { formatNumber } from "@/lib/i18n/core";
import { commonMessages } from "@/lib/i18n/messages/common";
import { gridMessages } from "@/lib/i18n/messages/grids";
import { getLocale, getTranslator } from "@/lib/i18n/server";
import { GRID_DEVIATION } from "@/lib/map/colors";
import { deviationClass, formatDeviation } from "../_data/format";
import { GRID_SORTS, GridListQuery, listActivePlanGrids } from "../_data/grids";
import { GridRow } from "./grid-row";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(gridMessages);
  return { title: t("pageTitle") };
}

const SORT_LABEL = {
  code: "sortCode",
  deviation_desc: "sortDeviationDesc",
  deviation_asc: "sortDeviationAsc",
  deviation_abs: "sortDeviationAbs",
} as const;

export default async function GridsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole(...PAGE_ACCESS.grids);
  const params = await searchParams;
  const query = GridListQuery.parse({ community: params.community, sort: params.sort });
  const [{ plan, rows, communities }, locale, t, tc] = await Promise.all([
    listActivePlanGrids(db, query),
    getLocale(),
    getTranslator(gridMessages),
    getTranslator(commonMessages),
  ]);
  const n = (value: number) => formatNumber(value, locale);
  const pct = (value: number) => formatDeviation(value, locale);
  const nextDeviationSort = query.sort === "deviation_desc" ? "deviation_asc" : "deviation_desc";
  const sortHref = new URLSearchParams();
  if (query.community) sortHref.set("community", String(query.community));
  sortHref.set("sort", nextDeviationSort);

  return (
    <Panel
      size="wide"
      flush
      title={t("title")}
      subtitle={plan ? t("subtitle", { plan: plan.name, count: n(rows.length) }) : undefined}
      toolbar={
        plan ? (
          <Form action="/grids" className="toolbar-form" data-testid="grid-filter">
            <label className="small muted" htmlFor="grid-community">
              {t("filterCommunity")}
            </label>
            <select
              id="grid-community"
              name="community"
              defaultValue={query.community ? String(query.community) : ""}
              className="select select-inline"
            >
              <option value="">{t("allCommunities")}</option>
              {communities.map((community) => (
                <option key={community.id} value={community.id}>
                  {community.name}（{n(community.gridCount)}）
                </option>
              ))}
            </select>
            <label className="small muted" htmlFor="grid-sort">
              {t("sortBy")}
            </label>
            <select id="grid-sort" name="sort" defaultValue={query.sort} className="select select-inline">
              {GRID_SORTS.map((sort) => (
                <option key={sort} value={sort}>
                  {t(SORT_LABEL[sort])}
                </option>
              ))}
            </select>
            <button type="submit" className="btn btn-small">
              {t("apply")}
            </button>
          </Form>
        ) : undefined
      }
      footer={
        plan
          ? t("deviationHint", {
              under: GRID_DEVIATION.under,
              over: GRID_DEVIATION.over,
              farOver: GRID_DEVIATION.farOver,
            })
          : undefined
      }
    >
      {!plan ? (
        <p className="alert alert-info" style={{ margin: 14 }}>
          {t("noActivePlan")}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="grids-table">
            <thead>
              <tr>
                <th scope="col">{t("colCode")}</th>
                <th scope="col">{t("colName")}</th>
                <th scope="col">{t("colCommunity")}</th>
                <th scope="col">{t("colEstateKind")}</th>
                <th scope="col" className="num">
                  {t("colHouseholds")}
                </th>
                <th
                  scope="col"
                  className="num"
                  aria-sort={
                    query.sort === "deviation_desc"
                      ? "descending"
                      : query.sort === "deviation_asc"
                        ? "ascending"
                        : undefined
                  }
                >
                  <Link href={`/grids?${sortHref.toString()}`} data-testid="sort-deviation">
                    {t("colDeviation")}
                    {query.sort === "deviation_desc" ? " ↓" : query.sort === "deviation_asc" ? " ↑" : " ↕"}
                  </Link>
                </th>
                <th scope="col" className="num">
                  {t("colBuildings")}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t("openDetail")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={8} className="muted">
                    {t("empty")}
                  </td>
                </tr>
              ) : (
                rows.map((row) => {
                  const selectParams = new URLSearchParams();
                  if (query.community) selectParams.set("community", String(query.community));
                  if (query.sort !== "code") selectParams.set("sort", query.sort);
                  selectParams.set("grid", String(row.id));
                  return (
                    <GridRow key={row.id} gridId={row.id} title={t("rowTitle", { code: row.code })}>
                      <td className="cell-nowrap">
                        <Link className="code-link" href={`/grids?${selectParams.toString()}`} scroll={false}>
                          {row.code}
                        </Link>
                      </td>
                      <td>{row.name}</td>
                      <td className="cell-nowrap">{row.communityName}</td>
                      <td className="cell-nowrap">{tc(`estateKind_${row.estateKind}`)}</td>
                      <td className="num">
                        {n(row.households)} / {n(row.householdTarget)}
                      </td>
                      <td className={`num ${deviationClass(row.deviationPct)}`} data-testid="deviation">
                        {pct(row.deviationPct)}
                      </td>
                      <td className="num">{n(row.buildingCount)}</td>
                      <td className="cell-nowrap">
                        <Link href={`/grids/${row.id}?grid=${row.id}`}>{t("openDetail")}</Link>
                      </td>
                    </GridRow>
                  );
                })
              )}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
