"use client";

import "maplibre-gl/dist/maplibre-gl.css";
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent, Marker } from "maplibre-gl";
import type { FeatureCollection } from "geojson";
import { useEffect, useRef, useState, type RefObject } from "react";
import type { PopAnnouncementState } from "@/lib/domain/pop-state";
import { mercatorX, mercatorY } from "@/lib/domain/web-mercator";
import { BasemapLayer, loadBasemapMesh } from "./basemap-layer";
import { MAP_COLORS as COLORS } from "./map-colors";
import { MAPLIBRE_URL, loadMaplibre, type MapLibre } from "./maplibre";
import { ProbeLayer, probeRadius } from "./probe-layer";
import { nearestProbe, type ProbePoints } from "./probe-points";

/** The performance mark set on the first frame that drew probes over the loaded basemap: the bench and the e2e tests wait for it. */
export const PROBES_RENDERED_MARK = "catchment-map:probes-rendered";
export const BASEMAP_LAYER = "basemap";
export const PROBE_LAYER = "probes";
export const LINES_LAYER = "lines";

declare global {
  interface Window {
    /** The map instance, for tests and the bench to read what MapLibre drew (the canvas's pixels, queryRenderedFeatures). */
    __catchmentMap?: MapLibreMap;
    /** The probe layer, for tests to read how many probes its last frame drew. */
    __catchmentProbes?: ProbeLayer;
  }
}

/** A PoP marker's dot: its announcement state, or a candidate PoP of a placement scenario. */
export type MarkerTone = PopAnnouncementState | "candidate";

// PoP markers take the state colours of the state badges (components/ui/state-badges.tsx).
const MARKER_TONES: Record<MarkerTone, string> = {
  announced: "bg-ok",
  drained: "bg-drained",
  withdrawn: "bg-bad",
  mixed: "bg-warn",
  none: "bg-muted",
  candidate: "bg-accent",
};

/** A PoP on the map: a button that selects it; `label` is what a screen reader hears. */
export type MapMarker = { id: number; code: string; lat: number; lon: number; tone: MarkerTone; label: string };

/**
 * What a map shows: the probes as the GPU draws them (their colours say what the page means:
 * the PoP that answers, or how inflated the path is), the PoP markers, and lines (each with a
 * `pop` property: a selected PoP keeps only its own).
 */
export type MapView = { points: ProbePoints; markers: readonly MapMarker[]; lines?: FeatureCollection };

const MARKER_CLASSES = "flex items-center gap-1 rounded-full border border-canvas/80 bg-canvas/70 py-0 pr-1.5 pl-0 font-mono text-[10px] leading-4 font-semibold text-ink shadow cursor-pointer".split(" ");

const EMPTY: FeatureCollection = { type: "FeatureCollection", features: [] };
/** How far from a probe's edge the pointer still finds it, in CSS pixels. */
const HOVER_SLACK_PX = 2;

export type ProbeHover = { index: number; x: number; y: number };

type MadeMap = { maplibre: MapLibre; map: MapLibreMap; probes: ProbeLayer; remove: () => void };

/**
 * Makes the map in `element`: its style, the basemap and probe layers, and the hover
 * handlers. `onReady` is called once the style is loaded and both layers are on it.
 */
