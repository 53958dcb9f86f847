import type { GeoJSONSource, Map as MlMap, VectorTileSource } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, errorText, type Category, type CaseView } from '../api';
import { useApp } from '../app-context';
import { applyEvent, cellDeltas, filterCases, LiveCellDeltas, fromView, NO_FILTER, OPEN_STATUSES, ALL_STATUSES, toGeoJson, type CaseFilter, type CellDelta, type MapCase } from '../cases';
import { Countdown, ErrorLine, FeedBadge, useFeed } from '../components/common';
import type { CaseEventPayload, FeedStats } from '../contract';
import { eventName, statusName, t, useLang } from '../i18n';
import { createMap, maplibregl, STATUS_COLOURS, statusColourExpression, whenLoaded } from '../map';
import { CaseDrawer } from './case-drawer';
import { CELLS_TILE_MIN_ZOOM, tilesAvailable, tileUrl, TILES_EVENT_RELOAD_MS, TILES_MAX_ZOOM, TILES_REFRESH_MS } from '../tiles';

/** Without vector tiles: zoom from which the grid cells in view are loaded as GeoJSON (a street's worth; fewer than 5,000 cells). */
export const CELLS_MIN_ZOOM = 14;

/** Where the cells are drawn from: the vector tiles' `cells` layer, or the GeoJSON source by zoom. */
type CellsTarget = { source: 'district'; sourceLayer: 'cells' } | { source: 'cells'; sourceLayer?: undefined };

interface LiveEvent {
  seq: number;
  caseId: string;
  code: string;
  type: string;
  status: string;
  at: string;
}

