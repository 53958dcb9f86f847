import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell, withDb } from '../support/cases';

interface CaseBody {
  id: string;
  code: string;
  status: string;
  trackingToken?: string;
  assignee: { id: number } | null;
  deadlineAt: string | null;
  reporter?: unknown;
  timeline?: { seq: number; type: string; from: string; to: string; actor: { role: string } }[];
}

describe('the closed loop over HTTP', () => {
  let app: RunningApp;
  let http: ReturnType<typeof api>;
  let auth: Record<string, string>;

  beforeAll(async () => {
    app = await startIntake('loop');
    http = api(app);
    auth = {};
    for (const u of ['operator', 'leader', 'admin', 'warden1', 'warden2', 'chief1', 'chief2', 'chief3']) auth[u] = await app.bearer(u);
  });
  afterAll(async () => app?.close());

  it('warden report → auto register → dispatch → accept → resolve → verify → closed, every step recorded', async () => {
    const p = await withDb(app.databaseUrl, (db) => pointInWardenCell(db, 'warden1'));
    const chief3 = await withDb(app.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    const created = await http.post<CaseBody>(
      '/api/v1/cases',
      { categoryCode: 'E0102', description: '暴露垃圾 garbage', location: { lng: p.lng, lat: p.lat }, reporter: { name: '王五', phone: '13800000000' } },
      auth.warden1,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.code).toMatch(/^410104-\d{8}-\d{6}$/);
    expect(created.body.status).toBe('registered');
    expect(created.body.trackingToken).toBeTruthy();
    const id = created.body.id;
    // warden1 is on duty: the check the resolve opens is their task (none on duty: the operators').
    expect((await http.call('PATCH', '/api/v1/me/duty', { auth: auth.warden1, body: { onDuty: true } })).status).toBe(200);

    const dispatched = await http.act<CaseBody>(id, 'dispatch', { assigneeId: chief3, reason: 'road chief on duty' }, auth.operator);
    expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
    expect(dispatched.body.status).toBe('dispatched');
    expect(dispatched.body.assignee?.id).toBe(chief3);
    expect(dispatched.body.deadlineAt).toBeTruthy();

    expect((await http.act(id, 'accept', {}, auth.chief3)).status).toBe(200);
    const resolved = await http.act<CaseBody>(id, 'resolve', { note: '已清运 cleared' }, auth.chief3);
    expect(resolved.body.status).toBe('resolved');
    const closed = await http.act<CaseBody>(id, 'verify', { passed: true }, auth.warden1);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe('closed');

    const full = await http.get<CaseBody>(`/api/v1/cases/${id}`, auth.operator);
    expect(full.body.timeline?.map((e) => e.type)).toEqual([
      'case.reported',
      'case.registered',
      'case.dispatched',
      'case.accepted',
      'case.resolved',
      // The check task, given to warden1, the warden of the cell on duty.
      'case.check_assigned',
      'case.closed',
    ]);
    const seqs = full.body.timeline!.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(full.body.reporter).toEqual({ name: '王五', phone: '13800000000', email: null });

    const asWarden = await http.get<CaseBody>(`/api/v1/cases/${id}`, auth.warden1);
    expect(asWarden.body.reporter).toBeUndefined();

    const tracked = await http.get<CaseBody>(`/api/v1/cases/${id}?trackingToken=${created.body.trackingToken}`);
    expect(tracked.status).toBe(200);
    expect(tracked.body.status).toBe('closed');
    expect(tracked.body.reporter).toBeUndefined();
  });

  it('a citizen report waits for the operator, who registers it', async () => {
    const p = await withDb(app.databaseUrl, (db) => pointInWardenCell(db, 'warden2'));
    const created = await http.post<CaseBody>('/api/v1/cases', { categoryCode: 'C0101', description: 'manhole cover missing', location: { lng: p.lng, lat: p.lat } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe('reported');
    const registered = await http.act<CaseBody>(created.body.id, 'register', {}, auth.operator);
    expect(registered.body.status).toBe('registered');
    const again = await http.act<CaseBody>(created.body.id, 'register', {}, auth.operator);
    expect(again.status).toBe(200);
    expect(again.body.timeline?.filter((e) => e.type === 'case.registered')).toHaveLength(1);
    const illegal = await http.act(created.body.id, 'accept', {}, auth.chief3);
    expect([403, 409]).toContain(illegal.status);
  });
});
