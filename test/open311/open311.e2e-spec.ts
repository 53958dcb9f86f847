import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGeoReportXml } from '@wangge/open311';
import { png } from '../media/images';
import { startIntake, type RunningApp } from '../support/apps';
import { api, pointInWardenCell, withDb } from '../support/cases';

// Exactly these: GeoReport clients and validators compare the whole content type.
const JSON_TYPE = 'application/json';
const XML_TYPE = 'text/xml';
/** Where the platform is reached (PUBLIC_BASE_URL) and its test deployment's endpoint (OPEN311_TEST_URL). */
const PUBLIC_BASE_URL = 'https://wangge.example.cn';
const TEST_ENDPOINT = 'https://test.wangge.example.cn/open311/v2';
const W3C_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const CODE = /^410104-\d{8}-\d{6}$/;

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  type: string | null;
  text: string;
  headers: Headers;
  json: () => any;
  xml: () => any;
}

/** The items of a parsed XML list (`<service_requests><request>…`), [] when it is empty. */
function itemsOf(parsed: Json, root: string, item: string): Json[] {
  const node = parsed[root];
  return node && typeof node === 'object' ? ((node as Json)[item] as Json[]) : [];
}

/** XML carries every JSON value as text: null as an empty element. */
function asXmlText(record: Json): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

