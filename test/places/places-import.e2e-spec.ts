import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { startIntake, type RunningApp } from '../support/apps';
import { addStreetAdmin, api, STREET_ADMIN, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';

interface Report {
  dryRun: boolean;
  format: string;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  places: { row: string; action: string; id: string; code: string | null; name: string; street: { code: string } }[];
  problems: { file: string; feature: string; problem: string }[];
  groups: { problem: string; count: number }[];
}
interface Refusal {
  error: string;
  details: { field: string; problem: string }[];
  groups: { problem: string; count: number; examples: { feature: string; problem: string }[] }[];
}

/**
 * Issue 17 item 1: places imported from a CSV (GCJ-02 from AMap) or a GeoJSON file, all or nothing,
 * with a dry run; each row registered through the places' own path (located, held by the caller's
 * jurisdiction, joining plans by kind); re-importing creates nothing new. Real PostgreSQL + PostGIS
 * and Redis, the intake in process.
 */
describe('places import', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let http: ReturnType<typeof api>;
  const clock = new ManualClock(new Date('2027-03-01T08:00:00+08:00'));
  const auth: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let street1 = '';
  let street2 = '';
  let planId = '';

  const sql = <T>(text: string, params: unknown[] = []) => withDb(intake.databaseUrl, async (db) => (await db.query(text, params)).rows as T[]);
  const pointIn = async (street: string, n: number) => {
    const [r] = await sql<{ lng: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid_cell WHERE street_code = $1 ORDER BY code OFFSET $2 LIMIT 1`,
      [street, n],
    );
    return r;
  };
  const gcj = (p: { lng: number; lat: number }) => gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  /** The file as a multipart upload, as the console sends it. */
  const upload = async <T>(name: string, content: string, fields: Record<string, string>, token: string, query = '') => {
    const form = new FormData();
    form.append('file', new Blob([content]), name);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const res = await fetch(`${intake.baseUrl}/api/v1/places/import${query}`, { method: 'POST', headers: { authorization: token }, body: form });
    const text = await res.text();
    return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : { raw: text }) as T, text };
  };
  const counts = async () =>
    (
      await sql<{ places: number; audits: number; due: number }>(
        `SELECT (SELECT count(*)::int FROM place) AS places, (SELECT count(*)::int FROM audit_entry) AS audits, (SELECT count(*)::int FROM inspection_due) AS due`,
      )
    )[0];

  let csv = '';

  beforeAll(async () => {
    redis = await startRedisServer();
    intake = await startIntake('places-import', { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50' }, { clock });
    http = api(intake);
    await withDb(intake.databaseUrl, async (db) => {
      street1 = await addStreetAdmin(db);
      street2 = (await db.query(`SELECT code FROM street WHERE code <> $1 ORDER BY code LIMIT 1`, [street1])).rows[0].code;
      const { rows } = await db.query(`SELECT id, username FROM app_user WHERE username = ANY($1)`, [['leader', 'warden1']]);
      for (const r of rows as { id: string; username: string }[]) ids[r.username] = r.id;
    });
    for (const u of ['leader', 'warden1']) auth[u] = await intake.bearer(u);
    auth.streetAdmin = await intake.bearer(STREET_ADMIN.username, STREET_ADMIN.password);
    const checklistId = (await http.get<{ id: string; name: string }[]>('/api/v1/checklists', auth.leader)).body.find((c) => c.name === '工地"8个100%"')!.id;
    // A plan by kind needs a place of its kind: one registered by hand first.
    const first = await pointIn(street2, 2);
    const existing = await http.post('/api/v1/places', { kind: 'site', name: '已登记工地', geometry: { type: 'Point', coordinates: [first.lng, first.lat] }, responsibleId: ids.warden1 }, auth.leader);
    expect(existing.status, JSON.stringify(existing.body)).toBe(201);
    const plan = await http.post<{ id: string }>('/api/v1/inspection-plans', { checklistId, placeKind: 'site', every: 'PT4H', from: '2027-03-01T08:00:00+08:00' }, auth.leader);
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    planId = plan.body.id;
    const [a, b, c] = [gcj(await pointIn(street1, 0)), gcj(await pointIn(street1, 1)), gcj(await pointIn(street2, 0))];
    csv =
      '\uFEFFkind,name,lng,lat,address,owner_name,owner_phone,responsible,code\r\n' +
      `工地,东区一号工地,${a[0]},${a[1]},建设路1号,中建三局,0371-1234567,warden1,GD-001\r\n` +
      `市场,人民路农贸市场,${b[0]},${b[1]},人民路8号,,,,SC-001\r\n` +
      `checkpoint,北环卡点,${c[0]},${c[1]},,,,,\r\n`;
  });
  afterAll(async () => {
    await intake?.close();
    await redis?.close();
  });

  it('a warden may not import places', async () => {
    const r = await upload('places.csv', 'kind,name,lng,lat\r\n', {}, auth.warden1);
    expect(r.status).toBe(403);
  });

  it('a file larger than 5 MB is refused as too large; a 2 MB one is read (more than the default body limit)', async () => {
    const big = await upload<{ error: string }>('big.csv', 'kind,name,lng,lat\n' + 'x'.repeat(5 * 1024 * 1024 + 10), {}, auth.leader);
    expect(big.status, big.text).toBe(413);
    expect(big.body.error).toBe('payload_too_large');
    const large = await upload<Report>('large.csv', 'kind,name,lng,lat\n' + `site,${'x'.repeat(2 * 1024 * 1024)},113.6,34.7\n`, {}, auth.leader, '?dryRun=true');
    expect(large.status, large.text.slice(0, 300)).toBe(200);
    expect(large.body.problems.map((p) => p.problem)).toEqual(['name: at most 200 characters']);
  });

  it('a dry run answers what the CSV would create and writes nothing', async () => {
    const before = await counts();
    const r = await upload<Report>('places.csv', csv, { coordSystem: 'gcj02' }, auth.leader, '?dryRun=true');
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ dryRun: true, format: 'csv', records: 3, created: 3, updated: 0, unchanged: 0, problems: [] });
    expect(r.body.places.map((p) => [p.row, p.action])).toEqual([
      ['line 2 (东区一号工地)', 'created'],
      ['line 3 (人民路农贸市场)', 'created'],
      ['line 4 (北环卡点)', 'created'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('a CSV of three places in GCJ-02 is imported: converted to WGS84, located, the site joins the kind plan due at once, one place.import audit', async () => {
    const r = await upload<Report>('places.csv', csv, { coordSystem: 'gcj02' }, auth.leader);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ dryRun: false, created: 3, updated: 0, unchanged: 0 });
    const site = r.body.places[0];
    const [row] = await sql<{ kind: string; code: string; street_code: string; lng: number; lat: number; responsible_id: string; owner_name: string; address: string }>(
      `SELECT kind, code, street_code, ST_X(point) AS lng, ST_Y(point) AS lat, responsible_id, owner_name, address FROM place WHERE id = $1`,
      [site.id],
    );
    const wgs = await pointIn(street1, 0);
    expect(row).toMatchObject({ kind: 'site', code: 'GD-001', street_code: street1, responsible_id: ids.warden1, owner_name: '中建三局', address: '建设路1号' });
    expect(Math.abs(row.lng - wgs.lng)).toBeLessThan(1e-5);
    expect(Math.abs(row.lat - wgs.lat)).toBeLessThan(1e-5);
    const due = await sql<{ state: string; assignee_ids: string[]; slot_start: Date }>(`SELECT state, assignee_ids, slot_start FROM inspection_due WHERE plan_id = $1 AND place_id = $2`, [planId, site.id]);
    expect(due.map((d) => [d.state, d.assignee_ids, new Date(d.slot_start).getTime()])).toEqual([['due', [ids.warden1], clock.now().getTime()]]);
    const audits = await sql<{ action: string; entity_id: string; after: { created: number; placeIds: string[] } }>(
      `SELECT action, entity_id, after FROM audit_entry WHERE action IN ('place.import', 'place.create') ORDER BY id`,
    );
    const created = r.body.places.map((p) => p.id);
    expect(audits.filter((a) => a.action === 'place.create' && created.includes(a.entity_id))).toHaveLength(3);
    const imp = audits.filter((a) => a.action === 'place.import');
    expect(imp).toHaveLength(1);
    expect(imp[0].after).toMatchObject({ created: 3, placeIds: r.body.places.map((p) => p.id) });
  });

  it('the same file twice creates nothing new; a changed name updates the place of that code', async () => {
    const before = await counts();
    const again = await upload<Report>('places.csv', csv, { coordSystem: 'gcj02' }, auth.leader);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect((await counts()).places).toBe(before.places);

    const renamed = await upload<Report>('places.csv', csv.replace('人民路农贸市场', '人民路综合市场'), { coordSystem: 'gcj02' }, auth.leader);
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const market = renamed.body.places.find((p) => p.code === 'SC-001')!;
    expect(market.action).toBe('updated');
    const [row] = await sql<{ name: string }>(`SELECT name FROM place WHERE code = 'SC-001'`);
    expect(row.name).toBe('人民路综合市场');
    expect((await counts()).places).toBe(before.places);
    const [upd] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'place.update' AND entity_id = $1`, [market.id]);
    expect(upd.n).toBe(1);
  });

  it('a GeoJSON file with a polygon is imported as a polygon', async () => {
    const p = await pointIn(street1, 2);
    const d = 0.0003;
    const ring = [[p.lng - d, p.lat - d], [p.lng + d, p.lat - d], [p.lng + d, p.lat + d], [p.lng - d, p.lat + d], [p.lng - d, p.lat - d]];
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { kind: 'enterprise', name: '郑州某化工企业', ownerName: '张三', code: 'QY-7' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [p.lng, p.lat] }, properties: { kind: '卡点', name: '化工厂门口卡点' } },
      ],
    });
    const r = await upload<Report>('enterprises.geojson', geojson, {}, auth.leader);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ format: 'geojson', created: 2 });
    const [row] = await sql<{ type: string; kind: string; owner_name: string }>(`SELECT GeometryType(geom) AS type, kind, owner_name FROM place WHERE code = 'QY-7'`);
    expect(row).toEqual({ type: 'POLYGON', kind: 'enterprise', owner_name: '张三' });
    const again = await upload<Report>('enterprises.geojson', geojson, {}, auth.leader);
    expect(again.body).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('a file with bad rows writes nothing and names each row and field, grouped', async () => {
    const before = await counts();
    const ok = await pointIn(street1, 3);
    const bad =
      'kind,name,lng,lat,responsible\n' +
      `site,好工地,${ok.lng},${ok.lat},\n` +
      `花园,未知种类,${ok.lng},${ok.lat},\n` +
      `market,区外市场,10.5,10.5,\n` +
      `site,无名之人工地,${ok.lng},${ok.lat},nobody_here\n`;
    const r = await upload<Refusal>('bad.csv', bad, {}, auth.leader);
    expect(r.status, r.text).toBe(422);
    expect(r.body.error).toBe('import_rejected');
    expect(r.body.details).toEqual([
      { field: 'bad.csv:line 3 (未知种类)', problem: expect.stringMatching(/^kind: unknown kind "花园"/) },
      { field: 'bad.csv:line 4 (区外市场)', problem: 'geometry: outside the district' },
      { field: 'bad.csv:line 5 (无名之人工地)', problem: 'responsible: no active person with username nobody_here' },
    ]);
    expect(r.body.groups.reduce((n, g) => n + g.count, 0)).toBe(3);
    expect(await counts()).toEqual(before);
    expect((await sql(`SELECT 1 FROM place WHERE name = '好工地'`)).length).toBe(0);

    const asCsv = await upload<unknown>('bad.csv', bad, {}, auth.leader, '?format=csv');
    expect(asCsv.status).toBe(422);
    expect(asCsv.text).toContain('line 4 (区外市场)');

    const preview = await upload<Report>('bad.csv', bad, {}, auth.leader, '?dryRun=true');
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, created: 1 });
    expect(preview.body.problems).toHaveLength(3);
    expect(await counts()).toEqual(before);
  });

  it("a street admin's row in another street is refused for that row, nothing written", async () => {
    const before = await counts();
    const [mine, other] = [await pointIn(street1, 4), await pointIn(street2, 1)];
    const file = `kind,name,lng,lat\nsite,本街道工地,${mine.lng},${mine.lat}\nsite,别街道工地,${other.lng},${other.lat}\n`;
    const r = await upload<Refusal>('street.csv', file, {}, auth.streetAdmin);
    expect(r.status, r.text).toBe(422);
    expect(r.body.details).toEqual([{ field: 'street.csv:line 3 (别街道工地)', problem: 'geometry: outside your jurisdiction' }]);
    expect(await counts()).toEqual(before);
    const json = await http.post<Report>('/api/v1/places/import', { name: 'street.csv', content: file.split('\n').slice(0, 2).join('\n') }, auth.streetAdmin);
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    expect(json.body).toMatchObject({ created: 1 });
  });
});
