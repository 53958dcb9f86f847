// MapLibre with no internet: the district's own layers are the base map; a raster base-map URL
// (OSM, Tianditu…) is optional configuration.
import * as maplibregl from 'maplibre-gl';
import type { Map as MlMap, StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// The worker is a file of its own: let Vite emit it and tell MapLibre where it is.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { ConsoleConfig } from './api';
import { LIGHT_COLOURS } from './lights';
import { authorizeApiRequests } from './tiles';

/** Marker colours by case status (also used by the legend and lists). */
export const STATUS_COLOURS: Record<string, string> = {
  reported: '#8e44ad',
  registered: '#2980b9',
  dispatched: '#e67e22',
  in_progress: '#f1c40f',
  resolved: '#16a085',
  closed: '#27ae60',
  rejected: '#7f8c8d',
  merged: '#95a5a6',
  cancelled: '#7f8c8d',
};

export function baseStyle(config: ConsoleConfig | null): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }],
  };
  if (config?.mapTileUrl) {
    style.sources.base = {
      type: 'raster',
      tiles: [config.mapTileUrl],
      tileSize: 256,
      attribution: config.mapTileAttribution ?? undefined,
    };
    style.layers.push({ id: 'base', type: 'raster', source: 'base' });
  }
  return style;
}

maplibregl.setWorkerUrl(workerUrl);

export const DEFAULT_CENTER: [number, number] = [113.68, 34.74];

export function createMap(container: HTMLElement, config: ConsoleConfig | null, center = DEFAULT_CENTER, zoom = 12): MlMap {
  const map = new maplibregl.Map({
    container,
    style: baseStyle(config),
    center,
    zoom,
    attributionControl: config?.mapTileUrl ? {} : false,
    // the district's vector tiles are scoped to the caller: they carry the bearer token
    transformRequest: authorizeApiRequests(location.origin),
    // screenshots and tests read the canvas
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  return map;
}

export function whenLoaded(map: MlMap): Promise<void> {
  return map.loaded() ? Promise.resolve() : new Promise((r) => map.once('load', () => r()));
}

/** A status → colour `match` expression for circle layers. */
export function statusColourExpression(): unknown[] {
  return ['match', ['get', 'status'], ...Object.entries(STATUS_COLOURS).flat(), '#34495e'];
}

/** A case marker: its traffic light when it is timed (green, yellow, red), else its status colour. */
export function caseColourExpression(): unknown[] {
  return ['match', ['get', 'light'], ...Object.entries(LIGHT_COLOURS).flat(), statusColourExpression()];
}

export { maplibregl };