describe('Open311 GeoReport v2', () => {
  let app: RunningApp;
  let mediaDir: string;
  let admin: string;
  let key: string;
  let keyName: string;
  let point: { lng: number; lat: number };

  async function call(method: string, path: string, body?: string | Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    const form = body !== undefined && typeof body !== 'string' ? new URLSearchParams(body).toString() : body;
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: { ...(typeof body === 'object' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
      body: form,
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), text, headers: res.headers, json: () => JSON.parse(text), xml: () => parseGeoReportXml(text) };
  }
  const get = (path: string) => call('GET', path);
  const post = (format: 'json' | 'xml', fields: Record<string, string>, headers: Record<string, string> = {}) =>
    call('POST', `/open311/v2/requests.${format}`, fields, headers);
  const report = (extra: Record<string, string> = {}) =>
    post('json', { api_key: key, service_code: 'E0102', lat: String(point.lat), long: String(point.lng), description: '路边有暴露垃圾 garbage', ...extra });

  /** The GeoReport errors of an answer, checking its content type. */
  async function errorsIn(format: 'json' | 'xml', reply: Reply): Promise<{ code: number; description: string }[]> {
    expect(reply.type, reply.text).toBe(format === 'json' ? JSON_TYPE : XML_TYPE);
    if (format === 'json') return reply.json();
    return itemsOf(reply.xml(), 'errors', 'error').map((e) => ({ code: Number(e.code), description: String(e.description) }));
  }

  beforeAll(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), 'wangge-open311-media-'));
    app = await startIntake('open311', { REPORT_RATE_LIMIT: '100000', MEDIA_DIR: mediaDir, PUBLIC_BASE_URL, OPEN311_TEST_URL: TEST_ENDPOINT });
    admin = await app.bearer('admin');
    keyName = 'fixmystreet-test';
    const created = await api(app).post<{ id: string; name: string; key: string; createdAt: string }>('/api/v1/admin/api-keys', { name: keyName }, admin);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    key = created.body.key;
    point = await withDb(app.databaseUrl, (db) => pointInWardenCell(db, 'warden3'));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  describe('discovery and services', () => {
    it('discovery: fields, a production and a test endpoint (as the specification\'s example), exact content types, JSON = XML', async () => {
      const j = await get('/open311/v2/discovery.json');
      expect(j.status).toBe(200);
      expect(j.type).toBe(JSON_TYPE);
      const d = j.json();
      expect(d).toMatchObject({ changeset: expect.any(String), contact: expect.stringContaining('管城回族区'), key_service: expect.any(String) });
      const endpoint = (url: string, type: string) => ({
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url,
        changeset: d.changeset,
        type,
        formats: ['application/json', 'text/xml'],
      });
      expect(d.endpoints).toEqual([endpoint(`${PUBLIC_BASE_URL}/open311/v2`, 'production'), endpoint(TEST_ENDPOINT, 'test')]);
      const x = await get('/open311/v2/discovery.xml');
      expect(x.status).toBe(200);
      expect(x.type).toBe(XML_TYPE);
      expect(x.text.startsWith('<?xml version="1.0" encoding="utf-8"?><discovery>')).toBe(true);
      const xd = x.xml().discovery;
      expect(xd.changeset).toBe(d.changeset);
      expect(xd.key_service).toBe(d.key_service);
      const [production, test] = xd.endpoints.endpoint;
      expect(production).toMatchObject({ specification: d.endpoints[0].specification, url: d.endpoints[0].url, type: 'production' });
      expect(test).toMatchObject({ url: TEST_ENDPOINT, type: 'test' });
      expect(production.formats.format).toEqual(['application/json', 'text/xml']);
    });

    it('discovery: the url comes from PUBLIC_BASE_URL, never from the Host header', async () => {
      for (const host of ['evil.example', 'wangge.example.cn.evil.example']) {
        const res = await fetch(`${app.baseUrl}/open311/v2/discovery.json`, { headers: { host, 'x-forwarded-host': host } });
        const text = await res.text();
        expect(res.status).toBe(200);
        expect(text).not.toContain('evil');
        expect(JSON.parse(text).endpoints[0].url).toBe(`${PUBLIC_BASE_URL}/open311/v2`);
      }
    });

    it('services: every active category, each with a service_code; JSON = XML; locale; jurisdiction_id', async () => {
      const active = await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT code FROM category WHERE active ORDER BY code`)).rows.map((r) => r.code as string));
      const j = await get('/open311/v2/services.json');
      expect(j.type).toBe(JSON_TYPE);
      const services: Json[] = j.json();
      expect(services.map((s) => s.service_code).sort()).toEqual(active);
      for (const s of services) {
        expect(s).toMatchObject({ service_code: expect.stringMatching(/^[CE]\d{4}$/), service_name: expect.any(String), metadata: true, type: 'realtime', group: expect.any(String) });
      }
      expect(services.find((s) => s.service_code === 'E0102')).toMatchObject({ service_name: '暴露垃圾 / Exposed garbage', group: '市容环境 / City appearance' });

      const x = await get('/open311/v2/services.xml');
      expect(x.type).toBe(XML_TYPE);
      expect(itemsOf(x.xml(), 'services', 'service')).toEqual(services.map(asXmlText));

      const en: Json[] = (await get('/open311/v2/services.json?locale=en&jurisdiction_id=410104')).json();
      expect(en.find((s) => s.service_code === 'E0102')?.service_name).toBe('Exposed garbage');
      const zh: Json[] = (await get('/open311/v2/services.json?locale=zh')).json();
      expect(zh.find((s) => s.service_code === 'E0102')?.service_name).toBe('暴露垃圾');

      for (const format of ['json', 'xml'] as const) {
        const other = await get(`/open311/v2/services.${format}?jurisdiction_id=999999`);
        expect(other.status).toBe(404);
        expect((await errorsIn(format, other))[0]).toMatchObject({ code: 404, description: expect.stringContaining('jurisdiction_id') });
      }
    });

    it('service definitions: the registration conditions as the attribute `condition`; unknown code 404', async () => {
      const standards = await withDb(app.databaseUrl, async (db) =>
        (
          await db.query(
            `SELECT category_code, array_agg(condition_no::text ORDER BY condition_no) AS nos FROM category_standard
              WHERE category_code IN ('C0101', 'E0102', 'E0501') AND retired_at IS NULL GROUP BY category_code`,
          )
        ).rows,
      );
      expect(standards).toHaveLength(3);
      for (const { category_code: code, nos } of standards) {
        const j = await get(`/open311/v2/services/${code}.json`);
        expect(j.status).toBe(200);
        expect(j.type).toBe(JSON_TYPE);
        const def = j.json();
        expect(def.service_code).toBe(code);
        expect(def.attributes).toHaveLength(1);
        const attribute = def.attributes[0];
        expect(attribute).toMatchObject({ variable: true, code: 'condition', datatype: 'singlevaluelist', required: false, order: 1, description: expect.any(String) });
        expect(attribute.values.map((v: Json) => v.key)).toEqual(nos);
        expect(attribute.values[0].name).toMatch(/（处置时限 [\d.]+ .+） \/ .+ \(time limit [\d.]+ .+\)$/);

        const x = await get(`/open311/v2/services/${code}.xml`);
        expect(x.type).toBe(XML_TYPE);
        const xdef = x.xml().service_definition;
        expect(xdef.service_code).toBe(code);
        const xattr = xdef.attributes.attribute[0];
        expect(xattr).toMatchObject({ variable: 'true', code: 'condition', datatype: 'singlevaluelist', required: 'false', order: '1' });
        expect(xattr.values.value).toEqual(attribute.values);
      }
      for (const format of ['json', 'xml'] as const) {
        for (const code of ['E9999', 'garbage']) {
          const r = await get(`/open311/v2/services/${code}.${format}`);
          expect(r.status).toBe(404);
          expect(await errorsIn(format, r)).toEqual([{ code: 404, description: expect.stringContaining(code) }]);
        }
      }
    });
  });

  describe('API keys and POST requests', () => {
    it('only an admin issues keys; the list never shows a key; a revoked key is refused with 403', async () => {
      const http = api(app);
      expect((await http.post('/api/v1/admin/api-keys', { name: 'x' }, await app.bearer('operator'))).status).toBe(403);
      expect((await http.post('/api/v1/admin/api-keys', { name: '' }, admin)).status).toBe(400);
      const created = await http.post<{ id: string; name: string; key: string; createdAt: string; prefix: string }>('/api/v1/admin/api-keys', { name: 'to revoke' }, admin);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: expect.any(String), name: 'to revoke', key: expect.stringMatching(/^wg_/), createdAt: expect.any(String) });
      const stored = await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT key_hash, key_prefix FROM api_key WHERE id = $1`, [created.body.id])).rows[0]);
      expect(stored.key_hash).not.toContain(created.body.key);
      expect(created.body.key.startsWith(stored.key_prefix)).toBe(true);

      const list = await http.get<Json[]>('/api/v1/admin/api-keys', admin);
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain(created.body.key);
      expect((list.body as unknown as Json[]).find((k) => k.id === created.body.id)).toMatchObject({ name: 'to revoke', prefix: stored.key_prefix, revokedAt: null });

      const fields = { service_code: 'E0102', lat: String(point.lat), long: String(point.lng), description: 'x' };
      expect((await post('json', { ...fields, api_key: created.body.key })).status).toBe(200);
      // its use recorded; the issuer by username (the people's directory)
      const used = ((await http.get<Json[]>('/api/v1/admin/api-keys', admin)).body as unknown as Json[]).find((k) => k.id === created.body.id)!;
      expect(used).toMatchObject({ createdBy: 'admin', createdAt: created.body.createdAt, lastUsedAt: expect.any(String), revokedAt: null });
      expect((await http.call('DELETE', `/api/v1/admin/api-keys/${created.body.id}`, { auth: admin })).status).toBe(204);
      const revokedAt = ((await http.get<Json[]>('/api/v1/admin/api-keys', admin)).body as unknown as Json[]).find((k) => k.id === created.body.id)!.revokedAt;
      expect(revokedAt).toEqual(expect.any(String));
      expect((await http.call('DELETE', `/api/v1/admin/api-keys/${created.body.id}`, { auth: admin })).status).toBe(204);
      // revoked again: nothing changes
      expect(((await http.get<Json[]>('/api/v1/admin/api-keys', admin)).body as unknown as Json[]).find((k) => k.id === created.body.id)!.revokedAt).toBe(revokedAt);
      expect((await http.call('DELETE', '/api/v1/admin/api-keys/0b7c4c6e-8d2f-4a51-9b3e-2f1d5a6c7e80', { auth: admin })).status).toBe(404);

      for (const format of ['json', 'xml'] as const) {
        const revoked = await post(format, { ...fields, api_key: created.body.key });
        expect(revoked.status).toBe(403);
        expect(await errorsIn(format, revoked)).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
        const none = await post(format, fields);
        expect(none.status).toBe(403);
        expect((await errorsIn(format, none))[0].code).toBe(403);
        // The key is checked before the body is judged.
        expect((await post(format, { api_key: 'wg_nonsense' })).status).toBe(403);
      }
    });

    it('POST answers [{service_request_id, service_notice, account_id}] (JSON) and <service_requests><request> (XML): the id, so no token', async () => {
      const j = await report({ email: 'zhang@example.cn', first_name: '三', last_name: '张', phone: '13800000001', account_id: 'acct-7', device_id: 'dev-1' });
      expect(j.status, j.text).toBe(200);
      expect(j.type).toBe(JSON_TYPE);
      const [created] = j.json();
      expect(j.json()).toHaveLength(1);
      expect(created).toEqual({ service_request_id: expect.stringMatching(CODE), service_notice: expect.any(String), account_id: 'acct-7' });

      const row = await withDb(app.databaseUrl, async (db) =>
        (await db.query(`SELECT status, source, channel, reporter_id, reporter_name, reporter_phone, reporter_email FROM case_file WHERE code = $1`, [created.service_request_id])).rows[0],
      );
      expect(row).toEqual({ status: 'reported', source: 'open311', channel: keyName, reporter_id: null, reporter_name: '张三', reporter_phone: '13800000001', reporter_email: 'zhang@example.cn' });
      const used = await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT last_used_at FROM api_key WHERE name = $1`, [keyName])).rows[0]);
      expect(used.last_used_at).not.toBeNull();

      const x = await post('xml', { api_key: key, service_code: 'C0101', lat: String(point.lat), long: String(point.lng), description: '井盖缺失' });
      expect(x.status, x.text).toBe(200);
      expect(x.type).toBe(XML_TYPE);
      expect(x.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><service_requests><request><service_request_id>410104-/);
      const [xr] = itemsOf(x.xml(), 'service_requests', 'request');
      expect(xr).toEqual({ service_request_id: expect.stringMatching(CODE), service_notice: expect.any(String), account_id: '' });
      expect(x.text).not.toContain('<token>');
    });

    it('attribute[condition]=2 picks registration condition 2; a condition the standard lacks is 400', async () => {
      const r = await post('json', { api_key: key, service_code: 'C0101', 'attribute[condition]': '2', lat: String(point.lat), long: String(point.lng), description: '井盖破损' });
      expect(r.status, r.text).toBe(200);
      const code = r.json()[0].service_request_id;
      const condition = await withDb(app.databaseUrl, async (db) =>
        (await db.query(`SELECT s.category_code, s.condition_no FROM case_file c JOIN category_standard s ON s.id = c.standard_id WHERE c.code = $1`, [code])).rows[0],
      );
      expect(condition).toEqual({ category_code: 'C0101', condition_no: 2 });

      const bad = await post('json', { api_key: key, service_code: 'C0101', 'attribute[condition]': '9', lat: String(point.lat), long: String(point.lng), description: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.json()).toEqual([{ code: 400, description: expect.stringMatching(/^attribute\[condition\]/) }]);
      const unknown = await post('json', { api_key: key, service_code: 'C0101', 'attribute[colour]': 'red', lat: String(point.lat), long: String(point.lng), description: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.json()[0].description).toMatch(/^attribute\[colour\]/);
    });

    it('bad input is 400 in the errors format, naming the field, in both formats', async () => {
      const base = { api_key: key, service_code: 'E0102', lat: String(point.lat), long: String(point.lng), description: 'garbage' };
      const cases: [Record<string, string>, RegExp][] = [
        [{ ...base, description: '<script>alert(1)</script>' }, /^description/],
        [{ ...base, description: 'x'.repeat(4001) }, /^description must be at most 4000 characters/],
        [{ ...base, lat: 'north' }, /^lat must be a number/],
        [{ ...base, lat: 'abc' }, /^lat must be a number/],
        [{ ...base, long: 'abc' }, /^long must be a number/],
        [{ ...base, long: '200' }, /^long/],
        [{ ...base, email: 'not-an-email' }, /^email/],
        [{ ...base, phone: 'call me' }, /^phone/],
        // Located by nothing: neither lat/long nor address_string/address_id (an address alone is accepted: address-only.e2e-spec.ts).
        [{ api_key: key, service_code: 'E0102', description: 'garbage' }, /^lat\/long: a location is required.*address_string or address_id/],
        [{ ...base, lat: '30', long: '120' }, /^lat\/long: .*outside the district/],
        [{ ...base, media_url: 'ftp://example.com/x.jpg' }, /^media_url/],
        // Not a code at all (a NUL, invisible marks): 400, before any statement sees it.
        [{ ...base, service_code: 'E\u00000102' }, /^service_code must be a code/],
        [{ ...base, service_code: 'E\u200b0102' }, /^service_code must be a code/],
      ];
      for (const [fields, pattern] of cases) {
        const j = await post('json', fields);
        expect(j.status, `${JSON.stringify(fields).slice(0, 120)} → ${j.text}`).toBe(400);
        const errors = await errorsIn('json', j);
        expect(errors.some((e) => e.code === 400 && pattern.test(e.description)), j.text).toBe(true);
      }
      const x = await post('xml', { ...base, lat: '30', long: '120' });
      expect(x.status).toBe(400);
      expect(await errorsIn('xml', x)).toEqual([{ code: 400, description: expect.stringMatching(/outside the district/) }]);
      const missing = await post('xml', { api_key: key });
      expect(missing.status).toBe(400);
      expect((await errorsIn('xml', missing)).map((e) => e.description.split(/[: ]/)[0])).toEqual(expect.arrayContaining(['lat/long', 'service_code']));
      const abc = await post('json', { ...base, lat: 'abc' });
      expect((await errorsIn('json', abc)).map((e) => e.description)).toEqual(['lat must be a number (WGS84 latitude)']);
    });

    it('an unknown service_code is 404 (the specification), in both formats; nothing written', async () => {
      const before = await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT count(*)::int AS n FROM case_file`)).rows[0].n);
      for (const format of ['json', 'xml'] as const) {
        for (const code of ['E9999', 'garbage']) {
          const r = await post(format, { api_key: key, service_code: code, lat: String(point.lat), long: String(point.lng), description: 'x' });
          expect(r.status, r.text).toBe(404);
          expect(await errorsIn(format, r)).toEqual([{ code: 404, description: expect.stringMatching(/^service_code/) }]);
        }
      }
      expect(await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT count(*)::int AS n FROM case_file`)).rows[0].n)).toBe(before);
    });

    it('description is optional, and may be 4000 characters long', async () => {
      const none = await post('json', { api_key: key, service_code: 'E0102', lat: String(point.lat), long: String(point.lng) });
      expect(none.status, none.text).toBe(200);
      const long = 'x'.repeat(3990) + '路边有暴露垃圾';
      const full = await post('json', { api_key: key, service_code: 'E0102', lat: String(point.lat), long: String(point.lng), description: long.slice(0, 4000) });
      expect(full.status, full.text).toBe(200);
      const stored = await withDb(app.databaseUrl, async (db) =>
        (await db.query(`SELECT code, description FROM case_file WHERE code = ANY($1::text[]) ORDER BY code`, [[none.json()[0].service_request_id, full.json()[0].service_request_id]])).rows,
      );
      expect(stored.map((r) => r.description)).toEqual(['', long.slice(0, 4000)]);
    });

    it('Idempotency-Key: a retry answers the first answer', async () => {
      const headers = { 'Idempotency-Key': 'open311-retry-1' };
      const a = await post('json', { api_key: key, service_code: 'E0102', lat: String(point.lat), long: String(point.lng), description: 'once' }, headers);
      const b = await post('json', { api_key: key, service_code: 'E0102', lat: String(point.lat), long: String(point.lng), description: 'once' }, headers);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(b.headers.get('idempotent-replayed')).toBe('true');
      expect(b.json()).toEqual(a.json());
      const n = await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT count(*)::int AS n FROM case_file WHERE description = 'once'`)).rows[0].n);
      expect(n).toBe(1);
      const other = await post('json', { api_key: key, service_code: 'E0102', lat: String(point.lat), long: String(point.lng), description: 'twice' }, headers);
      expect(other.status).toBe(409);
      expect(other.json()[0]).toMatchObject({ code: 409, description: expect.stringContaining('Idempotency-Key') });
    });

    it('a malformed body, an unknown route and an unknown format answer in the errors format', async () => {
      const bad = await call('POST', '/open311/v2/requests.json', '{"api_key":', { 'content-type': 'application/json' });
      expect(bad.status).toBe(400);
      expect(await errorsIn('json', bad)).toEqual([{ code: 400, description: expect.any(String) }]);
      const badXml = await call('POST', '/open311/v2/requests.xml', '{"api_key":', { 'content-type': 'application/json' });
      expect(badXml.status).toBe(400);
      expect((await errorsIn('xml', badXml))[0].code).toBe(400);

      const route = await get('/open311/v2/nothing-here.xml');
      expect(route.status).toBe(404);
      expect((await errorsIn('xml', route))[0].code).toBe(404);
      const noExt = await get('/open311/v3/services');
      expect(noExt.status).toBe(404);
      expect((await errorsIn('json', noExt))[0].code).toBe(404);
      const yaml = await get('/open311/v2/services.yaml');
      expect(yaml.status).toBe(404);
      expect((await errorsIn('json', yaml))[0].description).toMatch(/json or \.xml/);
    });
  });

  describe('reading requests', () => {
    let created: { service_request_id: string };
    let mediaUrl: string;

    beforeAll(async () => {
      const upload = new FormData();
      upload.append('file', new Blob([new Uint8Array(await png())], { type: 'image/png' }), 'p.png');
      const media = await fetch(`${app.baseUrl}/api/v1/media`, { method: 'POST', body: upload });
      expect(media.status).toBe(201);
      const mediaId = ((await media.json()) as { id: string }).id;
      // Our own photo, as the platform is reached from outside (PUBLIC_BASE_URL).
      mediaUrl = `${PUBLIC_BASE_URL}/api/v1/media/${mediaId}`;
      const r = await report({
        service_code: 'E0501',
        description: '游商占道 vendor',
        address_string: '文治路',
        email: 'secret@example.cn',
        phone: '13912345678',
        first_name: 'Li',
        last_name: 'Secret',
        media_url: mediaUrl,
      });
      expect(r.status, r.text).toBe(200);
      created = r.json()[0];
    });

    it('requests/{id}: by code or by id, JSON = XML, no reporter contact; unknown 404', async () => {
      const j = await get(`/open311/v2/requests/${created.service_request_id}.json`);
      expect(j.status).toBe(200);
      expect(j.type).toBe(JSON_TYPE);
      const records: Json[] = j.json();
      expect(records).toHaveLength(1);
      const r = records[0];
      expect(r).toMatchObject({
        service_request_id: created.service_request_id,
        status: 'open',
        status_notes: null,
        service_code: 'E0501',
        service_name: '无照经营游商 / Unlicensed street vendor',
        description: '游商占道 vendor',
        address: '文治路',
        address_id: expect.stringMatching(/^410104\d{9}$/),
        zipcode: null,
        media_url: mediaUrl,
        requested_datetime: expect.stringMatching(W3C_WITH_OFFSET),
        updated_datetime: expect.stringMatching(W3C_WITH_OFFSET),
      });
      expect(r.lat).toBeCloseTo(point.lat, 6);
      expect(r.long).toBeCloseTo(point.lng, 6);
      expect(Object.keys(r)).toEqual([
        'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
        'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
      ]);
      for (const secret of ['secret@example.cn', '13912345678', 'Secret']) expect(j.text).not.toContain(secret);

      const x = await get(`/open311/v2/requests/${created.service_request_id}.xml`);
      expect(x.type).toBe(XML_TYPE);
      expect(itemsOf(x.xml(), 'service_requests', 'request')).toEqual([asXmlText(r)]);

      const id = await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT id FROM case_file WHERE code = $1`, [created.service_request_id])).rows[0].id);
      expect((await get(`/open311/v2/requests/${id}.json`)).json()).toEqual(records);

      for (const format of ['json', 'xml'] as const) {
        for (const unknown of ['410104-20000101-000001', 'nonsense', '0b7c4c6e-8d2f-4a51-9b3e-2f1d5a6c7e80']) {
          const miss = await get(`/open311/v2/requests/${unknown}.${format}`);
          expect(miss.status).toBe(404);
          expect((await errorsIn(format, miss))[0]).toMatchObject({ code: 404 });
        }
      }
    });

    it('tokens/{token} → [{service_request_id, token}] (a tracking token of the REST API); unknown 404', async () => {
      const reported = await api(app).post<{ code: string; trackingToken: string }>('/api/v1/cases', {
        categoryCode: 'E0102',
        description: '暴露垃圾 token',
        location: { lng: point.lng, lat: point.lat },
      });
      expect(reported.status).toBe(201);
      const { code, trackingToken: token } = reported.body;
      const j = await get(`/open311/v2/tokens/${token}.json`);
      expect(j.status).toBe(200);
      expect(j.json()).toEqual([{ service_request_id: code, token }]);
      const x = await get(`/open311/v2/tokens/${token}.xml`);
      expect(itemsOf(x.xml(), 'service_requests', 'request')).toEqual([{ service_request_id: code, token }]);
      for (const format of ['json', 'xml'] as const) {
        const miss = await get(`/open311/v2/tokens/AAAAAAAAAAAAAAAAAAAAAAAA.${format}`);
        expect(miss.status).toBe(404);
        expect((await errorsIn(format, miss))[0].code).toBe(404);
      }
    });

    it('a dispatched case names the agency and the deadline; a merged one is closed and points at its target', async () => {
      const [a, b] = await Promise.all([report({ service_code: 'C0104', description: 'grate A' }), report({ service_code: 'C0104', description: 'grate B' })]);
      const codeA = a.json()[0].service_request_id;
      const codeB = b.json()[0].service_request_id;
      await withDb(app.databaseUrl, async (db) => {
        const chief = (await db.query(`SELECT c.id FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE u.username = 'chief3'`)).rows[0].id;
        await db.query(
          `UPDATE case_file SET status = 'dispatched', assignee_chief_id = $2, deadline_at = now() + interval '2 hours', public_note = '已派遣' WHERE code = $1`,
          [codeA, chief],
        );
        await db.query(`UPDATE case_file SET status = 'merged', merged_into = (SELECT id FROM case_file WHERE code = $2) WHERE code = $1`, [codeB, codeA]);
      });
      const [ra] = (await get(`/open311/v2/requests/${codeA}.json?locale=en`)).json();
      expect(ra).toMatchObject({ status: 'open', status_notes: '已派遣', agency_responsible: 'segment road chief', expected_datetime: expect.stringMatching(W3C_WITH_OFFSET) });
      const [rb] = (await get(`/open311/v2/requests/${codeB}.json`)).json();
      expect(rb).toMatchObject({ status: 'closed', status_notes: `已合并至 ${codeA} / merged into ${codeA}` });
    });

    it('GET requests: the last 90 days by default, every filter, JSON = XML', async () => {
      // Copies of a real case, placed in time with SQL.
      const codes = await withDb(app.databaseUrl, async (db) => {
        const copy = async (suffix: string, age: string, status: string) => {
          const code = `410104-19990101-${suffix}`;
          await db.query(
            `INSERT INTO case_file (code, status, category_code, description, location, reported_coord_system, reported_lng, reported_lat,
                                    grid_cell_code, street_code, community_code, source, tracking_token_hash, created_at, updated_at)
             SELECT $1, $3, 'C0105', 'old ' || $1, location, reported_coord_system, reported_lng, reported_lat, grid_cell_code, street_code,
                    community_code, 'citizen', encode(sha256(convert_to($1, 'UTF8')), 'hex'), now() - $2::interval, now() - $2::interval
               FROM case_file WHERE code = $4`,
            [code, age, status, created.service_request_id],
          );
          return code;
        };
        return { d100: await copy('000100', '100 days', 'reported'), d80: await copy('000080', '80 days', 'closed'), d10: await copy('000010', '10 days', 'rejected') };
      });

      const list = async (query: string) => {
        const r = await get(`/open311/v2/requests.json${query}`);
        expect(r.status, r.text).toBe(200);
        expect(r.type).toBe(JSON_TYPE);
        return (r.json() as Json[]).map((x) => x.service_request_id as string);
      };

      const all = await list('');
      expect(all).toContain(created.service_request_id);
      expect(all).toContain(codes.d80);
      expect(all).not.toContain(codes.d100);
      const times = ((await get('/open311/v2/requests.json')).json() as Json[]).map((x) => Date.parse(x.requested_datetime as string));
      expect([...times].sort((p, q) => q - p)).toEqual(times);

      expect(await list('?service_code=C0105')).toEqual([codes.d10, codes.d80]);
      expect(await list('?service_code=C0105,E0501')).toEqual([created.service_request_id, codes.d10, codes.d80]);
      expect(await list('?service_code=C0105&status=closed')).toEqual([codes.d10, codes.d80]);
      expect(await list('?service_code=C0105&status=open')).toEqual([]);
      expect(await list('?service_code=E0501&status=open')).toEqual([created.service_request_id]);

      const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      expect(await list(`?service_code=C0105&start_date=${day(120)}&end_date=${day(50)}`)).toEqual([codes.d80, codes.d100]);
      expect(await list(`?service_code=C0105&start_date=${day(105)}`)).toEqual([codes.d80, codes.d100]);
      expect(await list(`?service_code=C0105&end_date=${day(50)}`)).toEqual([codes.d80, codes.d100]);
      expect(await list(`?service_code=C0105&end_date=${day(90)}`)).toEqual([codes.d100]);
      // A W3C date-time with an offset, its + left unencoded (it arrives as a space).
      const local = new Date(Date.now() - 20 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 19);
      expect(await list(`?service_code=C0105&start_date=${local}+08:00`)).toEqual([codes.d10]);

      // service_request_id: any of the listed, every other filter ignored.
      expect(await list(`?service_request_id=${codes.d100},${created.service_request_id}&service_code=E0102&status=closed`)).toEqual([
        created.service_request_id,
        codes.d100,
      ]);

      const j = await get('/open311/v2/requests.json?service_code=C0105,E0501');
      const x = await get('/open311/v2/requests.xml?service_code=C0105,E0501');
      expect(x.type).toBe(XML_TYPE);
      expect(itemsOf(x.xml(), 'service_requests', 'request')).toEqual((j.json() as Json[]).map(asXmlText));
      expect(itemsOf((await get('/open311/v2/requests.xml?service_code=C0402')).xml(), 'service_requests', 'request')).toEqual([]);

      for (const [query, pattern] of [
        ['?status=pending', /^status/],
        ['?start_date=yesterday', /^start_date/],
        [`?start_date=${day(200)}&end_date=${day(10)}`, /90 days/],
        ['?service_code=bins', /^service_code/],
        ['?service_request_id=42', /^service_request_id/],
      ] as const) {
        for (const format of ['json', 'xml'] as const) {
          const r = await get(`/open311/v2/requests.${format}${query}`);
          expect(r.status, r.text).toBe(400);
          expect((await errorsIn(format, r))[0].description).toMatch(pattern);
        }
      }
    });

    it('GET requests answers at most 1000, newest first', async () => {
      await withDb(app.databaseUrl, (db) =>
        db.query(
          `INSERT INTO case_file (code, status, category_code, description, location, reported_coord_system, reported_lng, reported_lat,
                                  grid_cell_code, street_code, community_code, source, tracking_token_hash, created_at, updated_at)
           SELECT '410104-19980101-' || lpad(i::text, 6, '0'), 'reported', 'E0304', 'bulk', location, reported_coord_system, reported_lng, reported_lat,
                  grid_cell_code, street_code, community_code, 'citizen', encode(sha256(convert_to('bulk' || i, 'UTF8')), 'hex'),
                  now() - make_interval(mins => i), now() - make_interval(mins => i)
             FROM case_file, generate_series(1, 1001) AS i WHERE code = $1`,
          [created.service_request_id],
        ),
      );
      const records: Json[] = (await get('/open311/v2/requests.json?service_code=E0304')).json();
      expect(records).toHaveLength(1000);
      expect(records[0].service_request_id).toBe('410104-19980101-000001');
      expect(records[999].service_request_id).toBe('410104-19980101-001000');
    });
  });
});

describe('Open311 throttling', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startIntake('open311_throttle', { REPORT_RATE_LIMIT: '1' });
  });
  afterAll(async () => app?.close());

  it('reports beyond the limit are 429 in the errors format', async () => {
    const send = (format: string) =>
      fetch(`${app.baseUrl}/open311/v2/requests.${format}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'api_key=none' });
    expect((await send('json')).status).toBe(403);
    const json = await send('json');
    expect(json.status).toBe(429);
    expect(json.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await json.json()).toEqual([{ code: 429, description: expect.any(String) }]);
    const xml = await send('xml');
    expect(xml.status).toBe(429);
    expect(xml.headers.get('content-type')).toBe(XML_TYPE);
    expect(parseGeoReportXml(await xml.text())).toEqual({ errors: { error: [{ code: '429', description: expect.any(String) }] } });
    // Reading is not throttled by the report limit.
    expect((await fetch(`${app.baseUrl}/open311/v2/services.json`)).status).toBe(200);
  });
});
