import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGeoReportXml } from '@wangge/open311';
import { startDispatcher } from '../support/apps';
import { addStreetOperator, STREET_OPERATOR } from '../support/cases';
import { eventCount, fieldsOf, must, startWorld, type CaseBody, type World } from '../cases/helpers/workflow';

type Json = Record<string, unknown>;

/**
 * Address-only Open311 requests (issue 16; GeoReport v2 locates a request by lat/long, or else by
 * `address_string` or `address_id`): accepted, kept without a place, seen by district-wide staff
 * only, placed by an operator (`POST /cases/:id/place`), and from then on an ordinary reported case.
 */
describe('Open311: a request located by its address only', () => {
  let w: World;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let key: string;
  let street: string;
  let streetOperator: string;

  const form = async (fields: Record<string, string>, format: 'json' | 'xml' = 'json') => {
    const res = await fetch(`${w.app.baseUrl}/open311/v2/requests.${format}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, text: await res.text() };
  };
  const requestOf = async (code: string): Promise<Json> => {
    const res = await fetch(`${w.app.baseUrl}/open311/v2/requests/${code}.json`);
    expect(res.status).toBe(200);
    const [record] = (await res.json()) as Json[];
    return record;
  };
  const idOf = async (code: string) => (await w.db.query(`SELECT id FROM case_file WHERE code = $1`, [code])).rows[0].id as string;
  /** A point inside a cell of the street. */
  const pointIn = async (code: string) =>
    (await w.db.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat, code FROM grid_cell WHERE street_code = $1 ORDER BY code LIMIT 1`, [code]))
      .rows[0] as { lng: number; lat: number; code: string };
  const addressOnly = async (extra: Record<string, string> = {}) => {
    const answer = await form({ api_key: key, service_code: 'E0102', description: '按地址上报的暴露垃圾', address_string: '金水路 12 号门口', ...extra });
    expect(answer.status, answer.text).toBe(200);
    const [created] = JSON.parse(answer.text) as Json[];
    return String(created.service_request_id);
  };

  beforeAll(async () => {
    w = await startWorld('open311-address');
    street = await addStreetOperator(w.db);
    streetOperator = await w.app.bearer(STREET_OPERATOR.username, STREET_OPERATOR.password);
    dispatcher = await startDispatcher(w.app.databaseUrl);
    const created = must(await w.http.post<{ key: string }>('/api/v1/admin/api-keys', { name: 'address-client' }, w.auth.admin), 201);
    key = created.key;
  }, 120_000);
  afterAll(async () => {
    await dispatcher?.close();
    await w?.close();
  });

  it('accepts address_string (form) and address_id (JSON) without lat/long: 200, kept without a place, never registered on arrival', async () => {
    const byForm = await form({ api_key: key, service_code: 'E0102', description: '地址上报', address_string: '金水路 12 号门口' });
    expect(byForm.status, byForm.text).toBe(200);
    const [created] = JSON.parse(byForm.text) as Json[];
    expect(created.service_request_id).toMatch(/^410104-\d{8}-\d{6}$/);
    expect(String(created.service_notice)).toContain('operator will place it');

    const byJson = await fetch(`${w.app.baseUrl}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: key, service_code: 'E0102', address_id: 'ADDR-0042' }),
    });
    expect(byJson.status).toBe(200);
    const [viaJson] = (await byJson.json()) as Json[];

    const { rows } = await w.db.query(
      `SELECT code, status, location, grid_cell_code, street_code, community_code, address, address_id FROM case_file WHERE code = ANY($1) ORDER BY address_id NULLS FIRST`,
      [[created.service_request_id, viaJson.service_request_id]],
    );
    expect(rows).toEqual([
      { code: created.service_request_id, status: 'reported', location: null, grid_cell_code: null, street_code: null, community_code: null, address: '金水路 12 号门口', address_id: null },
      { code: viaJson.service_request_id, status: 'reported', location: null, grid_cell_code: null, street_code: null, community_code: null, address: null, address_id: 'ADDR-0042' },
    ]);
  });

  it('GET answers without lat/long and with the address, in JSON and XML', async () => {
    const code = await addressOnly({ address_id: 'ADDR-7' });
    const record = await requestOf(code);
    expect(record).toMatchObject({ service_request_id: code, status: 'open', address: '金水路 12 号门口', address_id: 'ADDR-7' });
    expect('lat' in record || 'long' in record).toBe(false);
    const xml = await (await fetch(`${w.app.baseUrl}/open311/v2/requests/${code}.xml`)).text();
    expect(xml).not.toMatch(/<lat>|<long>/);
    const parsed = parseGeoReportXml(xml) as { service_requests: { request: Json[] } };
    expect(parsed.service_requests.request[0]).toMatchObject({ address: '金水路 12 号门口', address_id: 'ADDR-7' });
    // In a list too.
    const list = (await (await fetch(`${w.app.baseUrl}/open311/v2/requests.json?service_request_id=${code}`)).json()) as Json[];
    expect(list).toHaveLength(1);
    expect('lat' in list[0]).toBe(false);
  });

  it('refuses bodies that locate nothing: no location at all, half a coordinate pair, an oversized address_id (400 naming the field, nothing written)', async () => {
    const before = (await w.db.query(`SELECT count(*)::int AS n FROM case_file`)).rows[0].n as number;
    const cases: [Record<string, string>, RegExp][] = [
      [{ description: 'x' }, /lat\/long/],
      [{ lat: '34.75', address_string: '金水路' }, /long/],
      [{ long: '113.68' }, /lat/],
      [{ address_id: 'x'.repeat(101) }, /address_id/],
      [{ address_string: '<b>金水路</b>' }, /address_string/],
    ];
    for (const [fields, field] of cases) {
      const answer = await form({ api_key: key, service_code: 'E0102', ...fields });
      expect(answer.status, answer.text).toBe(400);
      const errors = JSON.parse(answer.text) as { code: number; description: string }[];
      expect(errors.map((e) => e.description).join(' '), JSON.stringify(fields)).toMatch(field);
    }
    expect((await w.db.query(`SELECT count(*)::int AS n FROM case_file`)).rows[0].n).toBe(before);
  });

  it('is seen by district-wide staff only: the street operator gets 404 and an empty list, the district operator sees it as 待定位', async () => {
    const id = await idOf(await addressOnly());
    expect((await w.http.get(`/api/v1/cases/${id}`, streetOperator)).status).toBe(404);
    const streetList = must(await w.http.get<{ items: CaseBody[] }>('/api/v1/cases?status=reported&limit=200', streetOperator));
    expect(streetList.items.some((c) => c.id === id)).toBe(false);
    for (const user of ['warden1', 'chief1']) expect((await w.http.get(`/api/v1/cases/${id}`, w.auth[user])).status, user).toBe(404);

    const seen = must(await w.http.get<CaseBody & { address: string }>(`/api/v1/cases/${id}`, w.auth.operator));
    expect(seen).toMatchObject({ status: 'reported', location: null, gridCell: null, street: null, address: '金水路 12 号门口' });
    const districtList = must(await w.http.get<{ items: CaseBody[] }>('/api/v1/cases?status=reported&limit=200', w.auth.operator));
    expect(districtList.items.some((c) => c.id === id)).toBe(true);
    // The street operator cannot place it either (outside their jurisdiction, as any action on another street's case).
    const p = await pointIn(street);
    expect((await w.http.post(`/api/v1/cases/${id}/place`, { location: { lng: p.lng, lat: p.lat } }, streetOperator)).status).toBe(403);
    expect((await w.db.query(`SELECT street_code FROM case_file WHERE id = $1`, [id])).rows[0].street_code).toBeNull();
  });

  it('cannot be registered before it is placed (409 naming location); place refuses bad bodies (400) and a point outside the district (422), writing nothing', async () => {
    const id = await idOf(await addressOnly());
    const register = await w.http.post(`/api/v1/cases/${id}/register`, {}, w.auth.operator);
    expect(register.status).toBe(409);
    expect(fieldsOf(register)).toContain('location');
    const events = await eventCount(w, id);

    const bad: [unknown, string][] = [
      [{}, 'location'],
      [{ location: 'abc' }, 'location'],
      [{ location: { lng: 999, lat: 34.7 } }, 'location.lng'],
      [{ location: { lng: 113.68 } }, 'location.lat'],
      [{ location: { lng: 113.68, lat: 34.75 }, coordSystem: 'mars' }, 'coordSystem'],
    ];
    for (const [body, field] of bad) {
      const answer = await w.http.post(`/api/v1/cases/${id}/place`, body, w.auth.operator);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(answer), JSON.stringify(answer.body)).toContain(field);
    }
    const outside = await w.http.post(`/api/v1/cases/${id}/place`, { location: { lng: 116.39, lat: 39.9 } }, w.auth.operator);
    expect(outside.status).toBe(422);
    expect(fieldsOf(outside)).toEqual(['location']);
    expect((await w.http.post(`/api/v1/cases/${id}/place`, { location: { lng: 113.68, lat: 34.75 } }, w.auth.warden1)).status).toBe(403);
    expect(await eventCount(w, id)).toBe(events);
    expect((await w.db.query(`SELECT street_code FROM case_file WHERE id = $1`, [id])).rows[0].street_code).toBeNull();
  });

  it('once placed it is an ordinary reported case: its cell, street and community as a report finds them, a case.placed event, seen by its street, registered and routed', async () => {
    const code = await addressOnly();
    const id = await idOf(code);
    const p = await pointIn(street);
    const placed = must(await w.http.post<CaseBody>(`/api/v1/cases/${id}/place`, { location: { lng: p.lng, lat: p.lat } }, w.auth.operator));
    expect(placed).toMatchObject({ status: 'reported', gridCell: { code: p.code }, street: { code: street } });
    expect(placed.location!.lng).toBeCloseTo(p.lng, 6);
    const event = placed.timeline!.at(-1)!;
    expect(event).toMatchObject({ type: 'case.placed', from: 'reported', to: 'reported', evidence: { gridCell: p.code, street } });
    // Exactly what GET /locate finds for the point (the report's own lookup).
    const located = must(await w.http.get<{ gridCell: { code: string }; community: { code: string } }>(`/api/v1/locate?lng=${p.lng}&lat=${p.lat}`, w.auth.operator));
    expect((await w.db.query(`SELECT community_code FROM case_file WHERE id = $1`, [id])).rows[0].community_code).toBe(located.community.code);
    // A repeat changes nothing; a second placement of a placed case is refused.
    const events = await eventCount(w, id);
    must(await w.http.post(`/api/v1/cases/${id}/place`, { location: { lng: p.lng, lat: p.lat } }, w.auth.operator));
    expect(await eventCount(w, id)).toBe(events);
    expect((await w.http.post(`/api/v1/cases/${id}/place`, { location: { lng: p.lng, lat: p.lat } }, w.auth.leader)).status).toBe(403);

    // Open311 now shows the point.
    const record = await requestOf(code);
    expect(record.lat as number).toBeCloseTo(p.lat, 6);
    expect(record.long as number).toBeCloseTo(p.lng, 6);

    // The street sees it and registers it; the dispatcher routes it.
    expect((await w.http.get(`/api/v1/cases/${id}`, streetOperator)).status).toBe(200);
    must(await w.http.post(`/api/v1/cases/${id}/register`, {}, streetOperator));
    const deadline = Date.now() + 20_000;
    let routed: CaseBody | null = null;
    while (Date.now() < deadline && !routed) {
      const v = must(await w.http.get<CaseBody>(`/api/v1/cases/${id}`, w.auth.operator));
      if (v.status === 'dispatched') routed = v;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(routed?.assignee).not.toBeNull();
  });
});
