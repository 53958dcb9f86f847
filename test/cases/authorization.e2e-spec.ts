import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, caseIn, eventCount, must, onDuty, report, startWorld, view, type CaseBody, type CasePage, type CaseState, type World } from './helpers/workflow';

/** Who calls: the demo user behind each role in the matrix (undefined: no token at all). */
const CALLERS = {
  anonymous: undefined,
  'warden in-cell': 'warden1',
  'warden out-of-cell': 'warden2',
  'chief assigned': 'chief3',
  'chief not assigned': 'chief2',
  operator: 'operator',
  leader: 'leader',
  admin: 'admin',
} as const;
type Caller = keyof typeof CALLERS;
const CALLER_NAMES = Object.keys(CALLERS) as Caller[];

interface Rule {
  action: string;
  /** The state the case is prepared in (a legal state for the action). */
  from: CaseState;
  body: (w: World) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Callers who may take it; everyone else is refused. */
  allowed: Caller[];
  /** What an allowed call leaves the case as. */
  after: (c: CaseBody) => void;
  /** Events an allowed call writes (default 1; a merge writes one on each case). */
  events?: number;
}

let mergeTarget: string;

const RULES: Rule[] = [
  { action: 'register', from: 'reported', body: () => ({}), allowed: ['operator'], after: (c) => expect(c.status).toBe('registered') },
  { action: 'reject', from: 'reported', body: () => ({ reason: '不属于城管范围 not ours' }), allowed: ['operator'], after: (c) => expect(c.status).toBe('rejected') },
  {
    action: 'verify-request',
    from: 'reported',
    body: () => ({}),
    allowed: ['operator'],
    after: (c) => expect([c.status, c.check.requested]).toEqual(['reported', true]),
    // and the check task it gives (case.check_assigned)
    events: 2,
  },
  {
    action: 'dispatch',
    from: 'registered',
    body: (w) => ({ assigneeId: w.chiefs.chief3 }),
    allowed: ['operator'],
    after: (c) => expect([c.status, c.assignee?.level]).toEqual(['dispatched', 3]),
  },
  { action: 'accept', from: 'dispatched', body: () => ({}), allowed: ['chief assigned'], after: (c) => expect(c.status).toBe('in_progress') },
  {
    action: 'return',
    from: 'dispatched',
    body: () => ({ reason: '不属于本路段 wrong road' }),
    allowed: ['chief assigned'],
    after: (c) => expect([c.status, c.assignee]).toEqual(['registered', null]),
  },
  {
    action: 'resolve',
    from: 'in_progress',
    body: () => ({ note: '已修复 fixed' }),
    allowed: ['chief assigned'],
    after: (c) => expect(c.status).toBe('resolved'),
    // and the check task it gives (case.check_assigned)
    events: 2,
  },
  { action: 'verify', from: 'resolved', body: () => ({ passed: true }), allowed: ['warden in-cell', 'operator'], after: (c) => expect(c.status).toBe('closed') },
  { action: 'cancel', from: 'dispatched', body: () => ({ reason: '误报 false report' }), allowed: ['operator'], after: (c) => expect(c.status).toBe('cancelled') },
  {
    action: 'extend',
    from: 'in_progress',
    body: () => ({ hours: 4, reason: '需要调度机械 need machinery' }),
    allowed: ['chief assigned', 'leader'],
    after: (c) => {
      expect(c.status).toBe('in_progress');
      // The assigned chief asks (4 hours pending); the leader grants at once (one extension).
      expect(c.extensionRequestedHours === 4 || c.extensionCount === 1).toBe(true);
    },
  },
  {
    action: 'merge',
    from: 'reported',
    body: () => ({ targetId: mergeTarget, reason: '重复 duplicate' }),
    allowed: ['operator'],
    after: (c) => expect([c.status, c.mergedInto?.id]).toEqual(['merged', mergeTarget]),
    events: 2,
  },
  {
    action: 'comment',
    from: 'dispatched',
    body: () => ({ note: '请尽快处理 please hurry' }),
    allowed: ['warden in-cell', 'chief assigned', 'operator', 'leader', 'admin'],
    after: (c) => expect(c.status).toBe('dispatched'),
  },
];

