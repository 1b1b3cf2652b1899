"use client";
import "maplibre-gl/dist/maplibre-gl.css";
import type { Map as MaplibreMap } from "maplibre-gl";
import { useSearchParams } from "next/navigation";
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  AttributionControl,
  type ErrorEvent,
  type MapLayerMouseEvent,
  Map as MapLibreMap,
  type MapRef,
  NavigationControl,
  ScaleControl,
  type ViewStateChangeEvent,
} from "react-map-gl/maplibre";
import { InspectPanel } from "@/components/inspect/inspect-panel";
import { useFeatureDetails } from "@/components/inspect/use-feature-details";
import { useLocale, useT } from "@/lib/i18n/client";
import { mapMessages } from "@/lib/i18n/messages/map";
import { labelText } from "@/lib/map/basemap-layer-styles";
import {
  FEATURE_SOURCE,
  type FeatureKind,
  INTERACTIVE_LAYERS,
  LAYER,
  LAYER_GROUPS,
  type LayerGroup,
} from "@/lib/map/ids";
import { MAP_REFRESH_EVENT } from "@/lib/map/refresh";
import { OSM_ATTRIBUTION } from "@/lib/map/sources";
import {
  INITIAL_VIEW,
  LOCAL_IDEOGRAPH_FONT_FAMILY,
  MAX_BOUNDS,
  MAX_ZOOM,
  MIN_ZOOM,
  resolveMapStyle,
} from "@/lib/map/style";
import {
  type MapView,
  readSelectionFromSearch,
  readViewFromSearch,
  type Selection,
  writeSelectionToSearch,
  writeViewToSearch,
} from "@/lib/map/url-state";
import styles from "./console-map.module.css";
import { LayerAnchors } from "./layer-anchors";
import { LayerPanel, type LayerVisibility } from "./layer-panel";
import { AdminLayers } from "./layers/admin-layers";
import { BasemapLayers } from "./layers/basemap-layers";
import type { BuildingColorMode } from "./layers/building-layer-styles";
import { BuildingLayers } from "./layers/building-layers";
import { GridLayers } from "./layers/grid-layers";
import { StationLayers } from "./layers/station-layers";
import { useMapHost } from "./map-host";
import { MapNotice } from "./map-notice";
import { type HoverInfo, MapTooltip } from "./map-tooltip";

declare global {
  interface Window {
    /** The MapLibre map, for e2e assertions (queryRenderedFeatures, feature-state); see docs/map.md. */
    __consoleMap?: MaplibreMap;
  }
}

export type ConsoleMapMode = "console" | "public";

type FeatureRef = { source: string; sourceLayer: string; id: string | number };

const GROUPS: Record<ConsoleMapMode, readonly LayerGroup[]> = {
  console: LAYER_GROUPS,
  public: ["basemap", "admin", "stations"],
};
const KIND_BY_LAYER: Record<string, FeatureKind> = Object.fromEntries(
  Object.entries(INTERACTIVE_LAYERS).map(([kind, layer]) => [layer, kind as FeatureKind]),
);
const LABEL_LAYERS = [LAYER.basemapLabels, LAYER.basemapRoadsLabel, LAYER.basemapAreasLabel];
const EXTERNAL_STYLE_URL = process.env.NEXT_PUBLIC_BASEMAP_STYLE_URL || undefined;

function setState(map: MaplibreMap, feature: FeatureRef, state: Record<string, boolean>): boolean {
  if (!map.getSource(feature.source)) return false;
  map.setFeatureState(feature, state);
  return true;
}

function sameFeature(a: FeatureRef | undefined, b: FeatureRef | undefined) {
  return a?.source === b?.source && a?.id === b?.id;
}

function selectionRef(selection: Selection): FeatureRef {
  return { ...FEATURE_SOURCE[selection.kind], id: selection.id };
}

/** Replaces the URL's search without a navigation (Next keeps useSearchParams in sync with history.replaceState). */
function replaceSearch(search: string) {
  const { pathname, hash } = window.location;
  if (search === window.location.search || (search === "" && window.location.search === "?")) return;
  window.history.replaceState(null, "", `${pathname}${search}${hash}`);
}

/**
 * The one map of the console (mounted once in the console layout) and of the public resident page: basemap, admin
 * boundaries and stations for everyone; grids and buildings for signed-in users. Fills its parent.
 */
