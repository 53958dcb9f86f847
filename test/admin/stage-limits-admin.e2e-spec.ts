import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStreetAdmin } from '../support/cases';
import { act, must, report, startWorld, type World } from '../cases/helpers/workflow';

interface StageLimits {
  limits: { stage: string; minutes: number; source: string; defaultMinutes: number; effectiveFrom: string | null; setBy: { id: string | null; name: string } | null }[];
  history: { stage: string; minutes: number; effectiveFrom: string; setBy: { name: string } }[];
}

const MINUTE = 60_000;

/** Issue 22 item 2: the stage limits a district's admin sets (history kept, audited), the environment's as defaults. */
describe('admin: stage limits per district', () => {
  let w: World;
  let streetAdmin: string;
  const state = async () =>
    (
      await w.db.query(
        `SELECT (SELECT count(*) FROM stage_limit)::int AS rows, (SELECT count(*) FROM audit_entry WHERE entity = 'stage_limit')::int AS audits`,
      )
    ).rows[0] as { rows: number; audits: number };
  const openStage = async (caseId: string, stage: string) =>
    (await w.db.query(`SELECT started_at, due_at FROM case_stage WHERE case_id = $1 AND stage = $2 AND ended_at IS NULL`, [caseId, stage])).rows[0] as { started_at: Date; due_at: Date };
  const limitOf = (s: { started_at: Date; due_at: Date }) => (s.due_at.getTime() - s.started_at.getTime()) / MINUTE;

  beforeAll(async () => {
    w = await startWorld('admin-stage-limits', { REGISTER_LIMIT_MIN: '10', DISPATCH_LIMIT_MIN: '15', CHECK_LIMIT_MIN: '30' });
    await addStreetAdmin(w.db);
    streetAdmin = await w.app.bearer('street_admin', 'street-admin-pass-1');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('with none set, the limits are the environment\'s defaults', async () => {
    const view = must(await w.http.get<StageLimits>('/api/v1/admin/stage-limits', w.auth.admin)) as StageLimits;
    expect(view.limits).toEqual([
      { stage: 'register', minutes: 10, source: 'default', defaultMinutes: 10, effectiveFrom: null, setBy: null },
      { stage: 'dispatch', minutes: 15, source: 'default', defaultMinutes: 15, effectiveFrom: null, setBy: null },
      { stage: 'check', minutes: 30, source: 'default', defaultMinutes: 30, effectiveFrom: null, setBy: null },
    ]);
    expect(view.history).toEqual([]);
  });

  it('a change applies to the stages opened from then on, in this process, without a restart; open stages keep theirs', async () => {
    const before = await report(w); // its register stage opened with the default
    expect(limitOf(await openStage(before.id, 'register'))).toBe(10);

    const saved = must(await w.http.call<StageLimits>('PUT', '/api/v1/admin/stage-limits', { auth: w.auth.admin, body: { register: 5, dispatch: 15, check: 45 } })) as StageLimits;
    expect(saved.limits.map((l) => [l.stage, l.minutes, l.source])).toEqual([
      ['register', 5, 'district'],
      ['dispatch', 15, 'district'],
      ['check', 45, 'district'],
    ]);
    expect(saved.limits[0].setBy?.name).toBeTruthy();
    expect(must(await w.http.get('/api/v1/admin/stage-limits', w.auth.admin))).toEqual(saved);
    const { rows } = await w.db.query(`SELECT action, actor_username, before, after FROM audit_entry WHERE entity = 'stage_limit'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'stage_limit.update',
      actor_username: 'admin',
      before: { register: { minutes: 10, source: 'default' }, check: { minutes: 30, source: 'default' } },
      after: { register: { minutes: 5, source: 'district' }, check: { minutes: 45, source: 'district' } },
    });

    // The report batch's statement (register) and the workflow (check, dispatch) read the new values.
    const after = await report(w);
    expect(limitOf(await openStage(after.id, 'register'))).toBe(5);
    await act(w, after.id, 'verify-request', {}, 'operator');
    expect(limitOf(await openStage(after.id, 'check'))).toBe(45);
    await act(w, after.id, 'register', {}, 'operator');
    expect(limitOf(await openStage(after.id, 'dispatch'))).toBe(15);
    // The stage opened before keeps the limit it was opened with.
    expect(limitOf(await openStage(before.id, 'register'))).toBe(10);

    // Saving again changes one stage: one row more, the history keeps both values of it.
    const again = must(await w.http.call<StageLimits>('PUT', '/api/v1/admin/stage-limits', { auth: w.auth.admin, body: { register: 8, dispatch: 15, check: 45 } })) as StageLimits;
    expect(again.limits[0]).toMatchObject({ stage: 'register', minutes: 8, source: 'district' });
    expect(again.history.filter((h) => h.stage === 'register').map((h) => h.minutes)).toEqual([8, 5]);
    expect(await state()).toEqual({ rows: 4, audits: 2 });
    // The same values again: nothing to record.
    must(await w.http.call('PUT', '/api/v1/admin/stage-limits', { auth: w.auth.admin, body: { register: 8, dispatch: 15, check: 45 } }));
    expect(await state()).toEqual({ rows: 4, audits: 2 });
  });

  it('bad minutes answer 400 naming the field, and write nothing', async () => {
    const before = await state();
    const cases: [unknown, string][] = [
      [{ register: 0, dispatch: 15, check: 30 }, 'register'],
      [{ register: 10, dispatch: 1.5, check: 30 }, 'dispatch'],
      [{ register: 10, dispatch: 15, check: 'soon' }, 'check'],
      [{ register: 10, dispatch: 15 }, 'check'],
      [{ register: 10, dispatch: 15, check: 10081 }, 'check'],
      [{ register: -5, dispatch: 15, check: 30 }, 'register'],
    ];
    for (const [body, field] of cases) {
      const answer = await w.http.call('PUT', '/api/v1/admin/stage-limits', { auth: w.auth.admin, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.details?.map((d) => d.field), JSON.stringify(body)).toContain(field);
    }
    expect(await state()).toEqual(before);
  });

  it('only a district admin reads or sets them', async () => {
    const before = await state();
    for (const who of [w.auth.operator, w.auth.leader, w.auth.warden1, w.auth.chief1]) {
      expect((await w.http.get('/api/v1/admin/stage-limits', who)).status).toBe(403);
      expect((await w.http.call('PUT', '/api/v1/admin/stage-limits', { auth: who, body: { register: 1, dispatch: 1, check: 1 } })).status).toBe(403);
    }
    const street = await w.http.call('PUT', '/api/v1/admin/stage-limits', { auth: streetAdmin, body: { register: 1, dispatch: 1, check: 1 } });
    expect(street.status).toBe(403);
    expect(street.body.error).toBe('district_admin_only');
    expect((await w.http.get('/api/v1/admin/stage-limits')).status).toBe(401);
    expect(await state()).toEqual(before);
  });
});
