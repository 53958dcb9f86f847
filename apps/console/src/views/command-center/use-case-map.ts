import type { GeoJSONSource, Map as MlMap, VectorTileSource } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText, type ConsoleConfig } from '../../api';
import { cellDeltas, LiveCellDeltas, toGeoJson, type CellDelta, type MapCase } from '../../cases';
import type { CaseEventPayload } from '../../contract';
import { t } from '../../i18n';
import { caseColourExpression, createMap, maplibregl, whenLoaded } from '../../map';
import { CELLS_TILE_MIN_ZOOM, tilesAvailable, tileUrl, TILES_EVENT_RELOAD_MS, TILES_MAX_ZOOM, TILES_REFRESH_MS } from '../../tiles';
import {
  addCaseClusters,
  addDivisionLabels,
  addDivisionLines,
  addHotspotLayer,
  addRoadNames,
  CASES_OPACITY,
  CLUSTER_UNTIL_ZOOM,
  loadOutlines,
  showHotspots,
} from './district-layers';
import { cellPaint, coordsOf } from './map-paint';

/** Without vector tiles: zoom from which the grid cells in view are loaded as GeoJSON (a street's worth; fewer than 5,000 cells). */
export const CELLS_MIN_ZOOM = 14;

/** Where the cells are drawn from: the vector tiles' `cells` layer, or the GeoJSON source by zoom. */
type CellsTarget = { source: 'district'; sourceLayer: 'cells' } | { source: 'cells'; sourceLayer?: undefined };

export interface CaseMapOptions {
  /** The cases to draw as markers. */
  visible: readonly MapCase[];
  /** A marker was clicked. */
  onSelect(id: string): void;
  /** Loading the roads failed. */
  onError(message: string): void;
  /** When set, a click on the map (not on a case) picks that point (a leader placing a 批示件). */
  onPick?: (at: { lng: number; lat: number }) => void;
  /** The map was clicked off the markers, at this point (placing a case reported by address only). */
  onMapClick?(point: { lng: number; lat: number }): void;
}

export interface CaseMap {
  /** The element the map is drawn in. */
  mapEl: { current: HTMLDivElement | null };
  /** What to tell the user over the map (zoom in; a failed load), or null. */
  hint: string | null;
  /** A feed event about a case (`known`: the case as it was): shades the cells it changed at once, reloads the counts soon. */
  onCaseEvent(known: MapCase | undefined, e: CaseEventPayload): void;
  /** The feed could not resume: the live changes are forgotten and the counts loaded anew. */
  resync(): void;
  /** Brings a case into view, close enough to see its grid cell (a case without a point stays where the map is). */
  focus(c: MapCase): void;
  /** Whether the recurrence hotspots are shown, and how many (null: not loaded). */
  hotspots: { on: boolean; count: number | null };
  /** Switches the recurrence hotspot layer on or off. */
  toggleHotspots(): void;
  /** The map once its own layers are in (other layers go on top of them), else null; `ready` counts its loads. */
  map: MlMap | null;
  ready: number;
  /** Shows the point being chosen for a case (a pin), or none. */
  showPick(point: { lng: number; lat: number } | null): void;
}

/**
 * The command center's map: roads with their chiefs, grid cells shaded by their open and overdue
 * cases (vector tiles, or GeoJSON by zoom in embedded mode) with the feed's changes on top, and
 * the case markers.
 */
