"use client";
import { useEffect, useState } from "react";
import type { StationDetails } from "@/lib/features/schemas";
import { useLocale, useT } from "@/lib/i18n/client";
import { mapMessages } from "@/lib/i18n/messages/map";
import { describeOpeningHours, isOpenAt } from "@/lib/map/opening-hours";
import styles from "./inspect.module.css";

/** The current time, refreshed every minute so 营业中/已休息 stays right while the panel is open. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

export function StationDetailsView({ station }: { station: StationDetails }) {
  const t = useT(mapMessages);
  const locale = useLocale();
  const now = useNow();
  const open = station.status === "active" ? isOpenAt(station.openingHours, now) : false;
  return (
    <div className={styles.details}>
      <h2 className={styles.title}>{station.name}</h2>
      <p className={styles.badges}>
        <span className={styles.badgeNeutral}>{t(`stationKind_${station.kind}`)}</span>
        {open === undefined ? null : (
          <span className={open ? styles.badgeOpen : styles.badgeClosed} data-testid="station-open">
            {t(open ? "stationOpenNow" : "stationClosedNow")}
          </span>
        )}
        {station.status !== "active" ? (
          <span className={styles.badgeClosed}>{t(`stationStatus_${station.status}`)}</span>
        ) : null}
        {station.isDemo ? (
          <span className={styles.badgeDemo} title={t("stationDemoNote")} data-testid="station-demo">
            {t("stationDemo")}
          </span>
        ) : null}
      </p>
      {station.isDemo ? <p className={styles.note}>{t("stationDemoNote")}</p> : null}
      <dl className={styles.kv}>
        <dt>{t("stationHours")}</dt>
        <dd>{station.openingHours ? describeOpeningHours(station.openingHours, locale) : t("stationHoursUnknown")}</dd>
        <dt>{t("stationServices")}</dt>
        <dd>
          {station.services.length > 0 ? (
            <ul className={styles.services}>
              {station.services.map((service) => (
                <li key={service}>{service}</li>
              ))}
            </ul>
          ) : (
            t("stationNoServices")
          )}
        </dd>
        <dt>{t("stationPhone")}</dt>
        <dd>{station.phone ? <a href={`tel:${station.phone.replace(/\s+/g, "")}`}>{station.phone}</a> : "—"}</dd>
        {station.address ? (
          <>
            <dt>{t("stationAddress")}</dt>
            <dd>{station.address}</dd>
          </>
        ) : null}
        {station.communityName ? (
          <>
            <dt>{t("stationCommunity")}</dt>
            <dd>{station.communityName}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
