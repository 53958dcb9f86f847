import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { EChartsType } from 'echarts/core';
import type { Map as MlMap } from 'maplibre-gl';
import { useApp } from '../../app-context';
import { ErrorLine, FeedBadge } from '../../components/common';
import { useLang } from '../../i18n';
import { navigate } from '../../router';
import { MapLegend } from '../command-center/map-legend';
import { cellPaint } from '../command-center/map-paint';
import { useCaseMap, type CaseMap } from '../command-center/use-case-map';
import { lw } from '../leader/leader-i18n';
import type { TrendsView } from '../leader/evaluation-types';
import { useWallLive } from './use-wall-live';
import { useWallReports } from './use-wall-reports';
import { lightCounts, WallCounters, WallEvents, WallRanking } from './wall-panels';
import { ww } from './wall-i18n';

/** The wall's map ground: the dark of the rest of the screen. */
const WALL_MAP_BACKGROUND = '#0b1628';
/** Roads with a chief: the command center's dark blue, lightened to read on the dark ground. */
const ROAD_COLOURS: Record<string, string> = { '#1f3a5f': '#5d9be0', '#b0b8c1': '#4f5d70' };

/** The command center's map on the wall's dark ground: empty cells faint, cell edges soft, roads light. */
function dressDark(map: MlMap): void {
  map.setPaintProperty('background', 'background-color', WALL_MAP_BACKGROUND);
  map.setPaintProperty('cells-fill', 'fill-opacity', (cellPaint(0.05) as Record<string, never>)['fill-opacity']);
  map.setPaintProperty('cells-line', 'line-opacity', 0.18);
  const roads = map.getPaintProperty('roads', 'line-color');
  if (Array.isArray(roads)) map.setPaintProperty('roads', 'line-color', roads.map((v: unknown) => (typeof v === 'string' && ROAD_COLOURS[v]) || v) as never);
}

/**
 * 数据大屏: the command center for a wall (1920×1080 to 3840×2160, type scaled to the screen, no
 * scrollbars): the district's map with its outlines, names and hotspots and the open cases, today's
 * counts and the traffic lights, the live events, the streets' and chiefs' rankings and the trends.
 * It runs unattended for days: the feed's events are drawn in batches into bounded lists, the
 * markers and the chart are updated in place, the reports are read again on timers.
 */
export function WallPage() {
  const lang = useLang();
  const { config } = useApp();
  const [mapError, setMapError] = useState<string | null>(null);
  // the feed's events reach the map through this (the map is made after the live state it draws)
  const mapRef = useRef<CaseMap | null>(null);
  const live = useWallLive(
    (known, e) => mapRef.current?.onCaseEvent(known, e),
    () => mapRef.current?.resync(),
  );
  const reports = useWallReports(live.batches);
  const visible = useMemo(() => [...live.cases.values()], [live.cases]);
  const lights = useMemo(() => lightCounts(live.cases.values()), [live.cases]);
  const map = useCaseMap(config, {
    visible,
    // the wall is watched, not worked: a click on a marker opens nothing
    onSelect: () => undefined,
    onError: setMapError,
  });
  mapRef.current = map;

  // Dark ground under the district's layers, and the hotspots shown from the start.
  const dressed = useRef(false);
  useEffect(() => {
    if (!map.map || dressed.current) return;
    dressed.current = true;
    dressDark(map.map);
    if (!map.hotspots.on) map.toggleHotspots();
  }, [map.ready]);

  return (
    <div class="wall" data-testid="wall" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <header class="wall-head">
        <h1>{ww('title')}</h1>
        <WallClock />
        <FeedBadge state={live.feed} />
        <FullscreenButton />
        <button class="link" data-testid="wall-back" onClick={() => navigate('/command')}>
          {ww('back')}
        </button>
      </header>
      <aside class="wall-side">
        <WallCounters today={reports.today} stats={live.stats} lights={lights} />
        <WallRanking id="streets" title={ww('streetRanking')} rows={reports.streets} />
      </aside>
      <section class="wall-center">
        <div class="wall-map">
          <div ref={map.mapEl} class="map" data-testid="map" />
          <MapLegend hotspots={map.hotspots} onToggleHotspots={map.toggleHotspots} />
        </div>
        <WallTrends trends={reports.trends} />
      </section>
      <aside class="wall-side">
        <WallEvents events={live.events} received={live.received} />
        <WallRanking id="chiefs" title={ww('chiefRanking')} rows={reports.chiefs} />
      </aside>
      <div class="wall-errors">
        <ErrorLine error={live.error ?? reports.error ?? mapError} />
      </div>
    </div>
  );
}

/** The trends of the last thirty days, drawn by the trends page's ECharts code into one chart kept for the page's life. */
function WallTrends({ trends }: { trends: TrendsView | null }) {
  const lang = useLang();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | undefined>(undefined);

  useEffect(() => {
    const resize = () => chart.current?.resize();
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      chart.current?.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    if (!trends || !el.current) return;
    const labels = { reported: lw('reported'), registered: lw('registered'), closed: lw('closed'), overdue: lw('overdue'), meanHours: lw('meanHours') };
    let current = true;
    void import('./wall-chart').then(({ drawWallTrends }) => {
      if (!current || !el.current) return;
      const fontPx = parseFloat(getComputedStyle(el.current).fontSize) || 16;
      chart.current = drawWallTrends(el.current, trends.days, labels, fontPx, chart.current);
    });
    return () => void (current = false);
  }, [trends, lang]);

  return (
    <section class="wall-box wall-trends">
      <h3>{ww('trends')}</h3>
      <div class="wall-chart" ref={el} data-testid="wall-trends" data-days={trends?.days.length ?? 0} />
    </section>
  );
}

/** The time of day, ticking by itself (only this line redraws every second). */
function WallClock() {
  const lang = useLang();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const locale = lang === 'zh' ? 'zh-CN' : 'en';
  return (
    <time class="wall-clock">
      {now.toLocaleDateString(locale)} {now.toLocaleTimeString(locale, { hour12: false })}
    </time>
  );
}

/** Full screen through the Fullscreen API, and back. */
function FullscreenButton() {
  useLang();
  const [full, setFull] = useState(() => !!document.fullscreenElement);
  useEffect(() => {
    const change = () => setFull(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', change);
    return () => document.removeEventListener('fullscreenchange', change);
  }, []);
  return (
    <button
      class="wall-fullscreen"
      data-testid="wall-fullscreen"
      onClick={() => void (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => undefined)}
    >
      {full ? ww('exitFullscreen') : ww('fullscreen')}
    </button>
  );
}
