import { CatalogueService } from '@wangge/catalogue';
import type { AppConfig } from '@wangge/config';
import { trackingTokenHash } from '@wangge/events';
import { LocateService, type RoutingFound } from '@wangge/geo';
import { BusinessCalendarService, stageLimitsInForce, writeCaseHistory, type HistoryReport, type HistoryRules, type SimulatedCase } from '@wangge/workflow';
import type { DataSource, EntityManager } from 'typeorm';
import { demoRefusal } from '../demo-in-production';
import { cornerLat, cornerLng, DEMO_FRAME } from '../grid-layout';
import { planRoads } from '../road-network';
import { caseLife, postOnDuty, spotLife, type HistoryAppeal, type PlannedReport, type World } from './case-lives';
import { loadHistoryPeople } from './history-people';
import { arrivalsOfDay, CATEGORY_WEIGHTS, DEFAULT_RHYTHM, historyDays, isRoadside, type Rhythm } from './history-rhythm';
import { Random } from './random';

export type { HistoryAppeal } from './case-lives';

/** The most days of history a demo seeds (the standard catalogue is in force from 2026-01-01). */
export const MAX_HISTORY_DAYS = 90;

export interface HistoryOptions {
  /** Days before the end's day (0: no history). */
  days: number;
  /** Same seed, same history. */
  seed: number;
  config: AppConfig;
  /** The end of the history (default: now). */
  end?: Date;
  rhythm?: Rhythm;
  /**
   * Writes the history's appeals (evaluation's `appeal` rows) in the history's transaction. Without
   * it the history has no appeals (libs/demo stands beside evaluation, so the caller brings its writer).
   */
  recordAppeals?: (m: EntityManager, appeals: readonly HistoryAppeal[]) => Promise<void>;
  log?: (line: string) => void;
}

export interface HistorySummary {
  days: number;
  from: string | null;
  to: string | null;
  cases: number;
  events: number;
  /** The command centre's stages written (case_stage), and how many of them missed their limit. */
  stages: number;
  stagesOverdue: number;
  byStatus: Record<string, number>;
  overdue: number;
  escalated: number;
  returned: number;
  reworked: number;
  extended: number;
  merged: number;
  appeals: number;
  ms: number;
}

/** Recurrence hotspots: spots where one problem keeps coming back. */
const SPOTS = [
  { category: 'E0102', road: 1, at: 0.31 },
  { category: 'E0504', road: 3, at: 0.55 },
  { category: 'E0505', road: 8, at: 0.42 },
  { category: 'E0201', road: 11, at: 0.18 },
  { category: 'E0103', road: 5, at: 0.73 },
  { category: 'E0501', road: 14, at: 0.64 },
] as const;
const REPORTS_PER_SPOT = 12;
/** Share of warden reports a citizen reports again a little later (a possible duplicate the 受理员 merges). */
const DUPLICATE_SHARE = 0.03;
const POSTS = ['shouli1', 'shouli2', 'paiqian1', 'paiqian2', 'zhiban1', 'zhiban2'];
const ROUTING_CHUNK = 2_000;

/**
 * A month (or `days`) of the demo district's life before `end`, through the workflow's own rules:
 * reports arrive with the district's daily and weekly rhythm and the holiday calendar, and each case
 * lives through the closed loop on a simulated clock (see `caseLife` and the workflow's
 * SimulatedCase); the cases and events are then written in a few statements, seq in time order.
 * Deterministic for a seed. Runs in its own transaction, after the demo's reference data is in.
 */
