import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import type { DispatchAccuracyReport, EvaluationReport } from '@wangge/evaluation';
import { startIntake } from '../support/apps';
import { act, caseIn, eventCount, must, type World } from '../cases/helpers/workflow';
import { api, chiefIdOf, pointInWardenCell } from '../support/cases';
import { Client } from 'pg';

/**
 * Typed returns and 准确派遣率 (issue 22, item 4), on a ManualClock. The operator dispatches three
 * cases to chief3 by hand: one is handled and closed on time, one chief3 returns as the wrong
 * category, one as `other`. The wrong-category return lowers the operator's accurate-dispatch rate
 * (2 of 3) and leaves chief3's evaluation as it was; the `other` return counts against no one.
 */
describe('typed returns and the accurate-dispatch rate', () => {
  const clock = new ManualClock('2027-03-01T09:00:00+08:00');
  let w: World;
  const DAY = 'from=2027-03-01&to=2027-03-01';

  beforeAll(async () => {
    const app = await startIntake('dispatch_accuracy', { REPORT_RATE_LIMIT: '100000' }, { clock });
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    const auth: Record<string, string> = {};
    for (const u of ['operator', 'leader', 'admin', 'warden1', 'chief1', 'chief2', 'chief3']) auth[u] = await app.bearer(u);
    const chiefs = { chief1: await chiefIdOf(db, 'chief1'), chief2: await chiefIdOf(db, 'chief2'), chief3: await chiefIdOf(db, 'chief3') };
    let n = 0;
    w = {
      app,
      http: api(app),
      db,
      auth,
      chiefs,
      point: (warden = 'warden1') => pointInWardenCell(db, warden, n++),
      async close() {
        await db.end();
        await app.close();
      },
    };
  }, 120_000);

  afterAll(async () => {
    await w?.close();
  });

  const chief3Row = async () => {
    const report = must(await w.http.get<EvaluationReport>(`/api/v1/evaluation?${DAY}&groupBy=chief`, w.auth.leader)) as unknown as EvaluationReport;
    return report.rows.find((r) => r.group.id === String(w.chiefs.chief3));
  };
  const dispatchers = async (user = 'leader') => must(await w.http.get<DispatchAccuracyReport>(`/api/v1/evaluation/dispatchers?${DAY}`, w.auth[user])) as unknown as DispatchAccuracyReport;

  let wrong: string;
  let other: string;

  it('an unknown return type is refused with 422 naming reasonType, and writes nothing', async () => {
    const closed = await caseIn(w, 'closed');
    expect(closed.status).toBe('closed');
    wrong = (await caseIn(w, 'dispatched')).id;
    other = (await caseIn(w, 'dispatched')).id;
    const events = await eventCount(w, wrong);
    for (const reasonType of ['wrong_road', 42, '']) {
      const refused = await w.http.act(wrong, 'return', { reason: 'x', reasonType }, w.auth.chief3);
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.error).toBe('bad_return_type');
      expect(refused.body.details?.[0]?.field).toBe('reasonType');
    }
    // `other` needs the free reason.
    const bare = await w.http.act(wrong, 'return', { reasonType: 'other' }, w.auth.chief3);
    expect(bare.status).toBe(400);
    expect(bare.body.details?.[0]?.field).toBe('reason');
    expect(await eventCount(w, wrong)).toBe(events);
  });

  it('a wrong-category return lowers the dispatcher’s accurate-dispatch rate, not the chief’s score', async () => {
    const before = await chief3Row();
    expect(before?.score).not.toBeNull();
    expect((await dispatchers()).rows.find((r) => r.dispatcher.role === 'operator')).toMatchObject({ dispatches: 3, wrongDispatches: 0, accurateDispatchRate: 1 });

    clock.set('2027-03-01T11:00:00+08:00');
    const returned = await act(w, wrong, 'return', { reasonType: 'wrong_category' }, 'chief3');
    expect(returned.status).toBe('registered');
    const evidence = (await w.http.get<{ timeline: { type: string; evidence: Record<string, unknown> }[] }>(`/api/v1/cases/${wrong}`, w.auth.operator)).body.timeline.find(
      (e) => e.type === 'case.returned',
    )?.evidence;
    expect(evidence).toEqual({ reasonType: 'wrong_category' });
    await act(w, other, 'return', { reasonType: 'other', reason: '另有安排 other plans' }, 'chief3');

    const report = await dispatchers();
    const operatorRow = report.rows.find((r) => r.dispatcher.role === 'operator');
    expect(operatorRow).toMatchObject({ dispatches: 3, returned: 2, wrongDispatches: 1, byType: { wrong_category: 1 } });
    expect(operatorRow?.accurateDispatchRate).toBeCloseTo(2 / 3, 10);
    expect(report.totals).toMatchObject({ dispatches: 3, wrongDispatches: 1 });

    // The chief who returned them is not marked down: the returned cases are no longer theirs to count,
    // so their row holds the one case they closed on time (the two still open had weighed on 结案率).
    const after = await chief3Row();
    expect(after?.score).toBeGreaterThanOrEqual(before!.score!);
    expect(after).toMatchObject({ score: 100, counts: { registered: 1, registeredClosed: 1, overdueOpen: 0, reworks: 0 } });
  });

  it('a re-dispatch by another person is judged on its own: a return undoes the last dispatch only', async () => {
    clock.set('2027-03-01T12:00:00+08:00');
    // The leader cannot dispatch; the operator dispatches the returned case to chief2, who accepts it.
    await act(w, wrong, 'dispatch', { assigneeId: w.chiefs.chief2 }, 'operator');
    await act(w, wrong, 'accept', {}, 'chief2');
    const report = await dispatchers();
    expect(report.rows.find((r) => r.dispatcher.role === 'operator')).toMatchObject({ dispatches: 4, wrongDispatches: 1 });
  });

  it('only the command centre reads it: a chief gets 403', async () => {
    const res = await w.http.get(`/api/v1/evaluation/dispatchers?${DAY}`, w.auth.chief3);
    expect(res.status).toBe(403);
    const bad = await w.http.get(`/api/v1/evaluation/dispatchers?from=2027-03-02&to=2027-03-01`, w.auth.leader);
    expect(bad.status).toBe(400);
  });
});