export function useCaseMap(config: ConsoleConfig | null, { visible, onSelect, onError, onPick, onMapClick }: CaseMapOptions): CaseMap {
  const [hint, setHint] = useState<string | null>(null);
  const [mapReady, setMapReady] = useState(0);
  const [hotspots, setHotspots] = useState<{ on: boolean; count: number | null }>({ on: false, count: null });
  const mapEl = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  /** Changes to the cells' open and overdue counts from feed events since the counts were loaded. */
  const liveCellsRef = useRef(new LiveCellDeltas());
  const cellsTargetRef = useRef<CellsTarget | null>(null);
  /** With vector tiles: loads the cells' counts again soon (after events). */
  const reloadCellsRef = useRef<(() => void) | null>(null);
  const handlers = useRef({ onSelect, onError, onPick, onMapClick });
  handlers.current = { onSelect, onError, onPick, onMapClick };
  const pickRef = useRef<import('maplibre-gl').Marker | null>(null);

  /** Shades cells by the server's counts plus these changes. */
  function showCellDeltas(changes: readonly CellDelta[]) {
    const map = mapRef.current;
    const target = cellsTargetRef.current;
    if (!map || !target) return;
    for (const d of changes) map.setFeatureState({ ...target, id: d.cell }, { dOpen: d.open, dOverdue: d.overdue });
  }

  // The map: roads with their chiefs, grid cells in view (by zoom), case markers.
  useEffect(() => {
    if (!mapEl.current) return;
    const map = createMap(mapEl.current, config);
    mapRef.current = map;
    (window as unknown as { __wanggeMap?: MlMap }).__wanggeMap = map;
    let live = true;
    let refresh: ReturnType<typeof setInterval> | undefined;
    let soon: ReturnType<typeof setTimeout> | undefined;
    /** Once the counts asked for at `mark` are drawn, the feed's changes before it are in them. */
    const settleWhenDrawn = (mark: number) => map.once('idle', () => showCellDeltas(liveCellsRef.current.settle(mark)));
    Promise.all([whenLoaded(map), tilesAvailable(location.origin)]).then(async ([, tiles]) => {
      if (!live) return;
      const cellLine = { 'line-color': '#9aa7b4', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.1, 14, 0.5] } as never;
      // roads with a chief dark, without one grey (tiles carry chief1..chief3, GeoJSON a chiefs array)
      const roadPaint = (hasChief: unknown) =>
        ({ 'line-color': ['case', hasChief, '#1f3a5f', '#b0b8c1'], 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.5, 16, 5] }) as never;
      if (tiles) {
        // The whole district from zoom 10, counts and all: ~20,000 cells stay smooth as tiles.
        let version = 0;
        map.addSource('district', { type: 'vector', tiles: [tileUrl(location.origin, version)], minzoom: 0, maxzoom: TILES_MAX_ZOOM, promoteId: { cells: 'code' } });
        map.addLayer({ id: 'cells-fill', type: 'fill', source: 'district', 'source-layer': 'cells', paint: cellPaint() });
        map.addLayer({ id: 'cells-line', type: 'line', source: 'district', 'source-layer': 'cells', paint: cellLine });
        map.addLayer({ id: 'roads', type: 'line', source: 'district', 'source-layer': 'roads', paint: roadPaint(['any', ['has', 'chief1'], ['has', 'chief2'], ['has', 'chief3']]) });
        addRoadNames(map, { source: 'district', sourceLayer: 'roads' });
        cellsTargetRef.current = { source: 'district', sourceLayer: 'cells' };
        const reload = () => {
          soon = undefined;
          const mark = liveCellsRef.current.mark();
          (map.getSource('district') as VectorTileSource).setTiles([tileUrl(location.origin, ++version)]);
          settleWhenDrawn(mark);
        };
        // the feed moves the shading at once; the server's counts follow a few seconds later
        reloadCellsRef.current = () => void (soon ??= setTimeout(reload, TILES_EVENT_RELOAD_MS));
        refresh = setInterval(reload, TILES_REFRESH_MS);
      } else {
        // No vector tiles here (embedded mode): GeoJSON, the cells in view from zoom 14.
        map.addSource('cells', { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'code' });
        map.addLayer({ id: 'cells-fill', type: 'fill', source: 'cells', paint: cellPaint() });
        map.addLayer({ id: 'cells-line', type: 'line', source: 'cells', paint: cellLine });
        map.addSource('roads', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        map.addLayer({ id: 'roads', type: 'line', source: 'roads', paint: roadPaint(['>', ['length', ['get', 'chiefs']], 0]) });
        addRoadNames(map, { source: 'roads' });
        cellsTargetRef.current = { source: 'cells' };
      }
      map.addSource('cases', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({
        id: 'cases',
        type: 'circle',
        source: 'cases',
        paint: {
          'circle-color': caseColourExpression() as never,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 5, 16, 9],
          'circle-stroke-color': ['case', ['get', 'overdue'], '#c0392b', '#ffffff'],
          'circle-stroke-width': ['case', ['get', 'overdue'], 3, 1.5],
          'circle-opacity': CASES_OPACITY as never,
          'circle-stroke-opacity': CASES_OPACITY as never,
        },
      });
      addCaseClusters(map);
      addHotspotLayer(map);
      // The district, street and community boundaries under the roads, their names over everything;
      // loaded beside the rest (the first read after the cells changed dissolves them: about a second).
      loadOutlines().then(
        (outlines) => {
          if (!live) return;
          addDivisionLines(map, outlines, 'roads');
          addDivisionLabels(map, outlines);
        },
        (e) => live && handlers.current.onError(errorText(e)),
      );
      map.on('click', (e) => handlers.current.onMapClick?.({ lng: e.lngLat.lng, lat: e.lngLat.lat }));
      map.on('click', (e) => {
        const pick = handlers.current.onPick;
        if (pick && map.queryRenderedFeatures(e.point, { layers: ['cases', 'case-clusters', 'case-singles'] }).length === 0) pick({ lng: e.lngLat.lng, lat: e.lngLat.lat });
      });
      const select = (e: { features?: { properties: Record<string, unknown> }[] }) => {
        const id = e.features?.[0]?.properties?.id as string | undefined;
        if (id) handlers.current.onSelect(id);
      };
      // zoomed out, the clusters' lone markers stand for the cases (the `cases` layer is transparent there)
      map.on('click', 'cases', (e) => map.getZoom() >= CLUSTER_UNTIL_ZOOM && select(e));
      map.on('click', 'case-singles', select);
      map.on('click', 'roads', (e) => {
        const p = e.features?.[0]?.properties as { roadName?: string; name?: string; chiefs?: string } | undefined;
        if (!p) return;
        const chiefs = (typeof p.chiefs === 'string' ? JSON.parse(p.chiefs) : p.chiefs ?? []) as { level: number; name: string }[];
        const html = document.createElement('div');
        html.className = 'road-popup';
        html.textContent = `${p.roadName ?? p.name ?? ''}: ${chiefs.map((c) => `L${c.level} ${c.name}`).join(', ') || '—'}`;
        new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(html).addTo(map);
      });
      for (const layer of ['cases', 'roads', 'case-clusters', 'case-singles']) {
        map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
        map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
      }
      try {
        const roads = await api.get<GeoJSON.FeatureCollection>('/api/v1/roads?bbox=-180,-90,180,90&limit=20000');
        if (!live) return;
        if (!tiles) (map.getSource('roads') as GeoJSONSource).setData(roads);
        const b = new maplibregl.LngLatBounds();
        for (const f of roads.features) for (const c of coordsOf(f.geometry)) b.extend(c as [number, number]);
        if (!b.isEmpty()) map.fitBounds(b, { padding: 20, duration: 0 });
      } catch (e) {
        handlers.current.onError(errorText(e));
      }
      if (tiles) {
        const hint = () => setHint(map.getZoom() < CELLS_TILE_MIN_ZOOM ? t('zoomIn') : null);
        map.on('moveend', hint);
        hint();
      } else {
        map.on('moveend', () => void loadCells());
        void loadCells();
      }
      setMapReady((n) => n + 1);
    });

    let cellsReq = 0;
    async function loadCells() {
      const source = map.getSource('cells') as GeoJSONSource | undefined;
      if (!source) return;
      if (map.getZoom() < CELLS_MIN_ZOOM) {
        setHint(t('zoomIn'));
        source.setData({ type: 'FeatureCollection', features: [] });
        return;
      }
      setHint(null);
      const b = map.getBounds();
      const req = ++cellsReq;
      const mark = liveCellsRef.current.mark();
      try {
        const cells = await api.get<GeoJSON.FeatureCollection>(`/api/v1/grid/cells?bbox=${[b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(5)).join(',')}&limit=5000`);
        if (req !== cellsReq || !live) return;
        source.setData(cells);
        settleWhenDrawn(mark);
        setMapReady((n) => n + 1);
      } catch (e) {
        setHint(errorText(e));
      }
    }
    return () => {
      live = false;
      clearInterval(refresh);
      clearTimeout(soon);
      reloadCellsRef.current = null;
      cellsTargetRef.current = null;
      map.remove();
      mapRef.current = null;
    };
  }, [config]);

  // Markers follow the cases.
  useEffect(() => {
    const map = mapRef.current;
    const source = map?.getSource('cases') as GeoJSONSource | undefined;
    if (!map || !source) return;
    const markers = toGeoJson(visible);
    source.setData(markers);
    (map.getSource('case-clusters') as GeoJSONSource | undefined)?.setData(markers);
    mapEl.current?.setAttribute('data-markers', String(visible.length));
  }, [visible, mapReady]);

  return {
    mapEl,
    hint,
    hotspots,
    toggleHotspots() {
      const map = mapRef.current;
      if (!map) return;
      const on = !hotspots.on;
      setHotspots({ on, count: null });
      showHotspots(map, on).then(
        (count) => setHotspots((h) => (h.on === on ? { on, count } : h)),
        (e) => handlers.current.onError(errorText(e)),
      );
    },
    map: mapReady > 0 ? mapRef.current : null,
    ready: mapReady,
    onCaseEvent(known, e) {
      const changed = liveCellsRef.current.add(cellDeltas(known, e));
      if (changed.length) {
        showCellDeltas(changed);
        reloadCellsRef.current?.();
      }
    },
    resync() {
      liveCellsRef.current = new LiveCellDeltas();
      reloadCellsRef.current?.();
    },
    focus(c) {
      const map = mapRef.current;
      if (map && c.location) map.easeTo({ center: [c.location.lng, c.location.lat], zoom: Math.max(map.getZoom(), CELLS_MIN_ZOOM + 1), duration: 300 });
    },
    showPick(point) {
      const map = mapRef.current;
      pickRef.current?.remove();
      pickRef.current = map && point ? new maplibregl.Marker({ color: '#c0392b' }).setLngLat([point.lng, point.lat]).addTo(map) : null;
    },
  };
}
