import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseScopeSql, cellsWithCountsSql } from '@wangge/geo';
import { startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell, pointOutsideWarden } from '../support/cases';

interface CellFeature {
  id: string;
  properties: { code: string; open: number; overdue: number };
}

/** The box around a point, a little over one cell each way. */
const around = (p: { lng: number; lat: number }) => [p.lng - 0.002, p.lat - 0.002, p.lng + 0.002, p.lat + 0.002].map((n) => n.toFixed(5)).join(',');

describe('GET /api/v1/grid/cells: open and overdue counts per cell, scoped to the caller', () => {
  let intake: RunningApp;
  let db: Client;
  let http: ReturnType<typeof api>;
  const auth: Record<string, string> = {};
  let inside: Awaited<ReturnType<typeof pointInWardenCell>>;
  let outside: Awaited<ReturnType<typeof pointOutsideWarden>>;
  const ids: string[] = [];

  const cells = async (who: string, bbox: string) => {
    const res = await http.get<{ features: CellFeature[] }>(`/api/v1/grid/cells?bbox=${bbox}`, auth[who]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return new Map(res.body.features.map((f) => [f.properties.code, f.properties]));
  };

  beforeAll(async () => {
    intake = await startIntake('map-layers');
    http = api(intake);
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    for (const who of ['operator', 'warden1', 'chief1']) auth[who] = await intake.bearer(who);
    inside = await pointInWardenCell(db, 'warden1');
    // A cell next to the warden's, outside their patrol, in the same box.
    const { rows } = await db.query(
      `SELECT gc.code, gc.street_code, ST_X(ST_PointOnSurface(gc.geom)) AS lng, ST_Y(ST_PointOnSurface(gc.geom)) AS lat
         FROM grid_cell gc JOIN grid_cell w ON w.code = $1 AND ST_DWithin(gc.geom, w.geom, 0.0015)
        WHERE NOT EXISTS (SELECT 1 FROM warden_cell x JOIN app_user u ON u.id = x.user_id WHERE x.cell_code = gc.code AND u.username = 'warden1')
        ORDER BY gc.code LIMIT 1`,
      [inside.cellCode],
    );
    outside = rows[0] ? { lng: rows[0].lng, lat: rows[0].lat, cellCode: rows[0].code, streetCode: rows[0].street_code } : await pointOutsideWarden(db, 'warden1');
    for (const p of [inside, inside, inside, outside]) {
      const res = await http.post<{ id: string }>('/api/v1/cases', { categoryCode: 'E0102', description: '暴露垃圾 garbage', location: { lng: p.lng, lat: p.lat } }, auth.operator);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    // One of the warden's cell is overdue, one closed (closed cases do not count).
    await db.query(`UPDATE case_file SET overdue = true WHERE id = $1`, [ids[0]]);
    await db.query(`UPDATE case_file SET status = 'closed', closed_at = now() WHERE id = $1`, [ids[2]]);
  });
  afterAll(async () => {
    await db?.end();
    await intake?.close();
  });

  it('the district sees every open case: open and overdue per cell, zero elsewhere', async () => {
    const m = await cells('operator', around(inside));
    expect(m.get(inside.cellCode)).toMatchObject({ open: 2, overdue: 1 });
    if (m.has(outside.cellCode)) expect(m.get(outside.cellCode)).toMatchObject({ open: 1, overdue: 0 });
    const others = [...m.entries()].filter(([code]) => code !== inside.cellCode && code !== outside.cellCode);
    expect(others.length).toBeGreaterThan(5);
    expect(others.every(([, p]) => p.open === 0 && p.overdue === 0)).toBe(true);
    const far = await cells('operator', around(outside));
    expect(far.get(outside.cellCode)).toMatchObject({ open: 1, overdue: 0 });
  });

  it('a warden counts only the cases in their own cells; a chief only what is assigned or escalated to them', async () => {
    const warden = await cells('warden1', around(inside));
    expect(warden.get(inside.cellCode)).toMatchObject({ open: 2, overdue: 1 });
    const wardenFar = await cells('warden1', around(outside));
    expect(wardenFar.get(outside.cellCode)).toMatchObject({ open: 0, overdue: 0 });

    const chief = await cells('chief1', around(inside));
    expect(chief.get(inside.cellCode)).toMatchObject({ open: 0, overdue: 0 });
    const chiefId = await chiefIdOf(db, 'chief1');
    await db.query(`UPDATE case_file SET escalated_to = ARRAY[$2::int] WHERE id = $1`, [ids[0], chiefId]);
    expect((await cells('chief1', around(inside))).get(inside.cellCode)).toMatchObject({ open: 1, overdue: 1 });
  });

  it('counts through the partial GiST index on open cases (EXPLAIN)', async () => {
    const params: unknown[] = [113.6, 34.65, 113.8, 34.85, 20001];
    const scope = caseScopeSql('k', { kind: 'district' }, (v) => `$${params.push(v)}`);
    await db.query('BEGIN');
    try {
      // the test database holds a handful of cases, so ask whether the index can serve, not whether it is cheapest
      await db.query('SET LOCAL enable_seqscan = off');
      const { rows } = await db.query(`EXPLAIN (FORMAT TEXT) ${cellsWithCountsSql(scope)}`, params);
      const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan (using|on) case_file_open_category_gist/);
      expect(plan).not.toMatch(/Seq Scan on case_file/);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
