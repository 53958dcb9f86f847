import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, errorText, type Category } from '../api';
import { useApp } from '../app-context';
import { applyEvent, filterCases, NO_FILTER, type CaseFilter, type MapCase } from '../cases';
import { ErrorLine, FeedBadge, useFeed } from '../components/common';
import type { CaseEventPayload, FeedStats } from '../contract';
import { t, useLang } from '../i18n';
import { CaseDrawer } from './case-drawer';
import { InstructionCaseForm } from './leader-orders';
import { CaseFilters } from './command-center/case-filters';
import { CaseList, EventList, withEvent, type LiveEvent } from './command-center/event-list';
import { MapLegend } from './command-center/map-legend';
import { loadOpenCases } from './command-center/open-cases';
import { StatsPanel } from './command-center/stats-panel';
import { useCaseMap } from './command-center/use-case-map';
import { usePlacesLayer } from './command-center/use-places-layer';

/**
 * The command center: the feed's counters and filters on the left, the map in the middle, the live
 * events and the cases on the right, a case's drawer over them. The open cases in scope are loaded
 * once (again after a resync); the feed keeps them, the counters and the map's shading current.
 */
export function CommandCenter() {
  useLang();
  const { session, config, signOut } = useApp();
  const [cases, setCases] = useState<Map<string, MapCase>>(new Map());
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [stats, setStats] = useState<FeedStats | null>(null);
  const [filter, setFilter] = useState<CaseFilter>(NO_FILTER);
  const [categories, setCategories] = useState<Category[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [drawerVersion, setDrawerVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  /** A leader placing a 批示件: picking its point on the map, then the point picked. */
  const [picking, setPicking] = useState(false);
  const [picked, setPicked] = useState<{ lng: number; lat: number } | null>(null);
  const leader = session?.user.role === 'leader';
  /** Bumped when the feed could not resume from our position: everything shown is loaded anew. */
  const [resyncs, setResyncs] = useState(0);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const casesRef = useRef(cases);
  casesRef.current = cases;

  /** The drawer's place form listens for a click on the map while it is open. */
  const pickRef = useRef<((p: { lng: number; lat: number }) => void) | null>(null);
  const [startWith, setStartWith] = useState<'place' | null>(null);

  const visible = useMemo(() => filterCases(cases.values(), filter), [cases, filter]);
  const map = useCaseMap(config, {
    visible,
    onSelect: setSelected,
    onError: setError,
    onPick: picking ? (at) => (setPicked(at), setPicking(false)) : undefined,
    onMapClick(p) {
      if (!pickRef.current) return;
      map.showPick(p);
      pickRef.current(p);
    },
  });
  const [placesOn, setPlacesOn] = useState(false);
  const places = usePlacesLayer(map.map, placesOn, setError);

  const { state: feed } = useFeed(config, session?.accessToken ?? null, {
    onEvent(e: CaseEventPayload) {
      map.onCaseEvent(casesRef.current.get(e.caseId), e);
      casesRef.current = applyEvent(casesRef.current, e);
      setCases((m) => applyEvent(m, e));
      setEvents((list) => withEvent(list, e));
      if (selectedRef.current === e.caseId) setDrawerVersion((v) => v + 1);
    },
    onStats: setStats,
    onAuthRefused: () => signOut(),
    onResync() {
      casesRef.current = new Map();
      setCases(new Map());
      setEvents([]);
      map.resync();
      setResyncs((n) => n + 1);
    },
  });

  // The open cases in scope (pages of 200), then whatever the feed brings.
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const found = await loadOpenCases();
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

  /** Opens a case's drawer and brings it into view, close enough to see its grid cell. */
  function select(id: string, action: 'place' | null = null) {
    setStartWith(action);
    setSelected(id);
    const c = cases.get(id);
    if (c) map.focus(c);
  }

  // Operators place cases reported by address only (the server checks role and jurisdiction).
  const canPlace = session?.user.role === 'operator';

  return (
    <div class="command">
      <section class="panel left">
        <div class="row">
          <h2>{t('commandCenter')}</h2>
          <FeedBadge state={feed} />
        </div>
        <ErrorLine error={error} />
        <StatsPanel stats={stats} filter={filter} onFilter={setFilter} />
        <CaseFilters filter={filter} onFilter={setFilter} categories={categories} streets={stats?.byStreet ?? []} />
        {leader && (
          <button class={picking ? 'primary' : ''} data-testid="new-instruction" onClick={() => (setPicking(!picking), setPicked(null))}>
            {picking ? t('pickOnMap') : t('newInstructionCase')}
          </button>
        )}
        <label class="layer-switch">
          <input type="checkbox" data-testid="places-layer" checked={placesOn} onChange={(e) => setPlacesOn(e.currentTarget.checked)} /> {t('placesLayer')}
          {placesOn && places.count !== null && (
            <span class="muted" data-testid="places-count">
              {' '}
              · {places.count} {t('placesShown')}
            </span>
          )}
        </label>
      </section>
      <section class="map-wrap">
        <div ref={map.mapEl} class="map" data-testid="map" />
        {map.hint && <div class="map-hint">{picking ? t('pickOnMap') : map.hint}</div>}
        <MapLegend hotspots={map.hotspots} onToggleHotspots={map.toggleHotspots} />
        {picked && (
          <InstructionCaseForm at={picked} categories={categories} onDone={(v) => (setPicked(null), setSelected(v.id))} onCancel={() => setPicked(null)} />
        )}
      </section>
      <section class="panel right">
        <EventList events={events} onSelect={select} />
        <CaseList cases={visible} selected={selected} onSelect={select} onPlace={canPlace ? (id) => select(id, 'place') : null} />
      </section>
      {selected && (
        <CaseDrawer
          key={`${selected}:${startWith ?? ''}`}
          id={selected}
          version={drawerVersion}
          canAct={!leader}
          canOrder={leader}
          role={session?.user.role}
          startWith={startWith}
          onPick={(listener) => {
            pickRef.current = listener;
            if (!listener) map.showPick(null);
          }}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}
