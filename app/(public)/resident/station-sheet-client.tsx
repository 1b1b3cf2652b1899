"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber, type Locale } from "@/lib/i18n/core";
import { commonMessages } from "@/lib/i18n/messages/common";
import { residentMessages } from "@/lib/i18n/messages/resident";
import { describeOpeningHours } from "@/lib/map/opening-hours";
import { INITIAL_VIEW } from "@/lib/map/style";
import { readViewFromSearch } from "@/lib/map/url-state";
import { findNearestStationsAction, type NearestStationsResult } from "./actions";

type Origin = { lngLat: [number, number]; from: "map" | "me" };
type Station = Extract<NearestStationsResult, { status: "ok" }>["stations"][number];

function formatDistance(meters: number, locale: Locale, t: ReturnType<typeof useT<typeof residentMessages>>): string {
  if (meters < 1000) return t("meters", { value: formatNumber(Math.round(meters / 10) * 10, locale) });
  return t("kilometers", {
    value: formatNumber(meters / 1000, locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  });
}

/**
 * The resident bottom sheet (side card on desktop): stations nearest to the map centre, which the map keeps in
 * `?lng=&lat=`, or to the resident's own position. "Show on map" sets `?station=<id>`, which the map selects.
 */
export function StationSheet() {
  const t = useT(residentMessages);
  const tc = useT(commonMessages);
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = readViewFromSearch(new URLSearchParams(searchParams.toString()));
  const mapCentre: [number, number] = view
    ? [view.longitude, view.latitude]
    : [INITIAL_VIEW.longitude, INITIAL_VIEW.latitude];
  const selected = searchParams.get("station");

  const [myPosition, setMyPosition] = useState<[number, number] | undefined>();
  const [locating, setLocating] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [expanded, setExpanded] = useState(false);
  const [state, setState] = useState<{ loading: boolean; error: boolean; stations: Station[] }>({
    loading: true,
    error: false,
    stations: [],
  });

  const origin: Origin = myPosition ? { lngLat: myPosition, from: "me" } : { lngLat: mapCentre, from: "map" };
  const key = `${origin.lngLat[0].toFixed(4)},${origin.lngLat[1].toFixed(4)}`;
  const request = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the rounded origin; refetch only when it moves ≈10 m
  useEffect(() => {
    const id = ++request.current;
    setState((previous) => ({ ...previous, loading: true }));
    const timer = window.setTimeout(async () => {
      const result = await findNearestStationsAction(origin.lngLat).catch(() => ({ status: "error" }) as const);
      if (id !== request.current) return;
      setState(
        result.status === "ok"
          ? { loading: false, error: false, stations: result.stations }
          : { loading: false, error: true, stations: [] },
      );
    }, 350);
    return () => window.clearTimeout(timer);
  }, [key]);

  function locate() {
    if (!("geolocation" in navigator)) {
      setNotice(t("locationDenied"));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        setNotice(undefined);
        setMyPosition([position.coords.longitude, position.coords.latitude]);
      },
      () => {
        setLocating(false);
        setNotice(t("locationDenied"));
        setMyPosition(undefined);
      },
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  }

  function showOnMap(stationId: number) {
    const params = new URLSearchParams(searchParams.toString());
    for (const kind of ["grid", "building"]) params.delete(kind);
    params.set("station", String(stationId));
    router.replace(`${pathname}?${params.toString()}`, { scroll: false });
    setExpanded(false);
  }

  return (
    <section className="sheet" data-expanded={expanded} aria-labelledby="sheet-title" data-testid="station-sheet">
      <button
        type="button"
        className="sheet-handle"
        aria-label={expanded ? t("collapse") : t("expand")}
        aria-expanded={expanded}
        onClick={() => setExpanded((value) => !value)}
      />
      <header className="sheet-header">
        <div className="sheet-title-row">
          <h1 className="sheet-title" id="sheet-title">
            {t("heading")}
          </h1>
          <span className="small muted" aria-live="polite">
            {state.loading ? t("loading") : t("count", { count: formatNumber(state.stations.length, locale) })}
          </span>
        </div>
        <p className="sheet-intro">{t("intro")}</p>
        <div className="sheet-controls">
          {origin.from === "me" ? (
            <button type="button" className="btn btn-small" onClick={() => setMyPosition(undefined)}>
              {t("refresh")}
            </button>
          ) : (
            <button type="button" className="btn btn-small" onClick={locate} disabled={locating}>
              {locating ? t("locating") : t("useMyLocation")}
            </button>
          )}
          <span className="small muted" style={{ alignSelf: "center" }}>
            {origin.from === "me" ? t("nearMe") : t("nearPoint")}
          </span>
        </div>
        {notice ? (
          <p className="alert alert-info small" style={{ marginTop: 8 }}>
            {notice}
          </p>
        ) : null}
      </header>
      <div className="sheet-body">
        {state.error ? (
          <p className="alert alert-error">{t("error")}</p>
        ) : !state.loading && state.stations.length === 0 ? (
          <p className="muted">{t("empty")}</p>
        ) : (
          <ol className="list-plain" data-testid="station-list">
            {state.stations.map((station) => (
              <li
                key={station.id}
                className="station-card"
                aria-current={selected === String(station.id)}
                data-testid="station-card"
              >
                <div className="station-card-head">
                  <h2 className="station-name">{station.name}</h2>
                  <span className="station-distance">
                    {t("distance", { value: formatDistance(station.distanceMeters, locale, t) })}
                  </span>
                </div>
                <div className="station-badges">
                  <span className={`badge ${station.kind.startsWith("party") ? "badge-party" : "badge-primary"}`}>
                    {tc(`stationKind_${station.kind}`)}
                  </span>
                  {station.isDemo ? (
                    <span className="badge badge-demo" title={t("demoBadgeTitle")}>
                      {tc("demoLabel")}
                    </span>
                  ) : null}
                  {station.communityName ? <span className="badge">{station.communityName}</span> : null}
                </div>
                <dl className="station-meta">
                  {station.services.length > 0 ? (
                    <>
                      <dt>{t("services")}</dt>
                      <dd>
                        <span className="chips">
                          {station.services.map((service) => (
                            <span key={service} className="chip">
                              {service}
                            </span>
                          ))}
                        </span>
                      </dd>
                    </>
                  ) : null}
                  <dt>{t("hours")}</dt>
                  <dd>
                    {station.openingHours ? describeOpeningHours(station.openingHours, locale) : t("hoursUnknown")}
                  </dd>
                  {station.address ? (
                    <>
                      <dt>{t("address")}</dt>
                      <dd>{station.address}</dd>
                    </>
                  ) : null}
                  {station.phone ? (
                    <>
                      <dt>{t("phone")}</dt>
                      <dd className="num">{station.phone}</dd>
                    </>
                  ) : null}
                </dl>
                <div className="station-actions">
                  <button type="button" className="btn btn-small" onClick={() => showOnMap(station.id)}>
                    {t("showOnMap")}
                  </button>
                  {station.phone ? (
                    <a className="btn btn-small" href={`tel:${station.phone.replace(/[^0-9+]/g, "")}`}>
                      {t("call")}
                    </a>
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
