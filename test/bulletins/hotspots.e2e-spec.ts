import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../cases/helpers/workflow';
import { craftCase, offset } from './crafted-cases';

const DAY = 86_400_000;

/** A point in one of the warden's cells at least 400 m from `p` (so two crafted places never meet). */
async function farFrom(w: World, warden: string, p: { lng: number; lat: number }) {
  const { rows } = await w.db.query(
    `SELECT gc.code AS "cellCode", ST_X(ST_PointOnSurface(gc.geom)) AS lng, ST_Y(ST_PointOnSurface(gc.geom)) AS lat
       FROM warden_cell wc JOIN app_user u ON u.id = wc.user_id JOIN grid_cell gc ON gc.code = wc.cell_code
      WHERE u.username = $1 AND ST_Distance(ST_PointOnSurface(gc.geom)::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) > 400
      ORDER BY gc.code LIMIT 1`,
    [warden, p.lng, p.lat],
  );
  return rows[0] as { lng: number; lat: number; cellCode: string };
}
const T0 = new Date('2026-10-01T02:00:00Z');
const day = (n: number, hours = 0) => new Date(T0.getTime() + n * DAY + hours * 3_600_000);

interface Feature {
  id: string;
  geometry: { type: string; coordinates: [number, number] };
  properties: {
    category: { code: string };
    caseCount: number;
    recurrences: number;
    firstReportedAt: string;
    lastReportedAt: string;
    street: { code: string };
    gridCell: { code: string };
    cases: { id: string; code: string }[];
  };
}
interface Layer {
  type: string;
  properties: { radiusM: number; windowDays: number };
  features: Feature[];
}

/**
 * Recurrence hotspots from crafted cases (HOTSPOT_RADIUS_M 50, HOTSPOT_WINDOW_DAYS 30): inside and
 * outside the radius and the window, other categories, merged duplicates, reports before the close,
 * chains of re-reports; the map layer's scoping and bad input.
 */