export async function seedHistory(ds: DataSource, opts: HistoryOptions): Promise<HistorySummary> {
  const started = Date.now();
  const empty: HistorySummary = {
    days: 0, from: null, to: null, cases: 0, events: 0, stages: 0, stagesOverdue: 0, byStatus: {}, overdue: 0, escalated: 0, returned: 0, reworked: 0, extended: 0, merged: 0, appeals: 0, ms: 0,
  };
  const refusal = demoRefusal(opts.config.env);
  if (refusal) throw new Error(refusal);
  if (opts.days <= 0) return empty;
  if (!Number.isInteger(opts.days) || opts.days > MAX_HISTORY_DAYS) throw new RangeError(`history days must be a whole number from 0 to ${MAX_HISTORY_DAYS}, got ${opts.days}`);
  const { config } = opts;
  const end = opts.end ?? new Date();
  const catalogue = new CatalogueService(ds, config);
  const calendarService = new BusinessCalendarService(ds, catalogue, config);
  const offsetMinutes = calendarService.offsetMinutes;
  const days = historyDays(end, opts.days, offsetMinutes);
  const calendar = await calendarService.current();
  const categories = (await catalogue.list(new Date(`${days[0]}T00:00:00Z`))).flatMap((c) => {
    const condition = c.standard?.conditions[0];
    if (!condition) return [];
    return [{
      row: { code: c.code, kind: c.kind, name: c.minor.name, name_en: c.minor.nameEn, auto_register: c.autoRegister, active: true },
      standardId: condition.id,
      limit: condition.timeLimit,
    }];
  });
  const category = new Map(categories.map((c) => [c.row.code, c]));
  if (categories.length === 0) throw new Error('the history needs the catalogue: seed the demo district first');

  const plans = planReports({ days, end, seed: opts.seed, calendar, offsetMinutes, rhythm: opts.rhythm ?? DEFAULT_RHYTHM, categories: [...category.keys()] });
  const locator = new LocateService(ds, config);

  return ds.transaction(async (tx) => {
    const people = await loadHistoryPeople(tx, POSTS);
    const points = [...plans.single, ...plans.spots.flat()].sort((a, b) => a.n - b.n).map((p) => p.point);
    const routings: (RoutingFound | null)[] = [];
    for (let i = 0; i < points.length; i += ROUTING_CHUNK) routings.push(...(await locator.routingsAt(points.slice(i, i + ROUTING_CHUNK), tx)));
    const rules: HistoryRules = {
      calendar,
      offsetMinutes,
      verifyLimitWorkHours: config.verifyLimitWorkHours,
      autoRegisterSources: config.autoRegisterSources,
      chiefs: new Map([...people.chiefs].map(([id, c]) => [id, { name: c.name, level: c.level, available: c.available }])),
      // The stages run on the limits in force (the district's, else the environment's); a missed one
      // is told to the 值班长 on duty; the cell's warden, on duty in the demo, is given its checks.
      stages: {
        limitsMin: await stageLimitsInForce(tx, end, config.stageLimitsMin),
        leadersOnDuty: (at) => [postOnDuty(world, 'zhiban', at.getTime())].map((a) => ({ id: a.id ?? '', name: a.name })),
        checkWardenOf: (cell) => {
          const warden = people.wardenOfCell.get(cell);
          return warden?.id ? { id: warden.id, name: warden.name } : null;
        },
      },
    };
    const world: World = {
      rules, people, end, offsetMinutes, duplicate: config.duplicate, appealsOn: opts.recordAppeals !== undefined,
      cases: new Map(), byCategory: new Map(), appeals: [],
      cellOf: (plan) => routings[plan.n]?.place.cell_code ?? null,
      reportOf: (plan, reporter, extra): HistoryReport | null => {
        const routing = routings[plan.n];
        const cat = category.get(plan.category);
        if (!routing || !cat) return null;
        const place = routing.routingPlace.segment?.roadName ?? routing.place.community_name;
        const rng = Random.of(opts.seed, 'token', plan.id);
        return {
          id: plan.id,
          input: { ...extra.input, description: extra.input.description.replace('{name}', cat.row.name).replace('{place}', place) },
          reporter,
          source: plan.source,
          category: cat.row,
          standardId: cat.standardId,
          limit: cat.limit,
          routing,
          duplicateOf: extra.duplicateOf,
          trackingTokenHash: trackingTokenHash(rng.uuid() + rng.uuid()),
          at: plan.at,
        };
      },
    };
    run(world, [
      ...plans.single.map((p) => caseLife(world, p, Random.of(opts.seed, 'case', p.id))),
      ...plans.spots.map((spot, i) => spotLife(world, spot, Random.of(opts.seed, 'spot', i))),
    ]);
    const cases = [...world.cases.values()];
    for (const c of cases) c.runClock(end);
    const written = await writeCaseHistory(tx, { districtCode: config.districtCode, offsetMinutes, cases });
    const appeals = world.appeals.filter((a) => world.cases.has(a.caseId));
    if (opts.recordAppeals && appeals.length > 0) await opts.recordAppeals(tx, appeals);
    const summary = summarise(cases, written, appeals.length, days, started);
    opts.log?.(
      `history: ${summary.cases} cases over ${opts.days} days (${summary.from} to ${summary.to}), ${summary.events} events, ` +
        `${summary.overdue} overdue, ${summary.escalated} escalated, ${summary.appeals} appeals, ${summary.stages} stages (${summary.stagesOverdue} late) (${(summary.ms / 1000).toFixed(1)} s)`,
    );
    return summary;
  });
}

