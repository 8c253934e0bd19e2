"use client";

import "maplibre-gl/dist/maplibre-gl.css";
import { Map as MapLibreMap, Marker, NavigationControl, prewarm, setWorkerUrl, type GeoJSONSource, type MapLayerMouseEvent, type PointLike } from "maplibre-gl";
import type { FeatureCollection } from "geojson";
import { useEffect, useRef, useState } from "react";
import type { PopAnnouncementState } from "@/lib/domain/pop-state";
import type { CatchmentMap } from "@/lib/server/catchment/get-catchment-map";
import { misroutedLines, probeFeatures } from "./catchment-features";

/** The performance mark set once the probes are first drawn: the bench and the e2e tests wait for it. */
export const PROBES_RENDERED_MARK = "catchment-map:probes-rendered";
export const PROBE_LAYER = "probes";
export const MISROUTED_LAYER = "misrouted";

declare global {
  interface Window {
    /** The map instance, for tests and the bench to read what MapLibre drew (queryRenderedFeatures). */
    __catchmentMap?: MapLibreMap;
  }
}

// The theme's colours (app/globals.css): a WebGL style cannot read CSS variables.
const COLORS = { ocean: "#0b0f14", land: "#1d2734", border: "#2c3a4d", bad: "#f85149" };

// PoP markers take the state colours of the state badges (components/ui/state-badges.tsx).
const MARKER_TONES: Record<PopAnnouncementState, string> = {
  announced: "bg-ok",
  drained: "bg-drained",
  withdrawn: "bg-bad",
  mixed: "bg-warn",
  none: "bg-muted",
};

const MARKER_CLASSES = "flex items-center gap-1 rounded-full border border-canvas/80 bg-canvas/70 py-0 pr-1.5 pl-0 font-mono text-[10px] leading-4 font-semibold text-ink shadow cursor-pointer".split(" ");

// The worker (tiling, off the main thread) starts loading with this module, before the map exists.
if (typeof window !== "undefined") {
  setWorkerUrl("/maplibre-gl-worker.mjs");
  prewarm();
}

const EMPTY: FeatureCollection = { type: "FeatureCollection", features: [] };

export type ProbeHover = { index: number; x: number; y: number };

type Props = {
  data: CatchmentMap | undefined;
  selectedPopId: number | null;
  showMisrouted: boolean;
  onSelectPop: (popId: number | null) => void;
  onHoverProbe: (hover: ProbeHover | null) => void;
  describePop: (popId: number) => string;
};

