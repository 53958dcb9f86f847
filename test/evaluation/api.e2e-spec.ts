import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppealView, EvaluationReport } from '@wangge/evaluation';
import { startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, withDb } from '../support/cases';
import { craftCase, type CraftedEvent } from './crafted-cases';

let app: RunningApp;
let http: ReturnType<typeof api>;
const auth: Record<string, string> = {};
let A: number;
let B: number;
let S1: { street: string; cell: string };
let S2: { street: string; cell: string };
let std: { id: number; category: string };
/** A's case marked overdue; A's case never overdue; B's case marked overdue. */
let overdueA: string;
let onTimeA: string;
let overdueB: string;

const d = (type: string, at: string, extra: Partial<CraftedEvent> = {}): CraftedEvent => ({ type, at, ...extra });

beforeAll(async () => {
  app = await startIntake('evaluation_api');
  http = api(app);
  await withDb(app.databaseUrl, async (db) => {
    A = await chiefIdOf(db, 'chief3');
    B = await chiefIdOf(db, 'chief2');
    [S1, S2] = (await db.query(`SELECT DISTINCT ON (street_code) street_code AS street, code AS cell FROM grid_cell ORDER BY street_code, code LIMIT 2`)).rows;
    std = (await db.query(`SELECT id, category_code AS category FROM category_standard WHERE clock_type = 'urgent_hours' ORDER BY id LIMIT 1`)).rows[0];
    // A street-level operator and a street-level leader of S2 (password as the demo operator's).
    for (const [username, role] of [['street-op', 'operator'], ['street-lead', 'leader']]) {
      await db.query(
        `INSERT INTO app_user (username, name, role, password_hash, street_code)
         SELECT $1, '街道' || $2, $2, password_hash, $3 FROM app_user WHERE username = 'operator'`,
        [username, role, S2.street],
      );
    }
    const open = (cell: string, chief: number, day: string, overdue: boolean) =>
      craftCase(db, { cell, category: std.category, standardId: std.id, events: [
        d('case.reported', `${day}T09:00`), d('case.registered', `${day}T09:00`),
        d('case.dispatched', `${day}T10:00`, { chief, deadline: `${day}T14:00` }), d('case.accepted', `${day}T10:30`),
        ...(overdue ? [d('case.overdue', `${day}T14:00`)] : [])] });
    overdueA = await open(S1.cell, A, '2026-04-06', true);
    onTimeA = await open(S1.cell, A, '2026-04-07', false);
    overdueB = await open(S2.cell, B, '2026-04-08', true);
  });
  for (const u of ['leader', 'operator', 'admin', 'chief3', 'chief2', 'warden1', 'street-op', 'street-lead']) auth[u] = await app.bearer(u);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const APRIL = 'from=2026-04-01&to=2026-04-30';

describe('GET /api/v1/evaluation: who sees which rows', () => {
  const get = async (user: string, query: string) => {
    const res = await http.get<EvaluationReport>(`/api/v1/evaluation?${query}`, auth[user]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as unknown as EvaluationReport;
  };

  it.each([
    ['leader', 'street', () => [S1.street, S2.street]],
    ['operator', 'street', () => [S1.street, S2.street]],
    ['admin', 'street', () => [S1.street, S2.street]],
    ['street-op', 'street', () => [S2.street]],
    ['street-op', 'chief', () => [String(B)]],
    ['chief3', 'street', () => [S1.street]],
    ['chief2', 'street', () => [S2.street]],
  ])('%s by %s', async (user, groupBy, expected) => {
    const report = await get(user, `${APRIL}&groupBy=${groupBy}`);
    expect(report.rows.map((r) => r.group.id).sort()).toEqual(expected().sort());
  });

  it('a chief sees only their own row, with their rank among all chiefs', async () => {
    const all = await get('leader', `${APRIL}&groupBy=chief`);
    expect(all.rows.map((r) => r.group.id).sort()).toEqual([String(A), String(B)].sort());
    const own = await get('chief3', `${APRIL}&groupBy=chief`);
    expect(own.rows).toHaveLength(1);
    expect(own.rows[0].group.id).toBe(String(A));
    expect(own.rows[0].rank).toBe(all.rows.find((r) => r.group.id === String(A))!.rank);
    expect(own.scope).toEqual({ chiefId: A });
    expect(own.totals.counts).toEqual(own.rows[0].counts);
  });

  it.each([
    ['warden1', 403],
    [undefined, 401],
  ])('%s may not read evaluations (%i)', async (user, status) => {
    const res = await http.get(`/api/v1/evaluation?${APRIL}&groupBy=street`, user ? auth[user] : undefined);
    expect(res.status).toBe(status);
  });

  it.each([
    ['to=2026-04-30&groupBy=street', 'from'],
    ['from=2026-04-01&groupBy=street', 'to'],
    ['from=2026-04-01&to=2026-04-30', 'groupBy'],
    ['from=2026-04-01&to=2026-04-30&groupBy=road', 'groupBy'],
    ['from=yesterday&to=2026-04-30&groupBy=street', 'from'],
    ['from=2026-02-30&to=2026-04-30&groupBy=street', 'from'],
    ['from=2026-04-01&to=2026-13-01&groupBy=street', 'to'],
    ['from=2026-04-30&to=2026-04-01&groupBy=street', 'from'],
    ['from=2026-04-01T10:00:00Z&to=2026-04-01T10:00:00Z&groupBy=street', 'from'],
    ['from=2024-01-01&to=2026-04-30&groupBy=street', 'to'],
    ['from=2026-04-01&to=2026-04-30&groupBy=street&formulaVersion=x', 'formulaVersion'],
    ['from=2026-04-01&to=2026-04-30&groupBy=street&formulaVersion=0', 'formulaVersion'],
    ['from=2026-04-01&to=2026-04-30&groupBy=street&extra=1', 'extra'],
  ])('bad input %s → 400 naming %s', async (query, field) => {
    const res = await http.get(`/api/v1/evaluation?${query}`, auth.leader);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.details?.map((x) => x.field)).toContain(field);
  });

  it('an unknown formula version → 404 naming formulaVersion', async () => {
    const res = await http.get(`/api/v1/evaluation?${APRIL}&groupBy=street&formulaVersion=99`, auth.leader);
    expect(res.status).toBe(404);
    expect(res.body.details?.[0].field).toBe('formulaVersion');
  });
});

describe('appeals of overdue marks', () => {
  let appealId: string;

  it('a chief appeals an overdue case assigned to them, once', async () => {
    const res = await http.post<AppealView>('/api/v1/appeals', { caseId: overdueA, reason: '暴雨导致无法施工 heavy rain' }, auth.chief3);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', chief: { id: A }, case: { id: overdueA }, streetCode: S1.street });
    appealId = res.body.id;
    const again = await http.post('/api/v1/appeals', { caseId: overdueA, reason: 'again' }, auth.chief3);
    expect([again.status, again.body.error]).toEqual([409, 'appeal_exists']);
  });

  it.each([
    ['another chief’s case', () => ({ caseId: overdueB, reason: 'x' }), 'chief3', 403, 'not_assignee'],
    ['a case never marked overdue', () => ({ caseId: onTimeA, reason: 'x' }), 'chief3', 409, 'not_overdue'],
    ['an unknown case', () => ({ caseId: '00000000-0000-4000-8000-000000000000', reason: 'x' }), 'chief3', 404, 'not_found'],
    ['no reason', () => ({ caseId: overdueB }), 'chief2', 400, 'bad_input'],
    ['not a case id', () => ({ caseId: 'abc', reason: 'x' }), 'chief2', 400, 'bad_input'],
    ['by an operator', () => ({ caseId: overdueB, reason: 'x' }), 'operator', 403, undefined],
  ])('refused: %s', async (_name, body, user, status, code) => {
    const res = await http.post('/api/v1/appeals', body(), auth[user]);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (code) expect(res.body.error).toBe(code);
  });

  it('lists are scoped: the chief their own, the street staff their street, the leader all', async () => {
    const b = await http.post<AppealView>('/api/v1/appeals', { caseId: overdueB, reason: '路段施工封闭 road closed' }, auth.chief2);
    expect(b.status).toBe(201);
    const ids = async (user: string, q = '') => ((await http.get<AppealView[]>(`/api/v1/appeals${q}`, auth[user])).body as unknown as AppealView[]).map((a) => a.case.id).sort();
    expect(await ids('chief3')).toEqual([overdueA]);
    expect(await ids('chief2')).toEqual([overdueB]);
    expect(await ids('street-op')).toEqual([overdueB]);
    expect(await ids('leader')).toEqual([overdueA, overdueB].sort());
    expect(await ids('leader', '?status=approved')).toEqual([]);
    const bad = await http.get('/api/v1/appeals?status=maybe', auth.leader);
    expect([bad.status, bad.body.details?.[0].field]).toEqual([400, 'status']);
    expect((await http.get('/api/v1/appeals', auth.warden1)).status).toBe(403);
  });

  it('only a leader with the case in their jurisdiction decides, once', async () => {
    expect((await http.post(`/api/v1/appeals/${appealId}/decision`, { approved: true }, auth.operator)).status).toBe(403);
    const outside = await http.post(`/api/v1/appeals/${appealId}/decision`, { approved: true }, auth['street-lead']);
    expect([outside.status, outside.body.error]).toEqual([403, 'outside_jurisdiction']);
    const bad = await http.post(`/api/v1/appeals/${appealId}/decision`, { approved: 'yes' }, auth.leader);
    expect([bad.status, bad.body.details?.[0].field]).toEqual([400, 'approved']);
    expect((await http.post('/api/v1/appeals/not-an-id/decision', { approved: true }, auth.leader)).status).toBe(400);
    expect((await http.post('/api/v1/appeals/00000000-0000-4000-8000-000000000000/decision', { approved: true }, auth.leader)).status).toBe(404);
  });

  it('an approved appeal exempts the case from the timeliness metrics; the history keeps the raw facts', async () => {
    const evaluateA = async () => {
      const res = await http.get<EvaluationReport>(`/api/v1/evaluation?${APRIL}&groupBy=chief`, auth.leader);
      return (res.body as unknown as EvaluationReport).rows.find((r) => r.group.id === String(A))!;
    };
    const before = await evaluateA();
    // overdueA and onTimeA are due (both still open; onTimeA too is past its deadline, unmarked).
    expect([before.counts.due, before.counts.overdueOpen, before.counts.exempted]).toEqual([2, 2, 0]);

    const decided = await http.post<AppealView>(`/api/v1/appeals/${appealId}/decision`, { approved: true, note: '情况属实 confirmed' }, auth.leader);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body).toMatchObject({ status: 'approved', decisionNote: '情况属实 confirmed' });
    const again = await http.post(`/api/v1/appeals/${appealId}/decision`, { approved: false }, auth.leader);
    expect([again.status, again.body.error]).toEqual([409, 'appeal_decided']);

    const after = await evaluateA();
    expect([after.counts.due, after.counts.overdueOpen, after.counts.exempted]).toEqual([1, 1, 1]);
    expect(after.counts.reported).toBe(before.counts.reported);

    const view = await http.get<{ timeline: { type: string }[]; overdue: boolean }>(`/api/v1/cases/${overdueA}`, auth.leader);
    const types = view.body.timeline.map((e) => e.type);
    expect(types).toContain('case.overdue');
    expect(types.slice(-2)).toEqual(['case.appealed', 'case.appeal_decided']);
  });

  it('a rejected appeal changes nothing in the metrics', async () => {
    const list = (await http.get<AppealView[]>('/api/v1/appeals?status=pending', auth.leader)).body as unknown as AppealView[];
    const res = await http.post<AppealView>(`/api/v1/appeals/${list[0].id}/decision`, { approved: false }, auth['street-lead']);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('rejected');
    const report = (await http.get<EvaluationReport>(`/api/v1/evaluation?${APRIL}&groupBy=chief`, auth.leader)).body as unknown as EvaluationReport;
    expect(report.rows.find((r) => r.group.id === String(B))!.counts).toMatchObject({ due: 1, overdueOpen: 1, exempted: 0 });
  });
});
