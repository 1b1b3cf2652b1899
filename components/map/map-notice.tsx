"use client";
import { useT } from "@/lib/i18n/client";
import { mapMessages } from "@/lib/i18n/messages/map";
import styles from "./console-map.module.css";

/** A small, dismissable notice over the map for tile and style failures (never swallowed silently). */
export function MapNotice({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  const t = useT(mapMessages);
  return (
    <div className={styles.notice} role="alert" data-testid="map-notice">
      <span>{message}</span>
      <button type="button" className={styles.noticeButton} onClick={onDismiss}>
        {t("errorDismiss")}
      </button>
    </div>
  );
}
