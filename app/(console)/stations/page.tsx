import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { db } from "@/db";
import { stationKind } from "@/db/schema";
import { requireRole } from "@/lib/auth/require-role";
import { PAGE_ACCESS } from "@/lib/auth/roles";
import { formatNumber } from "@/lib/i18n/core";
import { commonMessages } from "@/lib/i18n/messages/common";
import { stationMessages } from "@/lib/i18n/messages/stations";
import { getLocale, getTranslator } from "@/lib/i18n/server";
import { describeOpeningHours } from "@/lib/map/opening-hours";
import { listStations, StationListQuery } from "../_data/stations";
import { StationRow } from "./station-row";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(stationMessages);
  return { title: t("title") };
}

export default async function StationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole(...PAGE_ACCESS.stations);
  const params = await searchParams;
  const query = StationListQuery.parse({ kind: params.kind });
  const [stations, locale, t, tc] = await Promise.all([
    listStations(db, query),
    getLocale(),
    getTranslator(stationMessages),
    getTranslator(commonMessages),
  ]);

  return (
    <Panel
      size="wide"
      flush
      title={t("title")}
      subtitle={t("subtitle", { count: formatNumber(stations.length, locale) })}
      toolbar={
        <Form action="/stations" className="toolbar-form">
          <label className="small muted" htmlFor="station-kind">
            {t("filterKind")}
          </label>
          <select id="station-kind" name="kind" defaultValue={query.kind ?? ""} className="select select-inline">
            <option value="">{t("allKinds")}</option>
            {stationKind.enumValues.map((kind) => (
              <option key={kind} value={kind}>
                {tc(`stationKind_${kind}`)}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-small">
            {t("apply")}
          </button>
        </Form>
      }
      footer={tc("demoDataNote")}
    >
      <div className="table-wrap">
        <table className="table" data-testid="stations-table">
          <thead>
            <tr>
              <th scope="col">{t("colName")}</th>
              <th scope="col">{t("colKind")}</th>
              <th scope="col">{t("colCommunity")}</th>
              <th scope="col">{t("colHours")}</th>
              <th scope="col">{t("colPhone")}</th>
              <th scope="col">{t("colStatus")}</th>
            </tr>
          </thead>
          <tbody>
            {stations.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  {t("empty")}
                </td>
              </tr>
            ) : (
              stations.map((station) => (
                <StationRow key={station.id} stationId={station.id} title={t("rowTitle", { name: station.name })}>
                  <td>
                    <Link
                      href={`/stations?station=${station.id}${query.kind ? `&kind=${query.kind}` : ""}`}
                      scroll={false}
                    >
                      {station.name}
                    </Link>{" "}
                    {station.isDemo ? (
                      <Badge tone="demo" title={tc("demoDataNote")}>
                        {tc("demoLabel")}
                      </Badge>
                    ) : null}
                  </td>
                  <td className="cell-nowrap">
                    <Badge tone={station.kind.startsWith("party") ? "party" : "primary"}>
                      {tc(`stationKind_${station.kind}`)}
                    </Badge>
                  </td>
                  <td className="cell-nowrap">{station.communityName ?? tc("none")}</td>
                  <td className="small">
                    {station.openingHours ? (
                      describeOpeningHours(station.openingHours, locale)
                    ) : (
                      <span className="faint">{t("hoursUnknown")}</span>
                    )}
                  </td>
                  <td className="num">
                    {station.phone ? <a href={`tel:${station.phone}`}>{station.phone}</a> : tc("none")}
                  </td>
                  <td className="cell-nowrap">
                    <Badge
                      tone={
                        station.status === "active" ? "success" : station.status === "closed" ? "danger" : "neutral"
                      }
                    >
                      {tc(`stationStatus_${station.status}`)}
                    </Badge>
                  </td>
                </StationRow>
              ))
            )}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