/** Runs every life on one simulated clock: the earliest pending step first, ties in the order the lives were given. */
function run(w: World, lives: Generator<number, void, void>[]): void {
  const end = w.end.getTime();
  const heap: { t: number; k: number; life: Generator<number, void, void> }[] = [];
  let k = 0;
  const less = (a: (typeof heap)[number], b: (typeof heap)[number]) => a.t < b.t || (a.t === b.t && a.k < b.k);
  const push = (item: (typeof heap)[number]) => {
    heap.push(item);
    for (let i = heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!less(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  const advance = (life: Generator<number, void, void>) => {
    const step = life.next();
    if (!step.done && step.value <= end) push({ t: step.value, k: k++, life });
  };
  for (const life of lives) advance(life);
  while (heap.length > 0) advance(pop().life);
}

interface PlanInput {
  days: string[];
  end: Date;
  seed: number;
  calendar: HistoryRules['calendar'];
  offsetMinutes: number;
  rhythm: Rhythm;
  categories: string[];
}

/** Every report of the history (and the points of the hotspots' chains), each with its place in the routing batch. */
function planReports(p: PlanInput): { single: PlannedReport[]; spots: PlannedReport[][] } {
  const rng = Random.of(p.seed, 'plan');
  const roads = planRoads(DEMO_FRAME);
  const segments = roads.flatMap((road) => road.segments.map((segment) => ({ road, segment })));
  const known = new Set(p.categories);
  const weighted = p.categories.map((code) => ({ code, weight: CATEGORY_WEIGHTS[code] ?? 0.3 }));
  let n = 0;
  const point = (r: Random, code: string) => (isRoadside(code) || r.chance(0.3) ? roadsidePoint(r, r.pick(segments)) : anywhere(r));
  const single: PlannedReport[] = [];
  for (const day of p.days) {
    for (const arrival of arrivalsOfDay(day, p.calendar, p.offsetMinutes, p.rhythm, rng)) {
      if (arrival.at.getTime() > p.end.getTime()) continue;
      const category = rng.weighted(weighted, (c) => c.weight).code;
      const plan: PlannedReport = { id: rng.uuid(), at: arrival.at, source: arrival.source, category, point: point(rng, category), n: n++ };
      single.push(plan);
      if (plan.source === 'warden' && rng.chance(DUPLICATE_SHARE)) {
        const at = new Date(plan.at.getTime() + rng.between(0.5, 5) * 3_600_000);
        if (at.getTime() <= p.end.getTime()) single.push({ id: rng.uuid(), at, source: 'citizen', category, point: jitter(rng, plan.point, 15), n: n++ });
      }
    }
  }
  const first = new Date(`${p.days[0]}T02:00:00Z`).getTime();
  const spots = SPOTS.filter((s) => known.has(s.category)).map((s, i) => {
    const r = Random.of(p.seed, 'spot-plan', i);
    const { road, segment } = segments[(s.road * 7) % segments.length];
    const centre = roadsidePoint(r, { road, segment }, s.at);
    const startAt = new Date(first + r.between(0, 4) * 86_400_000 + r.between(0, 8) * 3_600_000);
    return Array.from({ length: REPORTS_PER_SPOT }, (): PlannedReport => ({
      id: r.uuid(), at: startAt, source: r.chance(0.6) ? 'citizen' : 'warden', category: s.category, point: jitter(r, centre, 12), n: n++,
    }));
  });
  return { single, spots };
}

/** A point beside a road segment, 3 to 22 m off its line. */
function roadsidePoint(r: Random, { road, segment }: { road: ReturnType<typeof planRoads>[number]; segment: ReturnType<typeof planRoads>[number]['segments'][number] }, along = r.next()) {
  const col = segment.from.col + along * (segment.to.col - segment.from.col);
  const row = segment.from.row + along * (segment.to.row - segment.from.row);
  const off = (r.chance(0.5) ? 1 : -1) * r.between(0.03, 0.22);
  return inFrame(road.direction === 'east-west' ? { col, row: row + off } : { col: col + off, row });
}

function anywhere(r: Random) {
  return inFrame({ col: r.between(0, DEMO_FRAME.columns), row: r.between(0, DEMO_FRAME.rows) });
}

/** A point within `metres` of `p`. */
function jitter(r: Random, p: { lng: number; lat: number }, metres: number) {
  const d = r.between(0, metres) / 111_000;
  const a = r.between(0, 2 * Math.PI);
  return { lng: p.lng + (d * Math.cos(a)) / Math.cos((p.lat * Math.PI) / 180), lat: p.lat + d * Math.sin(a) };
}

function inFrame(g: { col: number; row: number }) {
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0.05), hi - 0.05);
  return { lng: cornerLng(DEMO_FRAME, clamp(g.col, DEMO_FRAME.columns)), lat: cornerLat(DEMO_FRAME, clamp(g.row, DEMO_FRAME.rows)) };
}

function summarise(cases: readonly SimulatedCase[], written: { events: number; stages: number }, appeals: number, days: readonly string[], started: number): HistorySummary {
  const byStatus: Record<string, number> = {};
  const count = (type: string) => cases.filter((c) => c.events.some((e) => e.type === type)).length;
  for (const c of cases) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  return {
    days: days.length - 1, from: days[0] ?? null, to: days[days.length - 1] ?? null, cases: cases.length, events: written.events, byStatus,
    stages: written.stages, stagesOverdue: cases.reduce((n, c) => n + c.stages.rows.filter((s) => s.overdueAt !== null || (s.endedAt !== null && !s.automatic && s.endedAt > s.dueAt)).length, 0),
    overdue: count('case.overdue'), escalated: count('case.escalated'), returned: count('case.returned'), reworked: count('case.reworked'),
    extended: count('case.extended'), merged: count('case.merged'), appeals, ms: Date.now() - started,
  };
}
