import gcoord from 'gcoord';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { addStreetOperator, api, pointInWardenCell, pointOutsideWarden, STREET_OPERATOR, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { until } from '../support/until';

interface PlaceBody {
  id: string;
  kind: string;
  name: string;
  point: { lng: number; lat: number };
  gridCell: { code: string };
  street: { code: string };
  chief: { id: number; name: string } | null;
  compliance: 'compliant' | 'non_compliant';
  openCaseIds: string[];
}
interface InspectionBody {
  id: string;
  offSite: boolean;
  distanceM: number;
  failed: number;
  checklist: { id: string; version: number };
  results: { code: string; passed: boolean; caseId: string | null }[];
}
interface ChecklistBody {
  id: string;
  name: string;
  version: number;
  items: { code: string; categoryCode: string; photoRequired: boolean }[];
}
interface CaseBody {
  id: string;
  status: string;
  category: { code: string };
  assignee: { id: number } | null;
  gridCell: { code: string };
}

/** A point `east` metres east of p. */
const east = (p: { lng: number; lat: number }, metres: number) => ({ lng: p.lng + metres / (111_320 * Math.cos((p.lat * Math.PI) / 180)), lat: p.lat });

/**
 * Places, checklists and inspection records (domain.md 8, issue 17 items 1-3) over HTTP, on real
 * PostgreSQL + PostGIS and Redis, with a dispatcher that routes the cases failed items open.
 */
describe('places, checklists and inspections', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let http: ReturnType<typeof api>;
  const auth: Record<string, string> = {};
  let site: PlaceBody;
  let eight: ChecklistBody;

  const count = (table: string) => withDb(intake.databaseUrl, async (db) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));
  const photo = async (seed: number) => {
    const bytes = await sharp(Buffer.alloc(24 * 16 * 3).map((_, i) => (i * 31 + seed * 17) % 251), { raw: { width: 24, height: 16, channels: 3 } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), `p${seed}.png`);
    const res = await fetch(`${intake.baseUrl}/api/v1/media`, { method: 'POST', body: form, headers: { authorization: auth.warden1 } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  /** Every item passed but those named, which fail with a photo each. */
  const results = async (failing: string[]) =>
    Promise.all(eight.items.map(async (i, n) => (failing.includes(i.code) ? { code: i.code, passed: false, note: `不合格 ${i.code}`, mediaIds: [await photo(n)] } : { code: i.code, passed: true })));

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50' };
    intake = await startIntake('places', env);
    dispatcher = await startDispatcher(intake.databaseUrl, env);
    http = api(intake);
    await withDb(intake.databaseUrl, (db) => addStreetOperator(db));
    for (const u of ['admin', 'leader', 'operator', 'warden1', 'warden2', 'chief1', 'chief2', 'chief3']) auth[u] = await intake.bearer(u);
    auth.streetOperator = await intake.bearer(STREET_OPERATOR.username, STREET_OPERATOR.password);
    const lists = await http.get<ChecklistBody[]>('/api/v1/checklists', auth.warden1);
    eight = lists.body.find((c) => c.name === '工地"8个100%"')!;
  });
  afterAll(async () => {
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  describe('places', () => {
    it('registers a site where it lies: cell, street and the chief routing names there', async () => {
      const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 0));
      const created = await http.post<PlaceBody>(
        '/api/v1/places',
        { kind: 'site', name: '测试工地一号', geometry: { type: 'Point', coordinates: [p.lng, p.lat] }, address: '某路 1 号', owner: { name: '中建项目部', phone: '13800000000' } },
        auth.leader,
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      site = created.body;
      expect(site).toMatchObject({ kind: 'site', gridCell: { code: p.cellCode }, street: { code: p.streetCode }, compliance: 'compliant', openCaseIds: [] });
      expect(site.chief).not.toBeNull();
      const located = await http.get<{ assignee: { id: number } }>(`/api/v1/locate?lng=${p.lng}&lat=${p.lat}`, auth.operator);
      expect(site.chief!.id).toBe(located.body.assignee.id);
    });

    it('takes a polygon, and GCJ-02 coordinates converted to WGS84', async () => {
      const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 1));
      const d = 0.0002;
      const ring = [[p.lng - d, p.lat - d], [p.lng + d, p.lat - d], [p.lng + d, p.lat + d], [p.lng - d, p.lat + d], [p.lng - d, p.lat - d]];
      const polygon = await http.post<PlaceBody & { geometry: { type: string } }>('/api/v1/places', { kind: 'market', name: '测试市场', geometry: { type: 'Polygon', coordinates: [ring] } }, auth.leader);
      expect(polygon.status, JSON.stringify(polygon.body)).toBe(201);
      expect(polygon.body.geometry.type).toBe('Polygon');
      expect(polygon.body.point.lng).toBeCloseTo(p.lng, 3);

      // The same ground in GCJ-02 (as Amap gives it) is some hundreds of metres off in WGS84 numbers: converted back, it lands on p.
      const [gx, gy] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02);
      const gcj = await http.post<PlaceBody>('/api/v1/places', { kind: 'checkpoint', name: '测试卡点', geometry: { type: 'Point', coordinates: [gx, gy] }, coordSystem: 'gcj02' }, auth.leader);
      expect(gcj.status, JSON.stringify(gcj.body)).toBe(201);
      expect(gcj.body.point.lng).toBeCloseTo(p.lng, 5);
      expect(gcj.body.point.lat).toBeCloseTo(p.lat, 5);
    });

    it('refuses bad input naming the field, and writes nothing', async () => {
      const before = await count('place');
      const p = site.point;
      const cases: [unknown, number, string][] = [
        [{ kind: 'palace', name: 'x', geometry: { type: 'Point', coordinates: [p.lng, p.lat] } }, 400, 'kind'],
        [{ kind: 'site', name: 'x', geometry: { type: 'LineString', coordinates: [[p.lng, p.lat], [p.lng, p.lat + 0.001]] } }, 400, 'geometry'],
        [{ kind: 'site', name: 'x', geometry: { type: 'Point', coordinates: [500, p.lat] } }, 400, 'geometry'],
        [{ kind: 'site', name: 'x', geometry: { type: 'Polygon', coordinates: [[[p.lng, p.lat], [p.lng + 0.001, p.lat], [p.lng, p.lat + 0.001], [p.lng, p.lat + 0.002]]] } }, 400, 'geometry'],
        [{ kind: 'site', name: 'x', geometry: { type: 'Polygon', coordinates: [[[p.lng, p.lat], [p.lng + 0.001, p.lat + 0.001], [p.lng + 0.001, p.lat], [p.lng, p.lat + 0.001], [p.lng, p.lat]]] } }, 400, 'geometry'],
        [{ kind: 'site', name: 'x', geometry: 'POINT(1 2)' }, 400, 'geometry'],
        [{ kind: 'site', name: 'x', geometry: { type: 'Point', coordinates: [0.5, 0.5] } }, 422, 'geometry'],
        [{ kind: 'site', name: 'x', geometry: { type: 'Point', coordinates: [p.lng, p.lat] }, responsibleId: '00000000-0000-4000-8000-000000000000' }, 422, 'responsibleId'],
        [{ kind: 'site', name: '', geometry: { type: 'Point', coordinates: [p.lng, p.lat] } }, 400, 'name'],
      ];
      for (const [body, status, field] of cases) {
        const answer = await http.post('/api/v1/places', body, auth.leader);
        expect(answer.status, JSON.stringify(answer.body)).toBe(status);
        expect(answer.body.details?.map((d) => d.field)).toContain(field);
      }
      expect(await count('place')).toBe(before);
    });

    it('changes a place and locates it again when its geometry moves', async () => {
      const q = await withDb(intake.databaseUrl, (db) => pointOutsideWarden(db, 'warden1'));
      const made = await http.post<PlaceBody>('/api/v1/places', { kind: 'enterprise', name: '搬迁企业', geometry: { type: 'Point', coordinates: [site.point.lng, site.point.lat] } }, auth.operator);
      const moved = await http.call<PlaceBody>('PATCH', `/api/v1/places/${made.body.id}`, { auth: auth.operator, body: { geometry: { type: 'Point', coordinates: [q.lng, q.lat] }, name: '搬迁企业（新址）' } });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(moved.body).toMatchObject({ name: '搬迁企业（新址）', gridCell: { code: q.cellCode } });
      const trail = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT action, actor_username FROM audit_entry WHERE entity = 'place' AND entity_id = $1 ORDER BY id`, [made.body.id])).rows);
      expect(trail).toEqual([{ action: 'place.create', actor_username: 'operator' }, { action: 'place.update', actor_username: 'operator' }]);
      const bad = await http.call('PATCH', `/api/v1/places/${made.body.id}`, { auth: auth.operator, body: { kind: 'castle' } });
      expect(bad.status).toBe(400);
    });
  });

  describe('checklists', () => {
    it('ship with the catalogue: 8个100%, 卡点值守 and 市场巡查, each item naming an active category', async () => {
      const lists = (await http.get<ChecklistBody[]>('/api/v1/checklists', auth.warden1)).body;
      expect(lists.map((l) => l.name).sort()).toEqual(expect.arrayContaining(['工地"8个100%"', '卡点值守', '市场巡查']));
      expect(eight.items.map((i) => i.code)).toEqual(['hoarding', 'cover', 'washing', 'hardened', 'wet-work', 'muck-trucks', 'monitoring', 'machinery']);
      const categories = new Set((await http.get<{ code: string }[]>('/api/v1/categories', auth.warden1)).body.map((c) => c.code));
      for (const l of lists) for (const i of l.items) expect(categories.has(i.categoryCode), `${l.name} ${i.code} ${i.categoryCode}`).toBe(true);
    });

    it('a changed list is a new version; the same list again is the version in force; an unknown category is refused', async () => {
      const items = [{ code: 'a', text: '项目一', categoryCode: 'E0302' }];
      const v1 = await http.post<ChecklistBody>('/api/v1/checklists', { name: '测试检查表', items }, auth.admin);
      expect(v1.status, JSON.stringify(v1.body)).toBe(201);
      const again = await http.post<ChecklistBody>('/api/v1/checklists', { name: '测试检查表', items }, auth.admin);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(v1.body.id);
      const v2 = await http.post<ChecklistBody>('/api/v1/checklists', { name: '测试检查表', items: [...items, { code: 'b', text: '项目二', categoryCode: 'E0304', photoRequired: true }] }, auth.admin);
      expect(v2.status).toBe(201);
      expect(v2.body.version).toBe(2);
      expect((await http.get<ChecklistBody>(`/api/v1/checklists/${v1.body.id}`, auth.warden1)).body.items).toHaveLength(1);
      const audited = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT entity_id FROM audit_entry WHERE action = 'checklist.create' ORDER BY id`)).rows.map((r) => r.entity_id));
      expect(audited).toEqual([v1.body.id, v2.body.id]);

      const before = await count('checklist');
      const unknown = await http.post('/api/v1/checklists', { name: '测试检查表', items: [{ code: 'a', text: 'x', categoryCode: 'E0999' }] }, auth.admin);
      expect(unknown.status).toBe(422);
      expect(unknown.body.details?.[0].field).toBe('items[0].categoryCode');
      const twice = await http.post('/api/v1/checklists', { name: '测试检查表', items: [items[0], items[0]] }, auth.admin);
      expect(twice.status).toBe(400);
      expect(twice.body.details?.[0].field).toBe('items[1].code');
      expect((await http.post('/api/v1/checklists', { name: '测试检查表', items }, auth.warden1)).status).toBe(403);
      expect(await count('checklist')).toBe(before);
    });
  });

  describe('inspections', () => {
    let inspection: InspectionBody;
    let body: Record<string, unknown>;

    it('two failed items open exactly two cases at the place, routed to the place’s chief; the place is non-compliant', async () => {
      const casesBefore = await count('case_file');
      body = { placeId: site.id, checklistId: eight.id, location: east(site.point, 20), results: await results(['hoarding', 'muck-trucks']) };
      const answer = await http.post<InspectionBody>('/api/v1/inspections', body, auth.warden1, { 'Idempotency-Key': 'insp-1' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      inspection = answer.body;
      expect(inspection).toMatchObject({ offSite: false, failed: 2, checklist: { id: eight.id, version: eight.version } });
      expect(inspection.distanceM).toBeGreaterThan(15);
      expect(inspection.distanceM).toBeLessThan(25);
      expect(await count('case_file')).toBe(casesBefore + 2);
      const opened = inspection.results.filter((r) => r.caseId !== null);
      expect(opened.map((r) => r.code)).toEqual(['hoarding', 'muck-trucks']);

      for (const r of opened) {
        const c = await until(`routing of ${r.caseId}`, 15_000, async () => {
          const v = (await http.get<CaseBody>(`/api/v1/cases/${r.caseId}`, auth.operator)).body;
          return v.status === 'dispatched' && v;
        });
        expect(c.assignee?.id).toBe(site.chief!.id);
        expect(c.gridCell.code).toBe(site.gridCell.code);
        expect(c.category.code).toBe(r.code === 'hoarding' ? 'E0304' : 'E0306');
      }
      const place = (await http.get<PlaceBody>(`/api/v1/places/${site.id}`, auth.warden1)).body;
      expect(place.compliance).toBe('non_compliant');
      expect(place.openCaseIds.sort()).toEqual(opened.map((r) => r.caseId).sort());
    });

    it('replaying it with the same Idempotency-Key answers the same record and opens no case more', async () => {
      const [cases, inspections] = [await count('case_file'), await count('inspection')];
      const again = await http.post<InspectionBody>('/api/v1/inspections', body, auth.warden1, { 'Idempotency-Key': 'insp-1' });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body.id).toBe(inspection.id);
      expect(again.body.results).toEqual(inspection.results);
      expect([await count('case_file'), await count('inspection')]).toEqual([cases, inspections]);
      const other = await http.post('/api/v1/inspections', { ...body, location: east(site.point, 5) }, auth.warden1, { 'Idempotency-Key': 'insp-1' });
      expect(other.status).toBe(409);
    });

    it('the place becomes compliant when both cases close', async () => {
      const chiefUser = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT u.username FROM road_chief rc JOIN app_user u ON u.id = rc.user_id WHERE rc.id = $1`, [site.chief!.id])).rows[0].username as string);
      const chiefAuth = await intake.bearer(chiefUser);
      const ids = inspection.results.filter((r) => r.caseId).map((r) => r.caseId!);
      // warden1 on duty: the checks the resolves open are their tasks.
      expect((await http.call('PATCH', '/api/v1/me/duty', { auth: auth.warden1, body: { onDuty: true } })).status).toBe(200);
      for (const [n, id] of ids.entries()) {
        for (const [action, payload, who] of [
          ['accept', {}, chiefAuth],
          ['resolve', { note: '已整改 fixed' }, chiefAuth],
          ['verify', { passed: true }, auth.warden1],
        ] as const) {
          const done = await http.act(id, action, payload, who);
          expect(done.status, `${action}: ${JSON.stringify(done.body)}`).toBe(200);
        }
        const place = (await http.get<PlaceBody>(`/api/v1/places/${site.id}`, auth.leader)).body;
        expect(place.compliance).toBe(n === ids.length - 1 ? 'compliant' : 'non_compliant');
      }
    });

    it('is flagged off-site beyond PLACE_RADIUS_M; a failed item that needs a photo is refused without one, and nothing is written', async () => {
      const far = await http.post<InspectionBody>('/api/v1/inspections', { placeId: site.id, checklistId: eight.id, location: east(site.point, 300), results: await results([]) }, auth.warden1);
      expect(far.status, JSON.stringify(far.body)).toBe(201);
      expect(far.body).toMatchObject({ offSite: true, failed: 0 });

      const [cases, inspections] = [await count('case_file'), await count('inspection')];
      const all = await results([]);
      const refused: [unknown, string][] = [
        [{ placeId: site.id, checklistId: eight.id, location: site.point, results: all.map((r) => (r.code === 'cover' ? { code: 'cover', passed: false } : r)) }, 'results[1].mediaIds'],
        [{ placeId: site.id, checklistId: eight.id, location: site.point, results: all.slice(1) }, 'results'],
        [{ placeId: site.id, checklistId: eight.id, location: site.point, results: [...all, { code: 'nope', passed: true }] }, 'results[8].code'],
        [{ placeId: site.id, checklistId: eight.id, location: { lng: 'x', lat: 1 }, results: all }, 'location.lng'],
        [{ placeId: 'nope', checklistId: eight.id, location: site.point, results: all }, 'placeId'],
      ];
      for (const [b, field] of refused) {
        const answer = await http.post('/api/v1/inspections', b, auth.warden1);
        expect(answer.status, JSON.stringify(answer.body)).toBe(400);
        expect(answer.body.details?.map((d) => d.field)).toContain(field);
      }
      expect([await count('case_file'), await count('inspection')]).toEqual([cases, inspections]);
    });
  });

  describe('scope (the one access model)', () => {
    it('a warden sees only their cells’ places and inspections; a chief only theirs; street staff their street', async () => {
      const ids = async (who: string) => ((await http.get<{ features: { id: string }[] }>('/api/v1/places', who)).body.features ?? []).map((f) => f.id);
      expect(await ids(auth.warden1)).toContain(site.id);
      expect(await ids(auth.warden2)).not.toContain(site.id);
      expect((await http.get(`/api/v1/places/${site.id}`, auth.warden2)).status).toBe(404);
      expect((await http.get(`/api/v1/inspections?placeId=${site.id}`, auth.warden2)).body).toEqual([]);
      const denied = await http.post('/api/v1/inspections', { placeId: site.id, checklistId: eight.id, location: site.point, results: await results([]) }, auth.warden2);
      expect(denied.status).toBe(404);

      const chiefs = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT u.username, rc.id FROM road_chief rc JOIN app_user u ON u.id = rc.user_id WHERE u.username IN ('chief1','chief2','chief3')`)).rows as { username: string; id: number }[]);
      for (const c of chiefs) expect((await ids(auth[c.username])).includes(site.id)).toBe(c.id === site.chief!.id);

      const streetSees = (await ids(auth.streetOperator)).includes(site.id);
      const streetOf = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT street_code FROM app_user WHERE username = $1`, [STREET_OPERATOR.username])).rows[0].street_code as string);
      expect(streetSees).toBe(streetOf === site.street.code);
      expect(await ids(auth.leader)).toContain(site.id);
      expect((await http.post('/api/v1/places', { kind: 'site', name: 'x', geometry: { type: 'Point', coordinates: [site.point.lng, site.point.lat] } }, auth.warden1)).status).toBe(403);

      const mine = (await http.get<{ places: { id: string; checklistId: string | null }[]; recent: { id: string }[] }>('/api/v1/me/inspections', auth.warden1)).body;
      expect(mine.places.find((p) => p.id === site.id)?.checklistId).toBe(eight.id);
      expect(mine.recent.length).toBeGreaterThanOrEqual(2);
      expect((await http.get<{ places: { id: string }[] }>('/api/v1/me/inspections', auth.warden2)).body.places.map((p) => p.id)).not.toContain(site.id);
    });
  });
});