export function MapCanvas({ data, selectedPopId, showMisrouted, onSelectPop, onHoverProbe, describePop }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const markers = useRef(new Map<number, { marker: Marker; element: HTMLButtonElement; dot: HTMLSpanElement }>());
  const [ready, setReady] = useState(false);
  // Event handlers registered once read the latest callbacks through refs.
  const callbacks = useRef({ onSelectPop, onHoverProbe, describePop });
  useEffect(() => {
    callbacks.current = { onSelectPop, onHoverProbe, describePop };
  });

  useEffect(() => {
    if (!container.current) return;
    const map = new MapLibreMap({
      container: container.current,
      // Everything in the first style, probes included (empty until the data arrives), so the
      // probes need not wait for the basemap to load before they are tiled and drawn.
      style: {
        version: 8,
        sources: {
          countries: { type: "geojson", data: "/basemap/countries.json" },
          probes: { type: "geojson", data: EMPTY },
          misrouted: { type: "geojson", data: EMPTY },
        },
        layers: [
          { id: "ocean", type: "background", paint: { "background-color": COLORS.ocean } },
          { id: "land", type: "fill", source: "countries", paint: { "fill-color": COLORS.land } },
          { id: "borders", type: "line", source: "countries", paint: { "line-color": COLORS.border, "line-width": 0.6 } },
          {
            id: MISROUTED_LAYER,
            type: "line",
            source: "misrouted",
            layout: { visibility: "none" },
            paint: { "line-color": COLORS.bad, "line-width": 1.2, "line-opacity": 0.75 },
          },
          {
            id: PROBE_LAYER,
            type: "circle",
            source: "probes",
            paint: {
              "circle-color": ["get", "color"],
              "circle-radius": ["interpolate", ["linear"], ["zoom"], 1, 2.5, 5, 5],
              "circle-opacity": 0.85,
              "circle-stroke-width": 0,
              "circle-stroke-color": "#ffffff",
            },
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
    map.addControl(new NavigationControl({ showCompass: false }), "top-right");
    window.__catchmentMap = map;
    mapRef.current = map;

    const hover = (event: MapLayerMouseEvent) => {
      const feature = event.features?.[0];
      map.getCanvas().style.cursor = feature ? "pointer" : "";
      callbacks.current.onHoverProbe(feature ? { index: Number(feature.properties.i), x: event.point.x, y: event.point.y } : null);
    };
    map.on("mousemove", PROBE_LAYER, hover);
    // A tap on a phone: no hover there.
    map.on("click", PROBE_LAYER, hover);
    map.on("mouseleave", PROBE_LAYER, () => {
      map.getCanvas().style.cursor = "";
      callbacks.current.onHoverProbe(null);
    });
    // Ready once the style is parsed and the probe source exists, whether or not the basemap
    // has loaded (isStyleLoaded() would wait for it). Checked now too: it may already be so.
    const markReady = () => {
      if (!map.getSource("probes")) return;
      map.off("styledata", markReady);
      setReady(true);
    };
    map.on("styledata", markReady);
    markReady();


    const currentMarkers = markers.current;
    return () => {
      if (window.__catchmentMap === map) delete window.__catchmentMap;
      currentMarkers.clear();
      map.remove();
      mapRef.current = null;
    };
  }, []);

  // New data: replace the probe and line sources; add, move or restyle the PoP markers.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !data) return;
    (map.getSource("probes") as GeoJSONSource).setData(probeFeatures(data));
    (map.getSource("misrouted") as GeoJSONSource).setData(misroutedLines(data));
    if (data.probes.id.length > 0 && !performance.getEntriesByName(PROBES_RENDERED_MARK).length) {
      // Marked on the first frame in which MapLibre has actually drawn probes: one probe's
      // own spot is asked, as a query over all 15,000 would cost more than the frame it times.
      const { lat, lon } = data.probes;
      const sample = lat.findIndex((latitude) => Math.abs(latitude) < 80);
      const check = () => {
        const at = map.project([lon[Math.max(sample, 0)]!, lat[Math.max(sample, 0)]!]);
        const box: [PointLike, PointLike] = [
          [at.x - 4, at.y - 4],
          [at.x + 4, at.y + 4],
        ];
        if (map.queryRenderedFeatures(sample >= 0 ? box : undefined, { layers: [PROBE_LAYER] }).length > 0) {
          performance.mark(PROBES_RENDERED_MARK);
          map.off("render", check);
        }
      };
      map.on("render", check);
    }

    const seen = new Set<number>();
    for (const pop of data.pops) {
      seen.add(pop.id);
      let entry = markers.current.get(pop.id);
      if (!entry) {
        // MapLibre positions the element through its own classes: ours are added beside them.
        const element = document.createElement("button");
        element.type = "button";
        element.dataset.popId = String(pop.id);
        const marker = new Marker({ element, anchor: "left", offset: [-7, 0] }).setLngLat([pop.lon, pop.lat]).addTo(map);
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
      entry.dot.setAttribute("class", `inline-block h-3.5 w-3.5 rounded-full border-2 border-canvas ${MARKER_TONES[pop.state]}`);
      entry.element.setAttribute("aria-label", callbacks.current.describePop(pop.id));
    }
    for (const [id, entry] of markers.current) {
      if (!seen.has(id)) {
        entry.marker.remove();
        markers.current.delete(id);
      }
    }
  }, [data, ready]);

  // Selection: the chosen PoP's probes stand out; the rest fade.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const selected = selectedPopId ?? -2;
    map.setPaintProperty(PROBE_LAYER, "circle-opacity", selectedPopId === null ? 0.85 : ["case", ["==", ["get", "pop"], selected], 1, 0.08]);
    map.setPaintProperty(PROBE_LAYER, "circle-stroke-width", selectedPopId === null ? 0 : ["case", ["==", ["get", "pop"], selected], 0.6, 0]);
    map.setFilter(MISROUTED_LAYER, selectedPopId === null ? null : ["==", ["get", "pop"], selected]);
    for (const [id, entry] of markers.current) {
      entry.element.setAttribute("aria-pressed", String(id === selectedPopId));
      for (const name of ["ring-2", "ring-accent", "z-10"]) entry.element.classList.toggle(name, id === selectedPopId);
    }
  }, [selectedPopId, ready, data]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    map.setLayoutProperty(MISROUTED_LAYER, "visibility", showMisrouted ? "visible" : "none");
  }, [showMisrouted, ready]);

  return (
    <div
      ref={container}
      data-testid="catchment-map"
      role="region"
      aria-label="World map of probes coloured by the PoP that answers them"
      className="h-[58vh] min-h-[320px] w-full overflow-hidden rounded-lg border border-line bg-canvas"
    />
  );
}
