import { ALL_QUEUES } from '@wangge/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStreetAdmin, addStreetOperator, STREET_ADMIN, STREET_OPERATOR } from '../support/cases';
import { must, startWorld, type CaseBody, type World } from '../cases/helpers/workflow';

interface ChiefView {
  id: number;
  phone: string | null;
  available: boolean;
  deputy: { id: number } | null;
}

/**
 * Least privilege through the one access model (issue 16, item 3): street-level staff read and
 * change only what their street holds — road chiefs, merge targets — and the district's queues are
 * for district-level staff.
 */
describe('least privilege: a street-level operator stays in their street', () => {
  let w: World;
  let street: string;
  let streetOperator: string;
  let streetAdmin: string;

  /** A point well inside a cell of the street (or, with `not`, of any other street). */
  const pointIn = async (code: string, not = false) =>
    (
      await w.db.query(
        `SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid_cell
          WHERE (street_code = $1) <> $2 ORDER BY code DESC LIMIT 1`,
        [code, not],
      )
    ).rows[0] as { lng: number; lat: number };
  const citizenReport = async (point: { lng: number; lat: number }) =>
    must(await w.http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description: '暴露垃圾 least privilege', location: point }), 201);

  beforeAll(async () => {
    w = await startWorld('least-privilege');
    street = await addStreetOperator(w.db);
    await addStreetAdmin(w.db);
    streetOperator = await w.app.bearer(STREET_OPERATOR.username, STREET_OPERATOR.password);
    streetAdmin = await w.app.bearer(STREET_ADMIN.username, STREET_ADMIN.password);
  });
  afterAll(async () => w?.close());

  it("answers 404 to another street's chief on GET and PATCH (phone unread, nothing changed), and names a deputy of the street only", async () => {
    const mine = must(await w.http.get<ChiefView[]>('/api/v1/chiefs', streetOperator)) as unknown as ChiefView[];
    const all = must(await w.http.get<ChiefView[]>('/api/v1/chiefs', w.auth.operator)) as unknown as ChiefView[];
    const other = all.find((c) => !mine.some((m) => m.id === c.id));
    expect(mine.length).toBeGreaterThan(0);
    expect(other).toBeDefined();

    expect((await w.http.get(`/api/v1/chiefs/${mine[0].id}`, streetOperator)).status).toBe(200);
    const read = await w.http.get(`/api/v1/chiefs/${other!.id}`, streetOperator);
    expect([read.status, read.body.error]).toEqual([404, 'not_found']);
    expect(JSON.stringify(read.body)).not.toContain(String(other!.phone ?? 'no phone'));
    const missing = await w.http.get('/api/v1/chiefs/999999', streetOperator);
    expect(missing.status).toBe(404);

    const audits = async () => (await w.db.query(`SELECT count(*)::int AS n FROM audit_entry`)).rows[0].n as number;
    const before = await audits();
    for (const body of [{ available: false }, { deputyId: mine[0].id }]) {
      const changed = await w.http.call('PATCH', `/api/v1/chiefs/${other!.id}`, { auth: streetOperator, body });
      expect([changed.status, changed.body.error]).toEqual([404, 'not_found']);
    }
    const deputy = await w.http.call('PATCH', `/api/v1/chiefs/${mine[0].id}`, { auth: streetOperator, body: { deputyId: other!.id } });
    expect([deputy.status, deputy.body.details?.[0]?.field]).toEqual([403, 'deputyId']);
    const now = must(await w.http.get<ChiefView>(`/api/v1/chiefs/${other!.id}`, w.auth.operator)) as ChiefView;
    expect([now.available, now.deputy]).toEqual([other!.available, other!.deputy]);
    expect((must(await w.http.get<ChiefView>(`/api/v1/chiefs/${mine[0].id}`, w.auth.operator)) as ChiefView).deputy).toEqual(mine[0].deputy);
    expect(await audits()).toBe(before);
  });

  it("cannot merge a case of the street into another street's case: 404 naming targetId, nothing written", async () => {
    const own = await citizenReport(await pointIn(street));
    const foreign = await citizenReport(await pointIn(street, true));
    expect(own.street.code).toBe(street);
    expect(foreign.street.code).not.toBe(street);
    const events = async () => (await w.db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = ANY($1::uuid[])`, [[own.id, foreign.id]])).rows[0].n as number;
    const before = await events();

    const merged = await w.http.act(own.id, 'merge', { targetId: foreign.id, reason: 'same heap' }, streetOperator);
    expect([merged.status, merged.body.error, merged.body.details?.[0]?.field]).toEqual([404, 'not_found', 'targetId']);
    // The other way round the case itself is outside the street (403, as before).
    const reverse = await w.http.act(foreign.id, 'merge', { targetId: own.id, reason: 'same heap' }, streetOperator);
    expect(reverse.status).toBe(403);
    expect(await events()).toBe(before);
    expect((must(await w.http.get<CaseBody>(`/api/v1/cases/${own.id}`, w.auth.operator)) as CaseBody).status).toBe('reported');

    // A district operator may merge across streets.
    must(await w.http.act(own.id, 'merge', { targetId: foreign.id, reason: 'same heap' }, w.auth.operator));
  });

  it('refuses the queues to street-level staff (403), on the list and the retry; district staff keep them', async () => {
    for (const auth of [streetOperator, streetAdmin]) {
      const list = await w.http.get('/api/v1/admin/jobs', auth);
      expect([list.status, list.body.error]).toEqual([403, 'district_staff_only']);
      const retry = await w.http.post(`/api/v1/admin/jobs/${ALL_QUEUES[0]}/1/retry`, {}, auth);
      expect([retry.status, retry.body.error]).toEqual([403, 'district_staff_only']);
    }
    for (const auth of [w.auth.operator, w.auth.admin]) expect((await w.http.get('/api/v1/admin/jobs', auth)).status).toBe(200);
    expect((await w.http.get('/api/v1/admin/jobs', w.auth.leader)).status).toBe(403);
  });
});
