"use client";
import { useId } from "react";
import { useT } from "@/lib/i18n/client";
import { mapMessages } from "@/lib/i18n/messages/map";
import { BUILDING_COLORS, GRID_COLORS, STATION_COLORS } from "@/lib/map/colors";
import type { LayerGroup } from "@/lib/map/ids";
import styles from "./console-map.module.css";
import type { BuildingColorMode } from "./layers/building-layer-styles";

export type LayerVisibility = Record<LayerGroup, boolean>;

const GROUP_LABEL = {
  basemap: "layerBasemap",
  admin: "layerAdmin",
  grids: "layerGrids",
  buildings: "layerBuildings",
  stations: "layerStations",
} as const satisfies Record<LayerGroup, keyof typeof mapMessages>;

function Swatch({ color, round, dashed }: { color: string; round?: boolean; dashed?: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={styles.swatch}
      style={{
        background: color,
        borderRadius: round ? "50%" : undefined,
        outline: dashed ? `1px dashed ${STATION_COLORS.demoStroke}` : undefined,
      }}
    />
  );
}

/** The layer switcher (社区/街道, 网格, 建筑, 服务站点, 底图) and the legend of what is switched on. */
export function LayerPanel({
  groups,
  visibility,
  onToggle,
  buildingColorMode,
  onBuildingColorMode,
  open,
  onOpenChange,
}: {
  groups: readonly LayerGroup[];
  visibility: LayerVisibility;
  onToggle: (group: LayerGroup, visible: boolean) => void;
  buildingColorMode: BuildingColorMode;
  onBuildingColorMode: (mode: BuildingColorMode) => void;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const t = useT(mapMessages);
  const panelId = useId();
  return (
    <div className={styles.layerBox}>
      <button
        type="button"
        className={styles.layerButton}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => onOpenChange(!open)}
        title={t("layersToggle")}
      >
        <svg
          aria-hidden="true"
          width="18"
          height="18"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M12 3 2 8l10 5 10-5-10-5Z" />
          <path d="m2 13 10 5 10-5" />
        </svg>
        <span>{t("layersTitle")}</span>
      </button>
      {open ? (
        <section id={panelId} className={styles.layerPanel} aria-label={t("layersToggle")}>
          <fieldset className={styles.layerList}>
            <legend className={styles.sectionTitle}>{t("layersTitle")}</legend>
            {groups.map((group) => (
              <label key={group} className={styles.layerRow}>
                <input
                  type="checkbox"
                  checked={visibility[group]}
                  onChange={(event) => onToggle(group, event.target.checked)}
                  data-layer-group={group}
                />
                <span>{t(GROUP_LABEL[group])}</span>
                {group === "buildings" ? <span className={styles.hint}>{t("buildingsFromZoom")}</span> : null}
                {group === "grids" ? <span className={styles.hint}>{t("gridsFromZoom")}</span> : null}
              </label>
            ))}
          </fieldset>
          {groups.includes("buildings") && visibility.buildings ? (
            <fieldset className={styles.segmented}>
              <legend className={styles.sectionTitle}>{t("buildingColorBy")}</legend>
              {(["households", "source"] as const).map((mode) => (
                <label key={mode} className={styles.segment} data-active={buildingColorMode === mode}>
                  <input
                    type="radio"
                    name="building-color"
                    value={mode}
                    checked={buildingColorMode === mode}
                    onChange={() => onBuildingColorMode(mode)}
                  />
                  {t(mode === "households" ? "buildingColorHouseholds" : "buildingColorSource")}
                </label>
              ))}
            </fieldset>
          ) : null}
          <div className={styles.legend}>
            <h2 className={styles.sectionTitle}>{t("legendTitle")}</h2>
            {groups.includes("grids") && visibility.grids ? (
              <ul className={styles.legendList} aria-label={t("layerGrids")}>
                <li>
                  <Swatch color={GRID_COLORS.under} />
                  {t("legendGridUnder")}
                </li>
                <li>
                  <Swatch color={GRID_COLORS.within} />
                  {t("legendGridWithin")}
                </li>
                <li>
                  <Swatch color={GRID_COLORS.over} />
                  {t("legendGridOver")}
                </li>
                <li>
                  <Swatch color={GRID_COLORS.farOver} />
                  {t("legendGridFarOver")}
                </li>
              </ul>
            ) : null}
            {groups.includes("buildings") && visibility.buildings ? (
              <ul className={styles.legendList} aria-label={t("layerBuildings")}>
                {buildingColorMode === "source" ? (
                  <>
                    <li>
                      <Swatch color={BUILDING_COLORS.estimated} />
                      {t("legendBuildingEstimated")}
                    </li>
                    <li>
                      <Swatch color={BUILDING_COLORS.surveyed} />
                      {t("legendBuildingSurveyed")}
                    </li>
                  </>
                ) : (
                  <>
                    <li>
                      <Swatch color={BUILDING_COLORS.few} />
                      {t("legendBuildingFew")}
                    </li>
                    <li>
                      <Swatch color={BUILDING_COLORS.some} />
                      {t("legendBuildingSome")}
                    </li>
                    <li>
                      <Swatch color={BUILDING_COLORS.many} />
                      {t("legendBuildingMany")}
                    </li>
                  </>
                )}
                <li>
                  <Swatch color={BUILDING_COLORS.nonResidential} />
                  {t("legendBuildingNonResidential")}
                </li>
              </ul>
            ) : null}
            {visibility.stations ? (
              <ul className={styles.legendList} aria-label={t("layerStations")}>
                <li>
                  <Swatch color={STATION_COLORS.party_center} round />
                  {t("stationKind_party_center")}
                </li>
                <li>
                  <Swatch color={STATION_COLORS.party_station} round />
                  {t("stationKind_party_station")}
                </li>
                <li>
                  <Swatch color={STATION_COLORS.convenience_station} round />
                  {t("stationKind_convenience_station")}
                </li>
                <li>
                  <Swatch color={STATION_COLORS.government_center} round />
                  {t("stationKind_government_center")}
                </li>
              </ul>
            ) : null}
          </div>
        </section>
      ) : null}
    </div>
  );
}
