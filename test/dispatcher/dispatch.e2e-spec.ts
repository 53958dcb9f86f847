import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { TimerSweeper } from '../../apps/dispatcher/src/clocks/timer-sweeper';
import { until } from '../support/until';

interface CaseBody {
  id: string;
  status: string;
  assignee: { id: number; level: number } | null;
  routingReason: string | null;
  deadlineAt: string | null;
  overdue: boolean;
  escalationLevel: number;
  timeline?: { type: string; reason: string | null }[];
}

describe('the dispatcher routes registered cases and runs their clocks', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let http: ReturnType<typeof api>;
  const clock = new ManualClock(new Date());
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' };
    intake = await startIntake('dispatch', env);
    dispatcher = await startDispatcher(intake.databaseUrl, env, { clock });
    http = api(intake);
    for (const u of ['operator', 'admin', 'warden1', 'chief1', 'chief2', 'chief3']) auth[u] = await intake.bearer(u);
  });
  afterAll(async () => {
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  const view = (id: string) => http.get<CaseBody>(`/api/v1/cases/${id}`, auth.operator).then((a) => a.body);

  it('a warden report is registered and dispatched to its chief within moments, with the reason', async () => {
    const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 3));
    const created = await http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description: 'garbage', location: { lng: p.lng, lat: p.lat } }, auth.warden1);
    expect(created.status).toBe(201);
    const located = await http.get<{ assignee: { id: number }; reason: string }>(`/api/v1/locate?lng=${p.lng}&lat=${p.lat}`, auth.operator);
    const c = await until('dispatch', 10_000, async () => {
      const v = await view(created.body.id);
      return v.status === 'dispatched' && v;
    });
    expect(c.assignee?.id).toBe(located.body.assignee.id);
    expect(c.routingReason).toBe(located.body.reason);
    expect(c.deadlineAt).toBeTruthy();
  });

  it('a chief returns a case: it is dispatched again, to someone else', async () => {
    const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 5));
    const created = await http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description: 'garbage 2', location: { lng: p.lng, lat: p.lat } }, auth.warden1);
    const first = await until('dispatch', 10_000, async () => {
      const v = await view(created.body.id);
      return v.status === 'dispatched' && v;
    });
    // Reassign by hand to chief3 so a demo login can return it.
    const chief3 = await withDb(intake.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    if (first.assignee?.id !== chief3) {
      expect((await http.act(created.body.id, 'dispatch', { assigneeId: chief3, reason: 'by hand' }, auth.operator)).status).toBe(200);
    }
    expect((await http.act(created.body.id, 'return', { reason: 'not my segment' }, auth.chief3)).status).toBe(200);
    const again = await until('re-dispatch', 10_000, async () => {
      const v = await view(created.body.id);
      return v.status === 'dispatched' && v;
    });
    expect(again.assignee?.id).not.toBe(chief3);
    expect(again.routingReason).toMatch(/returned/);
  });

  it('a missed deadline marks the case overdue and escalates it twice, one level each limit', async () => {
    // On a road with chiefs on all three levels: segment (3) → road level 2 → road level 1.
    const p = await withDb(intake.databaseUrl, async (db) => {
      const { rows } = await db.query(
        `SELECT ST_X(ST_LineInterpolatePoint(rs.geom, 0.5)) AS lng, ST_Y(ST_LineInterpolatePoint(rs.geom, 0.5)) AS lat
           FROM road_segment rs JOIN road r ON r.id = rs.road_id
          WHERE EXISTS (SELECT 1 FROM road_chief_scope s WHERE s.kind = 'road' AND s.road_id = r.id AND s.level = 1)
            AND EXISTS (SELECT 1 FROM road_chief_scope s WHERE s.kind = 'road' AND s.road_id = r.id AND s.level = 2)
          ORDER BY rs.id LIMIT 1`,
      );
      return rows[0] as { lng: number; lat: number };
    });
    const created = await http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description: 'garbage 3', location: { lng: p.lng, lat: p.lat } }, auth.warden1);
    const dispatched = await until('dispatch', 10_000, async () => {
      const v = await view(created.body.id);
      return v.status === 'dispatched' && v;
    });
    const sweeper = dispatcher.app.get(TimerSweeper);
    clock.set(new Date(new Date(dispatched.deadlineAt!).getTime() + 60_000));
    await sweeper.sweep(false);
    const once = await until('escalation 1', 10_000, async () => {
      const v = await view(created.body.id);
      return v.escalationLevel === 1 && v;
    });
    expect(once.overdue).toBe(true);
    expect(once.timeline?.map((e) => e.type)).toEqual(expect.arrayContaining(['case.overdue', 'case.escalated']));
    const next = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT next_check_at FROM case_file WHERE id = $1`, [created.body.id])).rows[0].next_check_at as Date);
    clock.set(new Date(next.getTime() + 60_000));
    await sweeper.sweep(false);
    const twice = await until('escalation 2', 10_000, async () => {
      const v = await view(created.body.id);
      return v.escalationLevel === 2 && v;
    });
    expect(twice.timeline?.filter((e) => e.type === 'case.escalated')).toHaveLength(2);
    expect(twice.timeline?.filter((e) => e.type === 'case.overdue')).toHaveLength(1);
  });

  it('a case no chief can take lands in the failed set; once a chief is back an operator retries it', async () => {
    const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 9));
    const located = await http.get<{ assignee: { id: number } }>(`/api/v1/locate?lng=${p.lng}&lat=${p.lat}`, auth.operator);
    // Put every chief who could take the case on leave (directly in the database: no deputies either).
    const { rows } = await withDb(intake.databaseUrl, (db) => db.query(`UPDATE road_chief SET available = false RETURNING id`));
    try {
      const created = await http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description: 'garbage 4', location: { lng: p.lng, lat: p.lat } }, auth.warden1);
      const failed = await until('failed job', 10_000, async () => {
        const list = await http.get<{ items: { id: string; queue: string; data: { caseId: string }; failedReason: string }[] }>('/api/v1/admin/jobs?state=failed', auth.operator);
        return list.body.items.find((j) => j.data.caseId === created.body.id);
      });
      expect(failed.queue).toBe('routing');
      expect(failed.failedReason).toMatch(/no available chief/);
      expect((await view(created.body.id)).status).toBe('registered');
      await withDb(intake.databaseUrl, (db) => db.query(`UPDATE road_chief SET available = true WHERE id = ANY($1::int[])`, [rows.map((r) => r.id)]));
      const retried = await http.post(`/api/v1/admin/jobs/routing/${failed.id}/retry`, {}, auth.operator);
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      const c = await until('dispatch after retry', 10_000, async () => {
        const v = await view(created.body.id);
        return v.status === 'dispatched' && v;
      });
      expect(c.assignee?.id).toBe(located.body.assignee.id);
      // The retry is an admin change: it is in the audit trail once, with who did it.
      const audit = await http.get<{ action: string; entityId: string; actor: { username: string } }[]>('/api/v1/admin/audit?entity=job', auth.admin);
      const entries = (audit.body as unknown as { action: string; entityId: string; actor: { username: string } }[]).filter((e) => e.entityId === `routing/${failed.id}`);
      expect(entries).toMatchObject([{ action: 'job.retry', actor: { username: 'operator' } }]);
      expect((await http.get('/api/v1/admin/jobs', auth.chief3)).status).toBe(403);
    } finally {
      await withDb(intake.databaseUrl, (db) => db.query(`UPDATE road_chief SET available = true WHERE id = ANY($1::int[])`, [rows.map((r) => r.id)]));
    }
  });
});