/** The error code a refused caller gets for an action (the rules of transition.ts, restated). */
function refusal(caller: Caller, rule: Rule): { status: number; error: string } {
  if (caller === 'anonymous') return { status: 401, error: 'unauthenticated' };
  const roleOf: Record<Exclude<Caller, 'anonymous'>, string> = {
    'warden in-cell': 'warden',
    'warden out-of-cell': 'warden',
    'chief assigned': 'chief',
    'chief not assigned': 'chief',
    operator: 'operator',
    leader: 'leader',
    admin: 'admin',
  };
  const roleAllowed = rule.allowed.some((a) => a !== 'anonymous' && roleOf[a] === roleOf[caller]);
  if (!roleAllowed) return { status: 403, error: 'forbidden' };
  if (caller === 'warden out-of-cell') return { status: 403, error: 'outside_jurisdiction' };
  if (caller === 'chief not assigned') return { status: 403, error: 'not_assignee' };
  throw new Error(`no refusal for ${caller} ${rule.action}`);
}

describe('who may do what to a case, over HTTP', () => {
  let w: World;

  beforeAll(async () => {
    w = await startWorld('authz');
    // Checks are the tasks of the wardens on duty in the case's cells (issue 22 item 5).
    await onDuty(w, 'warden1', 'warden2');
    mergeTarget = (await caseIn(w, 'registered')).id;
  });
  afterAll(async () => w?.close());

  /** Calls the action as the caller and, when refused, checks the answer and that nothing was written. */
  async function attempt(caseId: string, rule: Rule, caller: Caller, body: Record<string, unknown>) {
    const user = CALLERS[caller];
    const before = await eventCount(w);
    const answer = await w.http.call<CaseBody>('POST', `/api/v1/cases/${caseId}/${rule.action}`, { auth: user ? w.auth[user] : undefined, body });
    return { answer, before };
  }

  describe.each(RULES)('$action (from $from)', (rule) => {
    it(`only ${rule.allowed.join(', ')} may`, async () => {
      const prepared = await caseIn(w, rule.from);
      const body = await rule.body(w);
      for (const caller of CALLER_NAMES.filter((c) => !rule.allowed.includes(c))) {
        const { answer, before } = await attempt(prepared.id, rule, caller, body);
        const expected = refusal(caller, rule);
        expect(answer.status, `${caller} ${rule.action}: ${JSON.stringify(answer.body)}`).toBe(expected.status);
        expect(answer.body.error, `${caller} ${rule.action}`).toBe(expected.error);
        expect(await eventCount(w), `${caller} ${rule.action} wrote an event`).toBe(before);
      }
      expect((await view(w, prepared.id)).status).toBe(rule.from);

      for (const [i, caller] of rule.allowed.entries()) {
        // Comments change nothing, so every caller may comment on the same case; other actions each get a fresh case.
        const target = i === 0 || rule.action === 'comment' ? prepared : await caseIn(w, rule.from);
        const { answer, before } = await attempt(target.id, rule, caller, body);
        expect(answer.status, `${caller} ${rule.action}: ${JSON.stringify(answer.body)}`).toBe(200);
        rule.after(answer.body);
        expect(await eventCount(w), `${caller} ${rule.action} writes its event`).toBe(before + (rule.events ?? 1));
      }
    });
  });

  describe('jurisdiction', () => {
    it('a warden cannot verify a resolved case outside their cells; the warden of the cell can', async () => {
      const resolved = await caseIn(w, 'resolved', { warden: 'warden2' });
      const before = await eventCount(w);
      const refused = await w.http.act(resolved.id, 'verify', { passed: true }, w.auth.warden1);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('outside_jurisdiction');
      expect(await eventCount(w)).toBe(before);
      expect((await act(w, resolved.id, 'verify', { passed: true }, 'warden2')).status).toBe('closed');
    });

    it('chief2 cannot act on a case assigned to chief3', async () => {
      const dispatched = await caseIn(w, 'dispatched', { chief: 'chief3' });
      const before = await eventCount(w);
      for (const [action, body] of [
        ['accept', {}],
        ['return', { reason: 'not mine' }],
        ['comment', { note: 'hello' }],
      ] as const) {
        const refused = await w.http.act(dispatched.id, action, body, w.auth.chief2);
        expect(refused.status, action).toBe(403);
        expect(refused.body.error, action).toBe('not_assignee');
      }
      await act(w, dispatched.id, 'accept', {}, 'chief3');
      for (const [action, body] of [
        ['resolve', { note: 'done' }],
        ['extend', { hours: 2, reason: 'more time' }],
        ['return', { reason: 'not mine' }],
      ] as const) {
        const refused = await w.http.act(dispatched.id, action, body, w.auth.chief2);
        expect(refused.status, action).toBe(403);
        expect(refused.body.error, action).toBe('not_assignee');
      }
      expect(await eventCount(w)).toBe(before + 1);
      expect((await w.http.get(`/api/v1/cases/${dispatched.id}`, w.auth.chief2)).status).toBe(404);
    });

    it('a chief the case was escalated to may comment and resolve, not accept, return or extend', async () => {
      const c = await caseIn(w, 'in_progress', { chief: 'chief3' });
      await w.db.query(`UPDATE case_file SET escalated_to = ARRAY[$2::int], escalation_level = 1 WHERE id = $1`, [c.id, w.chiefs.chief2]);
      expect((await w.http.get(`/api/v1/cases/${c.id}`, w.auth.chief2)).status).toBe(200);
      const before = await eventCount(w);
      for (const [action, body] of [
        ['return', { reason: 'not mine' }],
        ['extend', { hours: 2, reason: 'more time' }],
      ] as const) {
        const refused = await w.http.act(c.id, action, body, w.auth.chief2);
        expect(refused.status, action).toBe(403);
        expect(refused.body.error, action).toBe('not_assignee');
      }
      expect(await eventCount(w)).toBe(before);
      await act(w, c.id, 'comment', { note: '督办 supervising' }, 'chief2');
      expect((await act(w, c.id, 'resolve', { note: '督办完成 done under supervision' }, 'chief2')).status).toBe('resolved');
      const tasks = must(await w.http.get<CaseBody[]>('/api/v1/me/tasks', w.auth.chief2));
      expect(tasks.map((t) => t.id)).not.toContain(c.id);
    });

    it('a road chief may not report a case: 403, and nothing is written', async () => {
      const before = await eventCount(w);
      const point = await w.point('warden1');
      const refused = await w.http.post('/api/v1/cases', { categoryCode: 'C0101', description: '井盖缺失 manhole cover missing', location: { lng: point.lng, lat: point.lat } }, w.auth.chief3);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: 'forbidden' });
      expect(await eventCount(w)).toBe(before);
    });

    it('a warden may comment on (and read) their own report outside their cells, but not act on it', async () => {
      const c = await report(w, { as: 'warden2', point: await w.point('warden1') });
      expect((await w.http.get(`/api/v1/cases/${c.id}`, w.auth.warden2)).status).toBe(200);
      await act(w, c.id, 'comment', { note: '补充照片说明 more details' }, 'warden2');
      await act(w, c.id, 'dispatch', { assigneeId: w.chiefs.chief3 }, 'operator');
      await act(w, c.id, 'accept', {}, 'chief3');
      await act(w, c.id, 'resolve', { note: 'fixed' }, 'chief3');
      const before = await eventCount(w);
      const refused = await w.http.act(c.id, 'verify', { passed: true }, w.auth.warden2);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('outside_jurisdiction');
      expect(await eventCount(w)).toBe(before);
    });

    it('a street-level operator acts and lists only in their street', async () => {
      // A street operator of 北下街街道 (410104001), whose password is the demo operator's.
      await w.db.query(
        `INSERT INTO app_user (username, name, role, password_hash, street_code)
         SELECT 'operator-410104001', '北下街受理员', 'operator', password_hash, '410104001' FROM app_user WHERE username = 'operator'`,
      );
      const streetOperator = await w.app.bearer('operator-410104001');
      const mine = await report(w, { point: await w.point('warden1') });
      const theirs = await report(w, { point: await w.point('warden2') });
      expect(mine.street.code).toBe('410104001');
      expect(theirs.street.code).toBe('410104002');

      const before = await eventCount(w);
      for (const [action, body] of [
        ['register', {}],
        ['reject', { reason: 'no' }],
        ['verify-request', {}],
        ['cancel', { reason: 'no' }],
        ['comment', { note: 'hi' }],
      ] as const) {
        const refused = await w.http.act(theirs.id, action, body, streetOperator);
        expect(refused.status, action).toBe(403);
        expect(refused.body.error, action).toBe('outside_jurisdiction');
      }
      expect(await eventCount(w)).toBe(before);
      expect((await w.http.get(`/api/v1/cases/${theirs.id}`, streetOperator)).status).toBe(404);

      const registered = must(await w.http.act<CaseBody>(mine.id, 'register', {}, streetOperator));
      expect(registered.status).toBe('registered');
      expect(registered.reporter).toBeDefined();

      const list = must(await w.http.get<CasePage>('/api/v1/cases?limit=200', streetOperator));
      expect(list.items.length).toBeGreaterThan(0);
      expect(new Set(list.items.map((c) => c.street.code))).toEqual(new Set(['410104001']));
      const ids = list.items.map((c) => c.id);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(theirs.id);
      // Asking for another street does not widen the scope.
      const other = must(await w.http.get<CasePage>('/api/v1/cases?street=410104002', streetOperator));
      expect(other.items).toEqual([]);
      // The district operator sees both streets.
      const all = must(await w.http.get<CasePage>('/api/v1/cases?limit=200', w.auth.operator));
      expect(all.items.map((c) => c.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    });
  });

  describe('reads', () => {
    let c: CaseBody;
    let token: string;

    beforeAll(async () => {
      const created = await report(w, { as: 'warden1', reporter: { name: '王五', phone: '13800000000', email: 'wang@example.com' } });
      token = created.trackingToken!;
      c = await act(w, created.id, 'dispatch', { assigneeId: w.chiefs.chief3 }, 'operator');
    });

    it('GET /cases/:id: 404 for a chief not assigned and a warden outside the cells', async () => {
      for (const user of ['chief2', 'chief1', 'warden2']) {
        const answer = await w.http.get(`/api/v1/cases/${c.id}`, w.auth[user]);
        expect(answer.status, user).toBe(404);
        expect(answer.body.error, user).toBe('not_found');
        expect(JSON.stringify(answer.body), user).not.toContain(c.code);
      }
      for (const user of ['chief3', 'warden1', 'operator', 'leader', 'admin']) {
        expect((await w.http.get(`/api/v1/cases/${c.id}`, w.auth[user])).status, user).toBe(200);
      }
    });

    it('the reporter contact only for operator, leader and admin', async () => {
      for (const user of ['operator', 'leader', 'admin']) {
        expect((await view(w, c.id, user)).reporter, user).toEqual({ name: '王五', phone: '13800000000', email: 'wang@example.com' });
      }
      for (const user of ['chief3', 'warden1']) {
        const body = await view(w, c.id, user);
        expect(body.reporter, user).toBeUndefined();
        expect(JSON.stringify(body), user).not.toContain('13800000000');
      }
      const tracked = must(await w.http.get<CaseBody>(`/api/v1/cases/${c.id}?trackingToken=${token}`));
      expect(tracked.reporter).toBeUndefined();
      expect(JSON.stringify(tracked)).not.toContain('13800000000');
      // The action endpoints answer by the same rule.
      const commented = must(await w.http.act<CaseBody>(c.id, 'comment', { note: 'on my way' }, w.auth.chief3));
      expect(commented.reporter).toBeUndefined();
      const byOperator = must(await w.http.act<CaseBody>(c.id, 'comment', { note: 'thanks' }, w.auth.operator));
      expect(byOperator.reporter?.phone).toBe('13800000000');
    });

    it('anonymous: no token → 401, a wrong tracking token → 404, the right one → 200', async () => {
      const none = await w.http.get(`/api/v1/cases/${c.id}`);
      expect(none.status).toBe(401);
      const wrong = await w.http.get(`/api/v1/cases/${c.id}?trackingToken=${'x'.repeat(32)}`);
      expect(wrong.status).toBe(404);
      const other = await report(w);
      const foreign = await w.http.get(`/api/v1/cases/${c.id}?trackingToken=${other.trackingToken}`);
      expect(foreign.status).toBe(404);
      expect((await w.http.get(`/api/v1/cases/${c.id}?trackingToken=${token}`)).status).toBe(200);
    });

    it('a bad case id is 400 naming id; an unknown one 404', async () => {
      const bad = await w.http.get('/api/v1/cases/not-a-uuid', w.auth.operator);
      expect(bad.status).toBe(400);
      expect(bad.body.details?.map((d) => d.field)).toContain('id');
      const missing = await w.http.get('/api/v1/cases/00000000-0000-4000-8000-000000000000', w.auth.operator);
      expect(missing.status).toBe(404);
      const before = await eventCount(w);
      const action = await w.http.act('00000000-0000-4000-8000-000000000000', 'register', {}, w.auth.operator);
      expect(action.status).toBe(404);
      const unknownAction = await w.http.act(c.id, 'teleport', {}, w.auth.operator);
      expect(unknownAction.status).toBe(404);
      expect(await eventCount(w)).toBe(before);
    });
  });

  describe('GET /me/tasks', () => {
    it('a chief: the open cases dispatched to them, by traffic light (red first, then by share of the limit used)', async () => {
      // Dispatched first but with the longer limit (C0101 condition 3: 5 work days)…
      const slow = await caseIn(w, 'dispatched', { conditionNo: 3 });
      // …then the urgent one (condition 1: 2 hours).
      const urgent = await caseIn(w, 'in_progress', { conditionNo: 1 });
      const elsewhere = await caseIn(w, 'dispatched', { chief: 'chief2' });
      const done = await caseIn(w, 'resolved');
      const escalated = await caseIn(w, 'dispatched', { chief: 'chief2' });
      await w.db.query(`UPDATE case_file SET escalated_to = ARRAY[$2::int], escalation_level = 1 WHERE id = $1`, [escalated.id, w.chiefs.chief3]);
      expect(new Date(urgent.deadlineAt!).getTime()).toBeLessThan(new Date(slow.deadlineAt!).getTime());

      const tasks = must(await w.http.get<CaseBody[]>('/api/v1/me/tasks', w.auth.chief3));
      const ids = tasks.map((t) => t.id);
      expect(ids).toContain(slow.id);
      expect(ids).toContain(urgent.id);
      expect(ids.indexOf(urgent.id)).toBeLessThan(ids.indexOf(slow.id));
      expect(ids).not.toContain(elsewhere.id);
      expect(ids).not.toContain(done.id);
      expect(ids).toContain(escalated.id);
      for (const t of tasks) {
        expect(['dispatched', 'in_progress']).toContain(t.status);
        if (t.id !== escalated.id) expect(t.assignee?.id).toBe(w.chiefs.chief3);
        expect(t.reporter).toBeUndefined();
      }
      const rank = { red: 0, yellow: 1, green: 2 } as Record<string, number>;
      const keys = (tasks as (CaseBody & { light: string | null; limitUsed: number | null })[]).map((t) => [t.light ? rank[t.light] : 3, -(t.limitUsed ?? -1)]);
      expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));

      const chief2 = must(await w.http.get<CaseBody[]>('/api/v1/me/tasks', w.auth.chief2));
      expect(chief2.map((t) => t.id)).toContain(elsewhere.id);
      expect(chief2.map((t) => t.id)).not.toContain(slow.id);
    });

    it('a warden: resolved cases in their cells awaiting verification and check requests', async () => {
      const resolved = await caseIn(w, 'resolved');
      const toCheck = await report(w);
      await act(w, toCheck.id, 'verify-request', {}, 'operator');
      const notAsked = await report(w);
      const registered = await caseIn(w, 'registered');
      const elsewhere = await caseIn(w, 'resolved', { warden: 'warden2' });

      const tasks = must(await w.http.get<CaseBody[]>('/api/v1/me/tasks', w.auth.warden1));
      const ids = tasks.map((t) => t.id);
      expect(ids).toContain(resolved.id);
      expect(ids).toContain(toCheck.id);
      for (const id of [notAsked.id, registered.id, elsewhere.id]) expect(ids).not.toContain(id);
      for (const t of tasks) {
        expect(t.status === 'resolved' || (t.status === 'reported' && t.check.requested), JSON.stringify(t)).toBe(true);
        expect(t.gridCell.code.startsWith('410104001001')).toBe(true);
      }
      const warden2 = must(await w.http.get<CaseBody[]>('/api/v1/me/tasks', w.auth.warden2));
      expect(warden2.map((t) => t.id)).toContain(elsewhere.id);
      expect(warden2.map((t) => t.id)).not.toContain(resolved.id);

      // Once checked, the check leaves the list.
      await act(w, toCheck.id, 'verify', { passed: true }, 'warden1');
      const after = must(await w.http.get<CaseBody[]>('/api/v1/me/tasks', w.auth.warden1));
      expect(after.map((t) => t.id)).not.toContain(toCheck.id);
    });

    it('403 for operator, leader and admin; 401 without a token', async () => {
      for (const user of ['operator', 'leader', 'admin']) {
        const answer = await w.http.get('/api/v1/me/tasks', w.auth[user]);
        expect(answer.status, user).toBe(403);
      }
      expect((await w.http.get('/api/v1/me/tasks')).status).toBe(401);
    });
  });
});