export function CommandCenter() {
  const lang = useLang();
  const { session, config, signOut } = useApp();
  const [cases, setCases] = useState<Map<string, MapCase>>(new Map());
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [stats, setStats] = useState<FeedStats | null>(null);
  const [filter, setFilter] = useState<CaseFilter>(NO_FILTER);
  const [categories, setCategories] = useState<Category[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [drawerVersion, setDrawerVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [mapReady, setMapReady] = useState(0);
  /** Bumped when the feed could not resume from our position: everything shown is loaded anew. */
  const [resyncs, setResyncs] = useState(0);
  const mapEl = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const casesRef = useRef(cases);
  casesRef.current = cases;
  /** Changes to the cells' open and overdue counts from feed events since the counts were loaded. */
  const liveCellsRef = useRef(new LiveCellDeltas());
  const cellsTargetRef = useRef<CellsTarget | null>(null);
  /** With vector tiles: loads the cells' counts again soon (after events). */
  const reloadCellsRef = useRef<(() => void) | null>(null);

  /** Shades cells by the server's counts plus these changes. */
  function showCellDeltas(changes: readonly CellDelta[]) {
    const map = mapRef.current;
    const target = cellsTargetRef.current;
    if (!map || !target) return;
    for (const d of changes) map.setFeatureState({ ...target, id: d.cell }, { dOpen: d.open, dOverdue: d.overdue });
  }

  const { state: feed } = useFeed(config, session?.accessToken ?? null, {
    onEvent(e: CaseEventPayload) {
      const changed = liveCellsRef.current.add(cellDeltas(casesRef.current.get(e.caseId), e));
      if (changed.length) {
        showCellDeltas(changed);
        reloadCellsRef.current?.();
      }
      casesRef.current = applyEvent(casesRef.current, e);
      setCases((m) => applyEvent(m, e));
      setEvents((list) => [{ seq: e.seq, caseId: e.caseId, code: e.code, type: e.type, status: e.status, at: e.at }, ...list].slice(0, 200));
      if (selectedRef.current === e.caseId) setDrawerVersion((v) => v + 1);
    },
    onStats: setStats,
    onAuthRefused: () => signOut(),
    onResync() {
      liveCellsRef.current = new LiveCellDeltas();
      casesRef.current = new Map();
      setCases(new Map());
      setEvents([]);
      reloadCellsRef.current?.();
      setResyncs((n) => n + 1);
    },
  });

  // The open cases in scope (pages of 200), then whatever the feed brings.
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        let cursor: string | null = null;
        const found: MapCase[] = [];
        for (let page = 0; page < 10; page++) {
          const q = new URLSearchParams({ status: OPEN_STATUSES.join(','), limit: '200' });
          if (cursor) q.set('cursor', cursor);
          const answer: { items: CaseView[]; nextCursor: string | null } = await api.get(`/api/v1/cases?${q}`);
          found.push(...answer.items.map(fromView));
          cursor = answer.nextCursor;
          if (!cursor) break;
        }
        if (!live) return;
        setCases((m) => {
          const next = new Map(m);
          for (const c of found) if (!next.has(c.id)) next.set(c.id, c);
          return next;
        });
      } catch (e) {
        if (live) setError(errorText(e));
      }
    })();
    api.get<Category[]>('/api/v1/categories').then(setCategories).catch((e) => setError(errorText(e)));
    return () => void (live = false);
  }, [resyncs]);

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
        cellsTargetRef.current = { source: 'cells' };
      }
      map.addSource('cases', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({
        id: 'cases',
        type: 'circle',
        source: 'cases',
        paint: {
          'circle-color': statusColourExpression() as never,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 5, 16, 9],
          'circle-stroke-color': ['case', ['get', 'overdue'], '#c0392b', '#ffffff'],
          'circle-stroke-width': ['case', ['get', 'overdue'], 3, 1.5],
        },
      });
      map.on('click', 'cases', (e) => {
        const id = e.features?.[0]?.properties?.id as string | undefined;
        if (id) setSelected(id);
      });
      map.on('click', 'roads', (e) => {
        const p = e.features?.[0]?.properties as { roadName?: string; name?: string; chiefs?: string } | undefined;
        if (!p) return;
        const chiefs = (typeof p.chiefs === 'string' ? JSON.parse(p.chiefs) : p.chiefs ?? []) as { level: number; name: string }[];
        const html = document.createElement('div');
        html.className = 'road-popup';
        html.textContent = `${p.roadName ?? p.name ?? ''}: ${chiefs.map((c) => `L${c.level} ${c.name}`).join(', ') || '—'}`;
        new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(html).addTo(map);
      });
      for (const layer of ['cases', 'roads']) {
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
        setError(errorText(e));
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
  /** Opens a case's drawer and brings it into view, close enough to see its grid cell. */
  function select(id: string) {
    setSelected(id);
    const c = cases.get(id);
    const map = mapRef.current;
    if (c && map) map.easeTo({ center: [c.location.lng, c.location.lat], zoom: Math.max(map.getZoom(), CELLS_MIN_ZOOM + 1), duration: 300 });
  }

  const visible = useMemo(() => filterCases(cases.values(), filter), [cases, filter]);

  // Markers and cell shading follow the cases.
  useEffect(() => {
    const map = mapRef.current;
    const source = map?.getSource('cases') as GeoJSONSource | undefined;
    if (!map || !source) return;
    source.setData(toGeoJson(visible));
    mapEl.current?.setAttribute('data-markers', String(visible.length));
  }, [visible, cases, mapReady]);

  const streets = stats?.byStreet ?? [];
  return (
    <div class="command">
      <section class="panel left">
        <div class="row">
          <h2>{t('commandCenter')}</h2>
          <FeedBadge state={feed} />
        </div>
        <ErrorLine error={error} />
        <div class="counters" data-testid="counters">
          <div>
            <b data-testid="count-open">{stats?.open ?? '—'}</b>
            {t('open')}
          </div>
          <div class="overdue">
            <b data-testid="count-overdue">{stats?.overdue ?? '—'}</b>
            {t('overdue')}
          </div>
          <div>
            <b data-testid="count-closed">{stats?.closedToday ?? '—'}</b>
            {t('closedToday')}
          </div>
        </div>
        <table class="streets">
          <thead>
            <tr>
              <th>{t('street')}</th>
              <th>{t('open')}</th>
              <th>{t('overdue')}</th>
              <th>{t('closedToday')}</th>
            </tr>
          </thead>
          <tbody>
            {streets.map((s) => (
              <tr key={s.streetCode} class={filter.street === s.streetCode ? 'active' : ''} onClick={() => setFilter({ ...filter, street: filter.street === s.streetCode ? '' : s.streetCode })}>
                <td>{s.streetName}</td>
                <td>{s.open}</td>
                <td class={s.overdue ? 'overdue' : ''}>{s.overdue}</td>
                <td>{s.closedToday}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="filters">
          <label>
            {t('status')}
            <select data-testid="filter-status" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.currentTarget.value })}>
              <option value="">{t('open')}</option>
              <option value="all">{t('all')}</option>
              {ALL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusName(s)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('category')}
            <select value={filter.category} onChange={(e) => setFilter({ ...filter, category: e.currentTarget.value })}>
              <option value="">{t('all')}</option>
              {categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code} {lang === 'zh' ? c.minor.name : c.minor.nameEn}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('street')}
            <select value={filter.street} onChange={(e) => setFilter({ ...filter, street: e.currentTarget.value })}>
              <option value="">{t('all')}</option>
              {streets.map((s) => (
                <option key={s.streetCode} value={s.streetCode}>
                  {s.streetName}
                </option>
              ))}
            </select>
          </label>
          <label class="check">
            <input type="checkbox" checked={filter.overdueOnly} onChange={(e) => setFilter({ ...filter, overdueOnly: e.currentTarget.checked })} />
            {t('onlyOverdue')}
          </label>
        </div>
        <ul class="legend">
          {Object.entries(STATUS_COLOURS)
            .filter(([s]) => s !== 'merged' && s !== 'cancelled')
            .map(([s, c]) => (
              <li key={s}>
                <span class="swatch" style={{ background: c }} />
                {statusName(s)}
              </li>
            ))}
        </ul>
      </section>
      <section class="map-wrap">
        <div ref={mapEl} class="map" data-testid="map" />
        {hint && <div class="map-hint">{hint}</div>}
      </section>
      <section class="panel right">
        <h3>{t('liveEvents')}</h3>
        <ol class="events" data-testid="events">
          {events.map((e) => (
            <li key={e.seq} data-case-id={e.caseId} data-status={e.status} onClick={() => select(e.caseId)}>
              <time>{new Date(e.at).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en')}</time> <b>{eventName(e.type)}</b> {e.code}{' '}
              <span class={`status s-${e.status}`}>{statusName(e.status)}</span>
            </li>
          ))}
        </ol>
        <h3>
          {t('cases')} ({visible.length})
        </h3>
        <ul class="case-list" data-testid="case-list">
          {visible.length === 0 && <li class="muted">{t('noCases')}</li>}
          {visible.slice(0, 300).map((c) => (
            <li key={c.id} data-case-id={c.id} data-status={c.status} class={selected === c.id ? 'active' : ''} onClick={() => select(c.id)}>
              <span class="swatch" style={{ background: STATUS_COLOURS[c.status] }} /> {c.code} <span class={`status s-${c.status}`}>{statusName(c.status)}</span>
              {c.overdue && <span class="badge overdue">{t('overdueMark')}</span>} {c.status !== 'closed' && <Countdown deadlineAt={c.deadlineAt} />}
            </li>
          ))}
        </ul>
      </section>
      {selected && <CaseDrawer id={selected} version={drawerVersion} canAct={session?.user.role !== 'leader'} onClose={() => setSelected(null)} />}
    </div>
  );
}

/** A cell's open or overdue count: the server's, plus what the feed changed since it was loaded. */
const liveCount = (name: 'open' | 'overdue') => ['+', ['coalesce', ['get', name], 0], ['coalesce', ['feature-state', name === 'open' ? 'dOpen' : 'dOverdue'], 0]];

/** Cells shaded red with overdue cases, orange with open ones (deeper with more), white without. */
export function cellPaint() {
  return {
    'fill-color': ['case', ['>', liveCount('overdue'), 0], '#e74c3c', ['>', liveCount('open'), 0], '#f39c12', '#ffffff'],
    'fill-opacity': ['case', ['>', liveCount('open'), 0], ['min', 0.75, ['+', 0.3, ['*', 0.15, liveCount('open')]]], 0.35],
  } as never;
}

function coordsOf(g: GeoJSON.Geometry): number[][] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'LineString':
    case 'MultiPoint':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    default:
      return [];
  }
}
