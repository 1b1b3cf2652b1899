"use client";
import type { ReactNode } from "react";
import { useT } from "@/lib/i18n/client";
import { mapMessages } from "@/lib/i18n/messages/map";
import { BuildingDetailsView } from "./building-details";
import { GridDetailsView } from "./grid-details";
import styles from "./inspect.module.css";
import { StationDetailsView } from "./station-details";
import type { DetailsState } from "./use-feature-details";

const TITLE = { grid: "gridTitle", building: "buildingTitle", station: "stationTitle" } as const;

/** The side panel (a top card on phones) that shows the clicked or linked feature's details. */
export function InspectPanel({
  state,
  mode,
  onClose,
  onRetry,
  onShowOnMap,
}: {
  state: DetailsState;
  mode: "console" | "public";
  onClose: () => void;
  onRetry: () => void;
  onShowOnMap: () => void;
}) {
  const t = useT(mapMessages);
  if (state.status === "idle") return null;
  const kind = state.selection.kind;
  let body: ReactNode;
  if (state.status === "loading") {
    body = (
      <p className={styles.muted} aria-live="polite">
        {t("panelLoading")}
      </p>
    );
  } else if (state.status === "error") {
    const message =
      state.httpStatus === 404
        ? t("panelNotFound")
        : state.httpStatus === 401
          ? t("panelUnauthorized")
          : state.httpStatus === 403
            ? t("panelForbidden")
            : t("panelFailed", { status: state.httpStatus || "—" });
    body = (
      <div className={styles.error} role="alert">
        <p>{message}</p>
        {state.httpStatus !== 404 && state.httpStatus !== 403 ? (
          <button type="button" className={styles.textButton} onClick={onRetry}>
            {t("panelRetry")}
          </button>
        ) : null}
      </div>
    );
  } else if (state.details.kind === "grid") {
    body = <GridDetailsView grid={state.details.data} mode={mode} />;
  } else if (state.details.kind === "building") {
    body = <BuildingDetailsView building={state.details.data} mode={mode} />;
  } else {
    body = <StationDetailsView station={state.details.data} />;
  }
  return (
    <aside
      className={styles.panel}
      aria-label={t(TITLE[kind])}
      data-testid="inspect-panel"
      data-kind={kind}
      data-status={state.status}
    >
      <header className={styles.header}>
        <span className={styles.kind}>{t(TITLE[kind])}</span>
        <div className={styles.headerActions}>
          {state.status === "ok" ? (
            <button type="button" className={styles.textButton} onClick={onShowOnMap}>
              {t("panelShowOnMap")}
            </button>
          ) : null}
          <button
            type="button"
            className={styles.close}
            onClick={onClose}
            aria-label={t("panelClose")}
            title={t("panelClose")}
          >
            ×
          </button>
        </div>
      </header>
      <div className={styles.body}>{body}</div>
    </aside>
  );
}