describe('recurrence hotspots (防反弹)', () => {
  let w: World;
  const ids: Record<string, string> = {};
  let P: { lng: number; lat: number; cellCode: string };
  let Q: { lng: number; lat: number; cellCode: string };
  let R: { lng: number; lat: number; cellCode: string };

  beforeAll(async () => {
    w = await startWorld('hotspots', { HOTSPOT_RADIUS_M: '50', HOTSPOT_WINDOW_DAYS: '30' });
    P = await w.point('warden1');
    Q = await farFrom(w, 'warden1', P);
    R = await w.point('warden2');
    const chief3 = w.chiefs.chief3;
    const closed = (p: { lng: number; lat: number }, cell: string, reported: Date, closedAt: Date, category = 'C0101', chief = chief3) =>
      craftCase(w.db, { ...p, cellCode: cell, category, status: 'closed', createdAt: reported, closedAt, assigneeChiefId: chief });
    const open = (p: { lng: number; lat: number }, cell: string, reported: Date, category = 'C0101', extra: Record<string, unknown> = {}) =>
      craftCase(w.db, { ...p, cellCode: cell, category, status: 'reported', createdAt: reported, ...extra });

    // At P: A closed on day 0; B 20 m away on day 10, same category → one hotspot {A, B}.
    ids.A = (await closed(P, P.cellCode, day(-3), day(0))).id;
    ids.B = (await open(offset(P, 20, 0), P.cellCode, day(10))).id;
    // Not recurrences of A: another category 20 m away, the same category 80 m away, 40 days after
    // the close, a merged duplicate, a report before the close, a rejected report.
    ids.otherCategory = (await open(offset(P, 0, 20), P.cellCode, day(10), 'E0102')).id;
    ids.far = (await open(offset(P, 80, 0), P.cellCode, day(10))).id;
    ids.late = (await open(offset(P, 5, 5), P.cellCode, day(40))).id;
    ids.merged = (await open(offset(P, 10, 0), P.cellCode, day(11), 'C0101', { status: 'merged', mergedInto: ids.B })).id;
    ids.before = (await open(offset(P, 0, 5), P.cellCode, day(-1))).id;
    ids.rejected = (await open(offset(P, 0, -5), P.cellCode, day(12), 'C0101', { status: 'rejected' })).id;
    // At Q: a chain. F closed day 0; G 10 m away reported day 5, closed day 6; H 30 m from F reported
    // day 12 (within 50 m of F and of G) → one hotspot {F, G, H} with three recurrences.
    ids.F = (await closed(Q, Q.cellCode, day(-2), day(0))).id;
    ids.G = (await closed(offset(Q, 10, 0), Q.cellCode, day(5), day(6))).id;
    ids.H = (await open(offset(Q, 30, 0), Q.cellCode, day(12))).id;
    // At R (warden2's street), category E0102: S closed day 1, T reported day 2 → a hotspot warden1 does not see.
    ids.S = (await closed(R, R.cellCode, day(0), day(1), 'E0102', w.chiefs.chief1)).id;
    ids.T = (await open(offset(R, 0, 15), R.cellCode, day(2), 'E0102')).id;
  });
  afterAll(async () => {
    await w?.close();
  });

  const layer = async (query: string, user = 'operator') => {
    const answer = await w.http.get<Layer>(`/api/v1/hotspots?${query}`, w.auth[user]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };
  const period = `from=${day(-5).toISOString()}&to=${day(60).toISOString()}`;
  const caseSets = (l: Layer) => l.features.map((f) => f.properties.cases.map((c) => c.id).sort()).sort((a, b) => b.length - a.length || a[0].localeCompare(b[0]));

  it('finds each place where a closed problem came back, and nothing else', async () => {
    const l = await layer(period);
    expect(l.type).toBe('FeatureCollection');
    expect(l.properties).toMatchObject({ radiusM: 50, windowDays: 30 });
    expect(caseSets(l)).toEqual(
      [[ids.F, ids.G, ids.H].sort(), [ids.A, ids.B].sort(), [ids.S, ids.T].sort()].sort((a, b) => b.length - a.length || a[0].localeCompare(b[0])),
    );
    const chain = l.features.find((f) => f.properties.cases.some((c) => c.id === ids.H))!;
    expect(chain.properties).toMatchObject({ caseCount: 3, recurrences: 3, category: { code: 'C0101' }, gridCell: { code: Q.cellCode } });
    expect(chain.properties.firstReportedAt).toBe(day(-2).toISOString());
    expect(chain.properties.lastReportedAt).toBe(day(12).toISOString());
    // The centre is the mean of the three points: 10 and 30 m east of Q → about 13 m east.
    const [lng, lat] = chain.geometry.coordinates;
    expect(chain.geometry.type).toBe('Point');
    expect(Math.abs(lat - Q.lat)).toBeLessThan(1e-6);
    expect((lng - Q.lng) * 111_320 * Math.cos((Q.lat * Math.PI) / 180)).toBeCloseTo(40 / 3, 0);
    const ab = l.features.find((f) => f.properties.cases.some((c) => c.id === ids.A))!;
    expect(ab.properties).toMatchObject({ caseCount: 2, recurrences: 1 });
  });

  it('counts a re-report only when it falls in from..to', async () => {
    // Only day 10..11: B (re-report of A) is in; H (day 12) and T (day 2) are not, G (day 5) is not.
    const l = await layer(`from=${day(9).toISOString()}&to=${day(11).toISOString()}`);
    expect(caseSets(l)).toEqual([[ids.A, ids.B].sort()]);
    // Day 4..7: G's re-report of F (day 5) only.
    expect(caseSets(await layer(`from=${day(4).toISOString()}&to=${day(7).toISOString()}`))).toEqual([[ids.F, ids.G].sort()]);
  });

  it('a bigger radius or window finds more; a smaller one less', async () => {
    const svc = (await import('@wangge/workflow')).RecurrenceHotspotsService;
    const hotspots = w.app.app.get(svc, { strict: false });
    const base = { from: day(-5), to: day(60), caller: { id: null, role: 'leader' as const, streetCode: null, chiefId: null, cellCodes: new Set<string>() } };
    const wide = await hotspots.find({ ...base, radiusM: 100, windowDays: 30 });
    expect(wide.find((h) => h.cases.some((c) => c.id === ids.A))!.cases.map((c) => c.id)).toContain(ids.far);
    const long = await hotspots.find({ ...base, radiusM: 50, windowDays: 45 });
    expect(long.find((h) => h.cases.some((c) => c.id === ids.A))!.cases.map((c) => c.id)).toContain(ids.late);
    const tight = await hotspots.find({ ...base, radiusM: 15, windowDays: 30 });
    // A–B are 20 m apart: gone; F–G 10 m: kept, H (20 m from G, 30 m from F) drops out.
    expect(tight.map((h) => h.cases.map((c) => c.id).sort())).toEqual([[ids.F, ids.G].sort()]);
  });

  it('is scoped like cases: a warden sees the hotspots in their cells, a chief those of their cases', async () => {
    const mine = await layer(period, 'warden1');
    expect(mine.features.map((f) => f.properties.category.code).sort()).toEqual(['C0101', 'C0101']);
    const other = await layer(period, 'warden2');
    expect(caseSets(other)).toEqual([[ids.S, ids.T].sort()]);
    // chief1 had S only: a hotspot needs both cases in scope (T is not assigned to anyone).
    expect((await layer(period, 'chief1')).features).toEqual([]);
    await w.db.query(`UPDATE case_file SET assignee_chief_id = $1, status = 'dispatched' WHERE id = $2`, [w.chiefs.chief1, ids.T]);
    expect(caseSets(await layer(period, 'chief1'))).toEqual([[ids.S, ids.T].sort()]);
    expect(caseSets(await layer(period, 'leader'))).toHaveLength(3);
  });

  it('cuts by bbox', async () => {
    const box = (p: { lng: number; lat: number }, m = 0.002) => `${p.lng - m},${p.lat - m},${p.lng + m},${p.lat + m}`;
    const l = await layer(`${period}&bbox=${box(R)}`);
    expect(caseSets(l)).toEqual([[ids.S, ids.T].sort()]);
  });

  it('refuses bad input naming the field, and callers without a token', async () => {
    const bad = async (query: string, field: string) => {
      const a = await w.http.get(`/api/v1/hotspots?${query}`, w.auth.operator);
      expect(a.status, query).toBe(400);
      expect(a.body.details?.map((d) => d.field), query).toContain(field);
    };
    await bad('bbox=1,2,3', 'bbox');
    await bad('bbox=3,2,1,4', 'bbox');
    await bad('from=2026-13-01', 'from');
    await bad('from=yesterday', 'from');
    await bad('from=2026-10-05&to=2026-10-01', 'to');
    await bad('from=2020-01-01&to=2026-01-01', 'from');
    await bad('limit=0', 'limit');
    await bad('color=red', 'color');
    expect((await w.http.get('/api/v1/hotspots')).status).toBe(401);
  });
});
