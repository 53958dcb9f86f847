import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { caseScopeSql, type CasePrincipal } from '@wangge/auth';
import { cellsWithCountsSql, MapLayersService, TilesUnavailableError } from '@wangge/geo';
import { CaseMapLayers, openCasesPerCellSql } from '@wangge/workflow';
import { startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell, pointOutsideWarden } from '../support/cases';

/** A district-wide caller, as the access model sees one. */
const DISTRICT_LEADER: CasePrincipal = { id: null, role: 'leader', streetCode: null, chiefId: null, cellCodes: new Set() };

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
    const scope = caseScopeSql(DISTRICT_LEADER, 'k', (v) => `$${params.push(v)}`);
    await db.query('BEGIN');
    try {
      // the test database holds a handful of cases, so ask whether the index can serve, not whether it is cheapest
      await db.query('SET LOCAL enable_seqscan = off');
      const { rows } = await db.query(`EXPLAIN (FORMAT TEXT) ${cellsWithCountsSql(openCasesPerCellSql(scope))}`, params);
      const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan (using|on) case_file_open_category_gist/);
      expect(plan).not.toMatch(/Seq Scan on case_file/);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});

describe('GET /api/v1/tiles/{z}/{x}/{y}.mvt: vector tiles of cells and roads', () => {
  let intake: RunningApp;
  let db: Client;
  let http: ReturnType<typeof api>;
  const auth: Record<string, string> = {};
  let inside: Awaited<ReturnType<typeof pointInWardenCell>>;

  /** The tile holding a point at zoom z. */
  const tileOf = (z: number, p: { lng: number; lat: number }) => {
    const n = 2 ** z;
    const lat = (p.lat * Math.PI) / 180;
    return { z, x: Math.floor(((p.lng + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n) };
  };
  const fetchTile = async (t: { z: number; x: number; y: number }, who = 'operator') => {
    const res = await fetch(`${intake.baseUrl}/api/v1/tiles/${t.z}/${t.x}/${t.y}.mvt`, { headers: auth[who] ? { authorization: auth[who] } : {} });
    return { res, buf: Buffer.from(await res.arrayBuffer()) };
  };
  const decode = (buf: Buffer) => new VectorTile(new PbfReader(buf));
  const features = (tile: VectorTile, layer: string) => {
    const l = tile.layers[layer];
    return l ? Array.from({ length: l.length }, (_, i) => l.feature(i)) : [];
  };

  beforeAll(async () => {
    intake = await startIntake('tiles');
    http = api(intake);
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    for (const who of ['operator', 'warden1', 'chief1']) auth[who] = await intake.bearer(who);
    inside = await pointInWardenCell(db, 'warden1');
    for (const overdue of [true, false]) {
      const res = await http.post<{ id: string }>('/api/v1/cases', { categoryCode: 'E0102', description: '暴露垃圾 garbage', location: { lng: inside.lng, lat: inside.lat } }, auth.operator);
      expect(res.status).toBe(201);
      if (overdue) await db.query(`UPDATE case_file SET overdue = true WHERE id = $1`, [res.body.id]);
    }
  });
  afterAll(async () => {
    await db?.end();
    await intake?.close();
  });

  it('draws the whole district at the wall-screen zoom: every cell once (with its counts) and the roads with their chiefs', async () => {
    const { rows } = await db.query(`SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n, (SELECT count(*)::int FROM grid_cell) AS cells FROM (SELECT ST_Extent(geom) AS e FROM grid_cell) q`);
    const ext = rows[0] as { w: number; s: number; e: number; n: number; cells: number };
    const z = 12;
    const a = tileOf(z, { lng: ext.w, lat: ext.n });
    const b = tileOf(z, { lng: ext.e, lat: ext.s });
    const codes = new Set<string>();
    const roadNames = new Set<string>();
    let withThreeChiefs = 0;
    for (let x = a.x; x <= b.x; x++) {
      for (let y = a.y; y <= b.y; y++) {
        const { res, buf } = await fetchTile({ z, x, y });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
        expect(res.headers.get('cache-control')).toBe('private, max-age=30');
        const tile = decode(buf);
        for (const f of features(tile, 'cells')) {
          expect(f.type).toBe(3); // polygon
          codes.add(String(f.properties.code));
          if (f.properties.code === inside.cellCode) expect(f.properties).toMatchObject({ open: 2, overdue: 1, street: inside.streetCode });
        }
        for (const f of features(tile, 'roads')) {
          expect(f.type).toBe(2); // line
          roadNames.add(String(f.properties.name));
          if (f.properties.chief1 && f.properties.chief2 && f.properties.chief3) withThreeChiefs++;
          expect(JSON.parse(String(f.properties.chiefs))).toBeInstanceOf(Array);
        }
      }
    }
    expect(codes.size).toBe(ext.cells);
    expect(codes.has(inside.cellCode)).toBe(true);
    expect(roadNames).toContain('文治路');
    expect(withThreeChiefs).toBeGreaterThan(0);
  });

  it('counts only what the caller may see; a tile outside the district is empty; below zoom 10 only roads', async () => {
    const t = tileOf(15, inside);
    const cell = (tile: VectorTile) => features(tile, 'cells').find((f) => f.properties.code === inside.cellCode)?.properties;
    expect(cell(decode((await fetchTile(t, 'operator')).buf))).toMatchObject({ open: 2, overdue: 1 });
    expect(cell(decode((await fetchTile(t, 'warden1')).buf))).toMatchObject({ open: 2, overdue: 1 });
    expect(cell(decode((await fetchTile(t, 'chief1')).buf))).toMatchObject({ open: 0, overdue: 0 });

    const far = await fetchTile({ z: 15, x: 0, y: 0 });
    expect(far.res.status).toBe(200);
    expect(Object.keys(decode(far.buf).layers)).toEqual([]);

    const low = decode((await fetchTile(tileOf(8, inside))).buf);
    expect(Object.keys(low.layers)).toEqual(['roads']);
  });

  it('refuses a bad address with 400 naming the field, and a caller with no token with 401', async () => {
    for (const [path, field] of [
      ['23/0/0.mvt', 'z'],
      ['x/0/0.mvt', 'z'],
      ['2/4/0.mvt', 'x'],
      ['2/-1/0.mvt', 'x'],
      ['2/0/4.mvt', 'y'],
      ['2/0/1.5.mvt', 'y'],
      ['2/0/1.png', 'y'],
    ] as const) {
      const res = await http.get(`/api/v1/tiles/${path}`, auth.operator);
      expect(res.status, path).toBe(400);
      expect(res.body.details?.map((d) => d.field), path).toContain(field);
    }
    const anonymous = await fetchTile({ z: 12, x: 3341, y: 1626 }, 'nobody');
    expect(anonymous.res.status).toBe(401);
  });
});

describe('vector tiles on the embedded PostgreSQL (PGlite PostGIS, built without protobuf-c)', () => {
  it('CaseMapLayers.tile answers TilesUnavailableError (the API turns it into 501 for the console to fall back to GeoJSON)', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { postgis } = await import('@electric-sql/pglite-postgis');
    const pg = await PGlite.create({ extensions: { postgis } });
    try {
      await pg.exec('CREATE EXTENSION postgis');
      // the service reads through TypeORM's DataSource.query: the same call on PGlite
      const db = { query: async (sql: string, params?: unknown[]) => (await pg.query(sql, params)).rows } as unknown as DataSource;
      const layers = new CaseMapLayers(db, new MapLayersService(db));
      const err = await layers.tile(12, 3341, 1626, DISTRICT_LEADER).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TilesUnavailableError);
      expect((err as Error).message).toMatch(/protobuf/);
      // asked once: the second call answers the same without another probe failing differently
      await expect(layers.tile(0, 0, 0, DISTRICT_LEADER)).rejects.toBeInstanceOf(TilesUnavailableError);
    } finally {
      await pg.close();
    }
  }, 120_000);
});