function makeMap(
  maplibre: MapLibre,
  element: HTMLElement,
  hooks: {
    /** The probes shown: the layer draws them, the pointer finds them. */
    points: RefObject<ProbePoints | null>;
    onHoverProbe: (hover: ProbeHover | null) => void;
    onReady: () => void;
    onBasemapFailure: (message: string) => void;
  },
): MadeMap {
  const map = new maplibre.Map({
    container: element,
    // The land and the probes are custom layers (basemap-layer.ts, probe-layer.ts) added
    // once the style is loaded, over the ocean and under and over the lines.
    style: {
      version: 8,
      sources: { lines: { type: "geojson", data: EMPTY } },
      layers: [
        { id: "ocean", type: "background", paint: { "background-color": COLORS.ocean } },
        {
          id: LINES_LAYER,
          type: "line",
          source: "lines",
          layout: { visibility: "none" },
          paint: { "line-color": COLORS.bad, "line-width": 1.2, "line-opacity": 0.75 },
        },
      ],
    },
    center: [10, 25],
    zoom: 1,
    minZoom: 0.5,
    maxZoom: 9,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibre.NavigationControl({ showCompass: false }), "top-right");

  const basemap = new BasemapLayer(BASEMAP_LAYER);
  let removed = false;
  loadBasemapMesh().then(
    (mesh) => {
      if (!removed) basemap.setMesh(mesh);
    },
    (error: unknown) => {
      console.error("The map has no basemap:", error);
      if (!removed) hooks.onBasemapFailure("The basemap did not load: the probes are drawn over the sea alone. Reload the page to try again.");
    },
  );
  // The first rendered map: a frame that drew the probes over the land.
  const probes = new ProbeLayer(PROBE_LAYER, (count) => {
    if (count > 0 && basemap.drawn && !performance.getEntriesByName(PROBES_RENDERED_MARK).length) performance.mark(PROBES_RENDERED_MARK);
  });
  // Data already here (it may come before MapLibre) is drawn in the map's first frame.
  if (hooks.points.current) probes.setPoints(hooks.points.current);
  window.__catchmentMap = map;
  window.__catchmentProbes = probes;

  // The probe under the pointer: the nearest within its drawn radius (plus a little slack).
  const hover = (event: MapMouseEvent) => {
    const shown = hooks.points.current;
    const zoom = map.getZoom();
    const radius = (probeRadius(zoom) + HOVER_SLACK_PX) / (512 * 2 ** zoom);
    const index = shown ? nearestProbe(shown, mercatorX(event.lngLat.lng), mercatorY(event.lngLat.lat), radius) : null;
    map.getCanvas().style.cursor = index === null ? "" : "pointer";
    hooks.onHoverProbe(index === null ? null : { index, x: event.point.x, y: event.point.y });
  };
  map.on("mousemove", hover);
  // A tap on a phone: no hover there.
  map.on("click", hover);
  map.on("mouseout", () => {
    map.getCanvas().style.cursor = "";
    hooks.onHoverProbe(null);
  });
  // MapLibre loads the style in the next animation frame; our layers go in then, and that
  // frame draws them (redraw) instead of asking for one more: with software WebGL a frame
  // takes a few hundred ms.
  map.once("style.load", () => {
    map.addLayer(basemap, LINES_LAYER);
    map.addLayer(probes);
    map.redraw();
    hooks.onReady();
  });

  return {
    maplibre,
    map,
    probes,
    remove: () => {
      removed = true;
      if (window.__catchmentMap === map) delete window.__catchmentMap;
      if (window.__catchmentProbes === probes) delete window.__catchmentProbes;
      map.remove();
    },
  };
}

type Props = {
  view: MapView | undefined;
  /** The map's accessible name: what its colours mean. */
  label: string;
  selectedPopId: number | null;
  showLines: boolean;
  onSelectPop: (popId: number | null) => void;
  onHoverProbe: (hover: ProbeHover | null) => void;
};

export function MapCanvas({ view, label, selectedPopId, showLines, onSelectPop, onHoverProbe }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const made = useRef<MadeMap | null>(null);
  const markers = useRef(new Map<number, { marker: Marker; element: HTMLButtonElement; dot: HTMLSpanElement }>());
  const points = useRef<ProbePoints | null>(null);
  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [basemapFailure, setBasemapFailure] = useState<string | null>(null);
  // Event handlers registered once read the latest callbacks through refs.
  const callbacks = useRef({ onSelectPop, onHoverProbe });
  useEffect(() => {
    callbacks.current = { onSelectPop, onHoverProbe };
  });

  // The map is made as soon as MapLibre is here (loaded with the page, apart from its scripts:
  // maplibre.ts), not one render later.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let gone = false;
    loadMaplibre().then(
      (maplibre) => {
        if (gone) return;
        made.current = makeMap(maplibre, element, {
          points,
          onHoverProbe: (hover) => callbacks.current.onHoverProbe(hover),
          onReady: () => setReady(true),
          onBasemapFailure: setBasemapFailure,
        });
      },
      (error: unknown) => {
        console.error("MapLibre did not load:", error);
        if (!gone) setFailure(`The map's drawing code (${MAPLIBRE_URL}) did not load: reload the page. The shares and the tables here are still live.`);
      },
    );
    const currentMarkers = markers.current;
    return () => {
      gone = true;
      made.current?.remove();
      made.current = null;
      currentMarkers.clear();
    };
  }, []);

  // New data: the probes at once (the layer keeps them until it is on the map, so the first
  // frame can already draw them); the lines and the PoP markers once the style is ready.
  useEffect(() => {
    if (!view) return;
    points.current = view.points;
    made.current?.probes.setPoints(view.points);
  }, [view]);

  useEffect(() => {
    if (!made.current || !ready || !view) return;
    const { maplibre, map } = made.current;
    (map.getSource("lines") as GeoJSONSource).setData(view.lines ?? EMPTY);

    const seen = new Set<number>();
    for (const pop of view.markers) {
      seen.add(pop.id);
      let entry = markers.current.get(pop.id);
      if (!entry) {
        // MapLibre positions the element through its own classes: ours are added beside them.
        const element = document.createElement("button");
        element.type = "button";
        element.dataset.popId = String(pop.id);
        const marker = new maplibre.Marker({ element, anchor: "left", offset: [-7, 0] }).setLngLat([pop.lon, pop.lat]).addTo(map);
        element.classList.add(...MARKER_CLASSES);
        const dot = document.createElement("span");
        element.append(dot, document.createTextNode(pop.code));
        element.addEventListener("click", (event) => {
          event.stopPropagation();
          callbacks.current.onSelectPop(Number(element.dataset.popId));
        });
        entry = { marker, element, dot };
        markers.current.set(pop.id, entry);
      }
      entry.marker.setLngLat([pop.lon, pop.lat]);
      entry.element.lastChild!.textContent = pop.code;
      entry.dot.setAttribute("class", `inline-block h-3.5 w-3.5 rounded-full border-2 border-canvas ${MARKER_TONES[pop.tone]}`);
      entry.element.setAttribute("aria-label", pop.label);
    }
    for (const [id, entry] of markers.current) {
      if (!seen.has(id)) {
        entry.marker.remove();
        markers.current.delete(id);
      }
    }
  }, [view, ready]);

  // Selection: the chosen PoP's probes stand out; the rest fade.
  useEffect(() => {
    if (!made.current || !ready) return;
    const { map, probes } = made.current;
    probes.setSelectedPop(selectedPopId);
    map.setFilter(LINES_LAYER, selectedPopId === null ? null : ["==", ["get", "pop"], selectedPopId]);
    for (const [id, entry] of markers.current) {
      entry.element.setAttribute("aria-pressed", String(id === selectedPopId));
      for (const name of ["ring-2", "ring-accent", "z-10"]) entry.element.classList.toggle(name, id === selectedPopId);
    }
  }, [selectedPopId, ready, view]);

  useEffect(() => {
    if (!made.current || !ready) return;
    made.current.map.setLayoutProperty(LINES_LAYER, "visibility", showLines ? "visible" : "none");
  }, [showLines, ready]);

  const problem = failure ?? basemapFailure;
  return (
    <div className="relative">
      <div
        ref={container}
        data-testid="catchment-map"
        role="region"
        aria-label={label}
        className="h-[58vh] min-h-[320px] w-full overflow-hidden rounded-lg border border-line bg-canvas"
      />
      {problem && (
        <p role="alert" className="absolute inset-x-3 top-3 rounded-md border border-bad/60 bg-canvas/90 px-3 py-2 text-sm text-bad">
          {problem}
        </p>
      )}
    </div>
  );
}