export function ConsoleMap({ mode }: { mode: ConsoleMapMode }) {
  const t = useT(mapMessages);
  const locale = useLocale();
  const mapRef = useRef<MapRef>(null);
  // Everything that needs `window` is set up after mount, so server and client render the same placeholder.
  const [setup, setSetup] = useState<{ origin: string; initialView: MapView; narrow: boolean }>();
  const [loaded, setLoaded] = useState(false);
  const [visibility, setVisibility] = useState<LayerVisibility>({
    basemap: true,
    admin: true,
    grids: true,
    buildings: true,
    stations: true,
  });
  const [buildingColorMode, setBuildingColorMode] = useState<BuildingColorMode>("households");
  const [layersOpen, setLayersOpen] = useState(false);
  // Bumped by requestMapRefresh(): a new `?v=` on the domain tile URLs makes MapLibre re-fetch them.
  const [dataVersion, setDataVersion] = useState<number>();
  useEffect(() => {
    const refresh = () => setDataVersion(Date.now());
    window.addEventListener(MAP_REFRESH_EVENT, refresh);
    return () => window.removeEventListener(MAP_REFRESH_EVENT, refresh);
  }, []);
  const [hover, setHover] = useState<HoverInfo>();
  const [notice, setNotice] = useState<string>();
  const [selection, setSelection] = useState<Selection>();
  const hoveredRef = useRef<FeatureRef | undefined>(undefined);
  const selectedRef = useRef<FeatureRef | undefined>(undefined);
  const selectionKeyRef = useRef<string | undefined>(undefined);
  const flyPendingRef = useRef(false);
  const { state: details, reload } = useFeatureDetails(selection);
  const host = useMapHost();
  const { setMap: setHostMap, clickCaptureRef } = host;

  useEffect(() => {
    setSetup({
      origin: window.location.origin,
      initialView: readViewFromSearch(new URLSearchParams(window.location.search)) ?? INITIAL_VIEW,
      narrow: window.matchMedia("(max-width: 720px)").matches,
    });
    // The layer panel starts open on wide screens only; on phones it would cover the map.
    setLayersOpen(window.matchMedia("(min-width: 721px)").matches);
  }, []);

  // The style is built once; label language changes are applied in place (setStyle would drop the domain layers).
  // biome-ignore lint/correctness/useExhaustiveDependencies: locale is applied by the effect below
  const mapStyle = useMemo(
    () => (setup ? resolveMapStyle({ origin: setup.origin, locale }, EXTERNAL_STYLE_URL) : undefined),
    [setup],
  );
  useEffect(() => {
    const map = mapRef.current?.getMap();
    if (!loaded || !map || EXTERNAL_STYLE_URL) return;
    for (const id of LABEL_LAYERS) if (map.getLayer(id)) map.setLayoutProperty(id, "text-field", labelText(locale));
  }, [loaded, locale]);

  const groups = GROUPS[mode];
  const interactiveLayerIds = useMemo(
    () =>
      mode === "console"
        ? [INTERACTIVE_LAYERS.station, INTERACTIVE_LAYERS.building, INTERACTIVE_LAYERS.grid]
        : [INTERACTIVE_LAYERS.station],
    [mode],
  );

  const select = useCallback((next: Selection | undefined, options: { fly: boolean }) => {
    selectionKeyRef.current = next ? `${next.kind}:${next.id}` : undefined;
    flyPendingRef.current = options.fly && next !== undefined;
    setSelection(next);
    // The details panel takes the layer panel's place on the right.
    if (next) setLayersOpen(false);
  }, []);

  // Selection highlight through feature-state.
  useEffect(() => {
    const map = mapRef.current?.getMap();
    if (!loaded || !map) return;
    const next = selection ? selectionRef(selection) : undefined;
    const previous = selectedRef.current;
    if (previous && !sameFeature(previous, next)) setState(map, previous, { selected: false });
    selectedRef.current = next;
    if (!next) return;
    // Sources mount after the map loads and may be re-created (removeSource drops feature-state): keep it marked.
    const ensure = () => {
      if (map.getSource(next.source) && map.getFeatureState(next).selected !== true)
        setState(map, next, { selected: true });
    };
    ensure();
    map.on("sourcedata", ensure);
    return () => {
      map.off("sourcedata", ensure);
    };
  }, [loaded, selection]);

  const flyTo = useCallback((bbox: [number, number, number, number]) => {
    const map = mapRef.current?.getMap();
    if (!map) return;
    const { clientWidth: width, clientHeight: height } = map.getContainer();
    const wide = width > 720;
    const padding = wide
      ? { top: 70, bottom: 50, left: 60, right: Math.min(400, width / 2) }
      : { top: 60, bottom: Math.round(height * 0.5), left: 30, right: 30 };
    map.fitBounds(bbox, { padding, maxZoom: 17.5, duration: 900 });
  }, []);

  // Fly to a feature selected from the URL once its extent is known.
  useEffect(() => {
    if (details.status !== "ok" || !flyPendingRef.current || !loaded) return;
    flyPendingRef.current = false;
    flyTo(details.details.data.bbox);
  }, [details, loaded, flyTo]);

  const onSearchSelection = useCallback(
    (next: Selection | undefined) => {
      if (!next) return;
      if (selectionKeyRef.current === `${next.kind}:${next.id}`) return;
      if (mode === "public" && next.kind !== "station") return;
      select(next, { fly: true });
    },
    [mode, select],
  );

  const onLoad = useCallback(() => {
    const map = mapRef.current?.getMap();
    if (!map) return;
    // Exposed in every build: the e2e suite runs against `next build`; see docs/map.md.
    window.__consoleMap = map;
    setLoaded(true);
    setHostMap(map);
  }, [setHostMap]);

  useEffect(
    () => () => {
      if (window.__consoleMap && window.__consoleMap === mapRef.current?.getMap()) window.__consoleMap = undefined;
      setHostMap(undefined);
    },
    [setHostMap],
  );

  const onMoveEnd = useCallback((event: ViewStateChangeEvent) => {
    const { longitude, latitude, zoom } = event.viewState;
    replaceSearch(writeViewToSearch(window.location.search, { longitude, latitude, zoom }));
  }, []);

  const onMouseMove = useCallback((event: MapLayerMouseEvent) => {
    const map = mapRef.current?.getMap();
    if (!map) return;
    const feature = event.features?.[0];
    const kind = feature ? KIND_BY_LAYER[feature.layer.id] : undefined;
    const next: FeatureRef | undefined =
      feature && kind && feature.id !== undefined
        ? { source: feature.source, sourceLayer: feature.sourceLayer ?? "", id: feature.id }
        : undefined;
    const previous = hoveredRef.current;
    if (!sameFeature(previous, next)) {
      if (previous) setState(map, previous, { hover: false });
      if (next) setState(map, next, { hover: true });
      hoveredRef.current = next;
    }
    setHover(
      feature && kind ? { kind, x: event.point.x, y: event.point.y, properties: feature.properties ?? {} } : undefined,
    );
  }, []);

  const onMouseLeave = useCallback(() => {
    const map = mapRef.current?.getMap();
    if (map && hoveredRef.current) setState(map, hoveredRef.current, { hover: false });
    hoveredRef.current = undefined;
    setHover(undefined);
  }, []);

  const onClick = useCallback(
    (event: MapLayerMouseEvent) => {
      // A page tool (e.g. the plan editor) owns clicks while it is active.
      const capture = clickCaptureRef.current;
      if (capture) {
        capture(event);
        return;
      }
      const feature = event.features?.[0];
      const kind = feature ? KIND_BY_LAYER[feature.layer.id] : undefined;
      const id = Number(feature?.id);
      const next = kind && Number.isInteger(id) && id > 0 ? { kind, id } : undefined;
      select(next, { fly: false });
      replaceSearch(writeSelectionToSearch(window.location.search, next));
    },
    [select, clickCaptureRef],
  );

  const closePanel = useCallback(() => {
    select(undefined, { fly: false });
    replaceSearch(writeSelectionToSearch(window.location.search, undefined));
  }, [select]);

  const onError = useCallback(
    (event: ErrorEvent) => {
      // safe because MapLibre's AJAXError carries status and url; other errors simply lack them
      const error = event.error as (Error & { status?: number; url?: string }) | undefined;
      const message = error?.message ?? String(event.error ?? "");
      console.warn("map error", error);
      let text: string;
      if (/webgl/i.test(message)) text = t("errorWebgl");
      else if (error?.url?.includes("/api/tiles/") || typeof error?.status === "number") {
        const status = error?.status;
        text =
          status === 401 || status === 403 ? t("errorTilesUnauthorized") : t("errorTiles", { status: status ?? "—" });
      } else text = t("errorStyle", { message });
      // Errors can fire while a <Layer> renders (addLayer is synchronous): defer the state update.
      queueMicrotask(() => setNotice(text));
    },
    [t],
  );

  const onToggle = useCallback((group: LayerGroup, visible: boolean) => {
    setVisibility((current) => ({ ...current, [group]: visible }));
  }, []);

  return (
    <section
      className={styles.root}
      aria-label={t("mapRegion")}
      data-mode={mode}
      data-testid="console-map"
      data-map-loaded={loaded}
    >
      {setup && mapStyle ? (
        <MapLibreMap
          ref={mapRef}
          mapStyle={mapStyle}
          initialViewState={setup.initialView}
          minZoom={MIN_ZOOM}
          maxZoom={MAX_ZOOM}
          maxBounds={MAX_BOUNDS}
          localIdeographFontFamily={LOCAL_IDEOGRAPH_FONT_FAMILY}
          attributionControl={false}
          dragRotate={false}
          pitchWithRotate={false}
          touchPitch={false}
          interactiveLayerIds={interactiveLayerIds}
          cursor={hover ? "pointer" : undefined}
          onLoad={onLoad}
          onMoveEnd={onMoveEnd}
          onMouseMove={onMouseMove}
          onMouseLeave={onMouseLeave}
          onClick={onClick}
          onError={onError}
          style={{ position: "absolute", inset: 0 }}
        >
          {/* On phones the pages' bottom sheets cover the lower corners, so attribution and scale go to the top. */}
          <AttributionControl
            position={setup.narrow ? "top-left" : "bottom-right"}
            compact={false}
            customAttribution={OSM_ATTRIBUTION}
          />
          <ScaleControl position={setup.narrow ? "top-left" : "bottom-right"} unit="metric" maxWidth={100} />
          <NavigationControl position="bottom-right" showCompass={false} />
          {loaded ? (
            <LayerAnchors>
              <BasemapLayers visible={visibility.basemap} external={Boolean(EXTERNAL_STYLE_URL)} />
              <AdminLayers origin={setup.origin} visible={visibility.admin} />
              {mode === "console" ? (
                <>
                  <GridLayers origin={setup.origin} visible={visibility.grids} version={dataVersion} />
                  <BuildingLayers
                    origin={setup.origin}
                    visible={visibility.buildings}
                    colorMode={buildingColorMode}
                    version={dataVersion}
                  />
                </>
              ) : null}
              <StationLayers
                origin={setup.origin}
                visible={visibility.stations}
                locale={locale}
                version={dataVersion}
              />
            </LayerAnchors>
          ) : null}
        </MapLibreMap>
      ) : (
        <div className={styles.loading}>{t("loading")}</div>
      )}
      {setup ? (
        <LayerPanel
          groups={groups}
          visibility={visibility}
          onToggle={onToggle}
          buildingColorMode={buildingColorMode}
          onBuildingColorMode={setBuildingColorMode}
          open={layersOpen}
          onOpenChange={setLayersOpen}
        />
      ) : null}
      {hover ? <MapTooltip hover={hover} /> : null}
      {notice ? <MapNotice message={notice} onDismiss={() => setNotice(undefined)} /> : null}
      <InspectPanel
        state={details}
        mode={mode}
        onClose={closePanel}
        onRetry={reload}
        onShowOnMap={() => {
          if (details.status === "ok") flyTo(details.details.data.bbox);
        }}
      />
      <Suspense fallback={null}>
        <SearchSelection onSelection={onSearchSelection} />
      </Suspense>
    </section>
  );
}

/** Follows `?grid=`, `?building=`, `?station=` (links from tables and pages) and selects that feature. */
function SearchSelection({ onSelection }: { onSelection: (selection: Selection | undefined) => void }) {
  const params = useSearchParams();
  const selection = readSelectionFromSearch(new URLSearchParams(params?.toString() ?? ""));
  const key = selection ? `${selection.kind}:${selection.id}` : "";
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key identifies the selection
  useEffect(() => {
    onSelection(selection);
  }, [key, onSelection]);
  return null;
}
