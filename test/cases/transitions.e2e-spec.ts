import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, ALL_STATES, caseIn, eventCount, fieldsOf, must, onDuty, report, startWorld, uploadPng, view, type CaseBody, type CaseState, type World } from './helpers/workflow';

/** domain.md section 2: the states each action may start from. */
const LEGAL_FROM: Record<string, readonly CaseState[]> = {
  register: ['reported'],
  reject: ['reported'],
  'verify-request': ['reported'],
  dispatch: ['registered', 'dispatched'],
  accept: ['dispatched'],
  return: ['dispatched', 'in_progress'],
  resolve: ['in_progress'],
  verify: ['resolved', 'reported'],
  cancel: ['reported', 'registered', 'dispatched', 'in_progress', 'resolved'],
  extend: ['in_progress'],
  merge: ['reported', 'registered'],
  comment: ALL_STATES,
};

/** Who tries each action: someone whose role may take it and whose jurisdiction covers the case. */
const ACTOR: Record<string, string> = {
  register: 'operator',
  reject: 'operator',
  'verify-request': 'operator',
  dispatch: 'operator',
  accept: 'chief3',
  return: 'chief3',
  resolve: 'chief3',
  verify: 'operator',
  cancel: 'operator',
  extend: 'leader',
  merge: 'operator',
  comment: 'operator',
};

/** Chiefs act only on cases assigned to them: these states never had (or no longer have) an assignee. */
const UNASSIGNED: readonly CaseState[] = ['reported', 'registered', 'rejected', 'merged'];

describe('the closed loop refuses what it does not allow, over HTTP', () => {
  let w: World;
  const cases = {} as Record<CaseState, CaseBody>;
  let openTarget: CaseBody;
  let mediaDir: string;

  beforeAll(async () => {
    mediaDir = await mkdtemp(join(tmpdir(), 'wangge-transitions-'));
    w = await startWorld('transitions', { MEDIA_DIR: mediaDir });
    await onDuty(w, 'warden1'); // the checks of their cells are their tasks (issue 22 item 5)
    for (const state of ALL_STATES) cases[state] = await caseIn(w, state);
    openTarget = await caseIn(w, 'registered');
  });
  afterAll(async () => {
    await w?.close();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  /** A valid body for the action, with words that differ from any earlier call (so it is not taken for a repeat). */
  function bodyFor(action: string, tag: string): Record<string, unknown> {
    switch (action) {
      case 'reject':
      case 'return':
      case 'cancel':
        return { reason: `illegal ${tag}` };
      case 'dispatch':
        return { assigneeId: w.chiefs.chief2, reason: `illegal ${tag}` };
      case 'verify':
        return { passed: true, note: `illegal ${tag}` };
      case 'extend':
        return { hours: 3, reason: `illegal ${tag}` };
      case 'merge':
        return { targetId: openTarget.id, reason: `illegal ${tag}` };
      default:
        return { note: `illegal ${tag}` };
    }
  }

  const illegal = ALL_STATES.flatMap((state) =>
    Object.keys(LEGAL_FROM)
      .filter((action) => !LEGAL_FROM[action].includes(state))
      .map((action) => ({ state, action })),
  );

  it('covers every state and every action at least once', () => {
    expect(new Set(illegal.map((t) => t.state))).toEqual(new Set(ALL_STATES));
    expect(new Set(illegal.map((t) => t.action))).toEqual(new Set(Object.keys(LEGAL_FROM).filter((a) => a !== 'comment')));
  });

  it.each(illegal)('$action on a $state case → 409 with currentStatus, no event', async ({ state, action }) => {
    const c = cases[state];
    const actor = ACTOR[action];
    const before = await eventCount(w);
    const answer = await w.http.act(c.id, action, bodyFor(action, `${state}-${action}`), w.auth[actor]);
    if (actor === 'chief3' && UNASSIGNED.includes(state)) {
      // No chief is assigned to it: refused for jurisdiction before its state is looked at (and not revealed).
      expect(answer.status, JSON.stringify(answer.body)).toBe(403);
      expect(answer.body.error).toBe('not_assignee');
      expect(answer.body.currentStatus).toBeUndefined();
    } else {
      expect(answer.status, JSON.stringify(answer.body)).toBe(409);
      expect(answer.body.error).toBe('illegal_transition');
      expect(answer.body.currentStatus).toBe(state);
      expect(answer.body.message).toMatch(/ \/ /);
    }
    expect(await eventCount(w)).toBe(before);
    expect((await view(w, c.id)).status).toBe(state);
  });

  it('comments are taken in every state, and change no state', async () => {
    for (const state of ALL_STATES) {
      const before = await eventCount(w, cases[state].id);
      const answer = must(await w.http.act<CaseBody>(cases[state].id, 'comment', { note: `a note on a ${state} case` }, w.auth.operator));
      expect(answer.status).toBe(state);
      expect(answer.timeline?.at(-1)).toMatchObject({ type: 'case.commented', from: state, to: state, note: `a note on a ${state} case` });
      expect(await eventCount(w, cases[state].id)).toBe(before + 1);
    }
  });

  it('a second verify-request while one is pending → 409', async () => {
    const c = await report(w);
    await act(w, c.id, 'verify-request', {}, 'operator');
    const before = await eventCount(w);
    const again = await w.http.act(c.id, 'verify-request', { note: 'again, differently' }, w.auth.operator);
    expect(again.status).toBe(409);
    expect(again.body.currentStatus).toBe('reported');
    expect(await eventCount(w)).toBe(before);
  });

  it('dispatching again to the same chief (other words) → 409 naming assigneeId', async () => {
    const c = await caseIn(w, 'dispatched');
    const before = await eventCount(w);
    const again = await w.http.act(c.id, 'dispatch', { assigneeId: w.chiefs.chief3, reason: 'once more' }, w.auth.operator);
    expect(again.status).toBe(409);
    expect(again.body.currentStatus).toBe('dispatched');
    expect(fieldsOf(again)).toContain('assigneeId');
    expect(await eventCount(w)).toBe(before);
  });

  describe('repeats are harmless', () => {
    /** Sends the same action twice; the second answers 200 with the same case and writes nothing. */
    async function twice(id: string, action: string, body: Record<string, unknown>, user: string, events = 1): Promise<CaseBody> {
      const before = await eventCount(w);
      const first = must(await w.http.act<CaseBody>(id, action, body, w.auth[user]));
      expect(await eventCount(w), `${action} once`).toBe(before + events);
      const second = await w.http.act<CaseBody>(id, action, body, w.auth[user]);
      expect(second.status, `${action} again: ${JSON.stringify(second.body)}`).toBe(200);
      expect(second.body.status).toBe(first.status);
      expect(second.body.timeline?.length).toBe(first.timeline?.length);
      expect(await eventCount(w), `${action} twice`).toBe(before + events);
      return second.body;
    }

    it('register, dispatch, accept, comment, extend (ask and grant), resolve, verify', async () => {
      const c = await report(w);
      await twice(c.id, 'register', {}, 'operator');
      await twice(c.id, 'dispatch', { assigneeId: w.chiefs.chief3 }, 'operator');
      await twice(c.id, 'accept', {}, 'chief3');
      await twice(c.id, 'comment', { note: '在路上 on my way' }, 'chief3');
      await twice(c.id, 'extend', { hours: 2, reason: '等待配件 waiting for parts' }, 'chief3');
      await twice(c.id, 'extend', { hours: 2 }, 'leader');
      await twice(c.id, 'resolve', { note: '已更换井盖 replaced' }, 'chief3', 2); // and its check task (case.check_assigned)
      await twice(c.id, 'verify', { passed: false, reason: '井盖松动 loose' }, 'warden1');
      await twice(c.id, 'resolve', { note: '已加固 fixed again' }, 'chief3', 2);
      const closed = await twice(c.id, 'verify', { passed: true }, 'warden1');
      expect(closed.status).toBe('closed');
      expect(closed.reworkCount).toBe(1);
    });

    it('reject, verify-request, check, return, cancel, merge', async () => {
      await twice((await report(w)).id, 'reject', { reason: '不属实 not true' }, 'operator');
      const checked = await report(w);
      await twice(checked.id, 'verify-request', {}, 'operator', 2); // and its check task
      await twice(checked.id, 'verify', { passed: true }, 'warden1');
      await twice((await caseIn(w, 'dispatched')).id, 'return', { reason: '非本路段 not my road' }, 'chief3');
      await twice((await caseIn(w, 'in_progress')).id, 'cancel', { reason: '重复 duplicate' }, 'operator');
      await twice((await report(w)).id, 'merge', { targetId: openTarget.id }, 'operator', 2);
    });

    it('the same action sent five times at once is applied once', async () => {
      const c = await report(w);
      const before = await eventCount(w, c.id);
      const answers = await Promise.all(Array.from({ length: 5 }, () => w.http.act<CaseBody>(c.id, 'register', {}, w.auth.operator)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(await eventCount(w, c.id)).toBe(before + 1);
      const dispatches = await Promise.all(Array.from({ length: 5 }, () => w.http.act<CaseBody>(c.id, 'dispatch', { assigneeId: w.chiefs.chief3 }, w.auth.operator)));
      expect(dispatches.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(await eventCount(w, c.id)).toBe(before + 2);
    });

    // A repeat must carry the same photos: other photos make it a new action.
    it('an action resent with other photos is not taken for a repeat, and no photo is dropped', async () => {
      const c = await caseIn(w, 'in_progress');
      const [before, after] = [await uploadPng(w, 1), await uploadPng(w, 2)];
      await act(w, c.id, 'comment', { note: '现场照片 site photo', mediaIds: [before] }, 'chief3');
      const second = await act(w, c.id, 'comment', { note: '现场照片 site photo', mediaIds: [after] }, 'chief3');
      expect(second.timeline?.filter((e) => e.type === 'case.commented')).toHaveLength(2);
      expect(second.media.map((m) => m.id).sort()).toEqual([before, after].sort());

      const photo = await uploadPng(w, 3);
      await act(w, c.id, 'resolve', { note: '已修复 fixed' }, 'chief3');
      const resent = await w.http.act<CaseBody>(c.id, 'resolve', { note: '已修复 fixed', mediaIds: [photo] }, w.auth.chief3);
      expect(resent.status === 409 || resent.body.media.some((m) => m.id === photo), JSON.stringify(resent.body.media)).toBe(true);
    });

    it('the same action by someone else, or with other words, is not a repeat', async () => {
      const c = await caseIn(w, 'dispatched');
      await act(w, c.id, 'comment', { note: 'one' }, 'operator');
      await act(w, c.id, 'comment', { note: 'one' }, 'leader');
      await act(w, c.id, 'comment', { note: 'two' }, 'leader');
      const timeline = (await view(w, c.id)).timeline!;
      expect(timeline.filter((e) => e.type === 'case.commented')).toHaveLength(3);
    });
  });

  describe('the loop’s branches', () => {
    it('return → registered without assignee or deadline; dispatched again to another chief', async () => {
      const c = await caseIn(w, 'in_progress');
      const returned = await act(w, c.id, 'return', { reason: '不是我负责的路段 not my segment' }, 'chief3');
      expect(returned).toMatchObject({ status: 'registered', assignee: null, deadlineAt: null });
      expect(returned.timeline?.at(-1)).toMatchObject({ type: 'case.returned', from: 'in_progress', to: 'registered', reason: '不是我负责的路段 not my segment' });
      expect((await w.http.get(`/api/v1/cases/${c.id}`, w.auth.chief3)).status).toBe(404);

      const again = await act(w, c.id, 'dispatch', { assigneeId: w.chiefs.chief2, reason: '街道路长处理' }, 'operator');
      expect(again.status).toBe('dispatched');
      expect(again.assignee?.id).toBe(w.chiefs.chief2);
      expect(again.deadlineAt).toBeTruthy();
      // Re-dispatch straight from dispatched to a third chief.
      const moved = await act(w, c.id, 'dispatch', { assigneeId: w.chiefs.chief1 }, 'operator');
      expect(moved.assignee?.id).toBe(w.chiefs.chief1);
      expect(moved.timeline?.filter((e) => e.type === 'case.dispatched').map((e) => e.evidence.assignee)).toEqual([
        expect.objectContaining({ id: w.chiefs.chief3 }),
        expect.objectContaining({ id: w.chiefs.chief2 }),
        expect.objectContaining({ id: w.chiefs.chief1 }),
      ]);
      expect((await w.http.act(c.id, 'accept', {}, w.auth.chief2)).status).toBe(403);
      expect((await act(w, c.id, 'accept', {}, 'chief1')).status).toBe('in_progress');
    });

    it('verify(passed=false) is rework: back to in_progress, rework counted, case.reworked', async () => {
      const c = await caseIn(w, 'resolved');
      const noReason = await w.http.act(c.id, 'verify', { passed: false }, w.auth.warden1);
      expect(noReason.status).toBe(400);
      expect(fieldsOf(noReason)).toContain('reason');
      const noVerdict = await w.http.act(c.id, 'verify', { note: 'looks fine' }, w.auth.warden1);
      expect(noVerdict.status).toBe(400);
      expect(fieldsOf(noVerdict)).toContain('passed');

      const reworked = await act(w, c.id, 'verify', { passed: false, reason: '垃圾未清理干净 not clean' }, 'warden1');
      expect(reworked).toMatchObject({ status: 'in_progress', reworkCount: 1 });
      expect(reworked.assignee?.id).toBe(w.chiefs.chief3);
      expect(reworked.timeline?.at(-1)).toMatchObject({ type: 'case.reworked', from: 'resolved', to: 'in_progress', reason: '垃圾未清理干净 not clean' });
      const { rows } = await w.db.query(`SELECT rework_count, resolved_at FROM case_file WHERE id = $1`, [c.id]);
      expect(rows[0]).toEqual({ rework_count: 1, resolved_at: null });

      await act(w, c.id, 'resolve', { note: 'cleaned again' }, 'chief3');
      const twice = await act(w, c.id, 'verify', { passed: false, reason: 'still dirty' }, 'operator');
      expect(twice.reworkCount).toBe(2);
      await act(w, c.id, 'resolve', { note: 'really clean' }, 'chief3');
      const closed = await act(w, c.id, 'verify', { passed: true }, 'warden1');
      expect(closed).toMatchObject({ status: 'closed', reworkCount: 2 });
      expect(closed.closedAt).toBeTruthy();
    });

    it('extend: the chief asks, the leader grants (deadline moves later), at most twice', async () => {
      // C0101 condition 1 runs on the continuous clock (2 urgent hours), so granted hours add exactly.
      const c = await caseIn(w, 'in_progress', { conditionNo: 1 });
      const deadline0 = new Date(c.deadlineAt!).getTime();

      const noReason = await w.http.act(c.id, 'extend', { hours: 4 }, w.auth.chief3);
      expect(noReason.status).toBe(400);
      expect(fieldsOf(noReason)).toContain('reason');
      const noHours = await w.http.act(c.id, 'extend', { reason: 'more time' }, w.auth.chief3);
      expect(noHours.status).toBe(400);
      expect(fieldsOf(noHours)).toContain('hours');
      const tooMany = await w.http.act(c.id, 'extend', { hours: 10_000, reason: 'a year' }, w.auth.chief3);
      expect(tooMany.status).toBe(400);
      expect(fieldsOf(tooMany)).toContain('hours');

      const asked = await act(w, c.id, 'extend', { hours: 4, reason: '需要封路施工 road works' }, 'chief3');
      expect(asked).toMatchObject({ status: 'in_progress', extensionRequestedHours: 4, extensionCount: 0 });
      expect(new Date(asked.deadlineAt!).getTime()).toBe(deadline0);
      expect(asked.timeline?.at(-1)).toMatchObject({ type: 'case.extension_requested', reason: '需要封路施工 road works' });

      const granted = await act(w, c.id, 'extend', {}, 'leader');
      expect(granted).toMatchObject({ extensionCount: 1, extensionRequestedHours: null });
      const deadline1 = new Date(granted.deadlineAt!).getTime();
      expect(deadline1 - deadline0).toBe(4 * 3600_000);
      expect(granted.timeline?.at(-1)?.type).toBe('case.extended');

      await act(w, c.id, 'extend', { hours: 2, reason: '仍需时间 still need time' }, 'chief3');
      const second = await act(w, c.id, 'extend', { hours: 2 }, 'leader');
      expect(second.extensionCount).toBe(2);
      expect(new Date(second.deadlineAt!).getTime() - deadline1).toBe(2 * 3600_000);

      const before = await eventCount(w);
      for (const [user, body] of [
        ['chief3', { hours: 1, reason: '第三次 third time' }],
        ['leader', { hours: 1, reason: 'leader, third' }],
      ] as const) {
        const third = await w.http.act(c.id, 'extend', body, w.auth[user]);
        expect(third.status, user).toBe(409);
        expect(third.body.error, user).toBe('extension_limit');
      }
      expect(await eventCount(w)).toBe(before);
      expect((await view(w, c.id)).extensionCount).toBe(2);
    });

    it('refuse-extension: a leader declines a request with a reason (the deadline stays); the requests await in the list filter', async () => {
      const c = await caseIn(w, 'in_progress', { conditionNo: 1 });
      const pending = async (user: string) => {
        const res = await w.http.get<{ items: CaseBody[] }>('/api/v1/cases?extensionRequested=true&limit=200', w.auth[user]);
        expect(res.status).toBe(200);
        return (res.body as unknown as { items: CaseBody[] }).items.map((x) => x.id);
      };
      const nothing = await w.http.act(c.id, 'refuse-extension', { reason: 'nothing asked' }, w.auth.leader);
      expect(nothing.status).toBe(409);
      expect(nothing.body.error).toBe('illegal_transition');

      const asked = await act(w, c.id, 'extend', { hours: 6, reason: '等材料 waiting for parts' }, 'chief3');
      expect(await pending('leader')).toContain(c.id);
      expect(await pending('chief3')).toContain(c.id);

      const before = await eventCount(w);
      const noReason = await w.http.act(c.id, 'refuse-extension', {}, w.auth.leader);
      expect(noReason.status).toBe(400);
      expect(fieldsOf(noReason)).toContain('reason');
      const byChief = await w.http.act(c.id, 'refuse-extension', { reason: 'no' }, w.auth.chief3);
      expect(byChief.status).toBe(403);
      expect(await eventCount(w)).toBe(before);

      const refused = await act(w, c.id, 'refuse-extension', { reason: '材料已到 parts are in stock' }, 'leader');
      expect(refused).toMatchObject({ status: 'in_progress', extensionRequestedHours: null, extensionCount: 0, deadlineAt: asked.deadlineAt });
      expect(refused.timeline?.at(-1)).toMatchObject({ type: 'case.extension_refused', reason: '材料已到 parts are in stock', evidence: { hours: 6 } });
      expect(await pending('leader')).not.toContain(c.id);
      const bad = await w.http.get('/api/v1/cases?extensionRequested=maybe', w.auth.leader);
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad)).toContain('extensionRequested');
    });

    it('an extension must move the deadline past now, and then clears the overdue mark', async () => {
      const c = await caseIn(w, 'in_progress', { conditionNo: 1 });
      await w.db.query(`UPDATE case_file SET deadline_at = now() - interval '1 hour', overdue = true WHERE id = $1`, [c.id]);
      const late = await view(w, c.id);
      expect(late.overdue).toBe(true);
      const granted = await act(w, c.id, 'extend', { hours: 4, reason: '特批 granted' }, 'leader');
      expect(granted.overdue).toBe(false);
      expect(new Date(granted.deadlineAt!).getTime() - new Date(late.deadlineAt!).getTime()).toBe(4 * 3600_000);
      const c2 = await caseIn(w, 'in_progress', { conditionNo: 1 });
      await w.db.query(`UPDATE case_file SET deadline_at = now() - interval '10 hours', overdue = true WHERE id = $1`, [c2.id]);
      // Too short to reach past now: refused (it would only re-arm an escalation at once).
      const tooShort = await w.http.act(c2.id, 'extend', { hours: 2 }, w.auth.leader);
      expect(tooShort.status).toBe(400);
      expect(fieldsOf(tooShort)).toContain('hours');
    });

    it('cancel needs a reason and ends the case', async () => {
      const c = await caseIn(w, 'registered');
      const before = await eventCount(w);
      const noReason = await w.http.act(c.id, 'cancel', {}, w.auth.operator);
      expect(noReason.status).toBe(400);
      expect(fieldsOf(noReason)).toContain('reason');
      const blank = await w.http.act(c.id, 'cancel', { reason: '   ' }, w.auth.operator);
      expect(blank.status).toBe(400);
      expect(fieldsOf(blank)).toContain('reason');
      expect(await eventCount(w)).toBe(before);
      const cancelled = await act(w, c.id, 'cancel', { reason: '市民撤回 withdrawn' }, 'operator');
      expect(cancelled).toMatchObject({ status: 'cancelled', publicNote: '市民撤回 withdrawn' });
      expect(cancelled.closedAt).toBeTruthy();
      expect(cancelled.timeline?.at(-1)).toMatchObject({ type: 'case.cancelled', from: 'registered', to: 'cancelled', reason: '市民撤回 withdrawn' });
    });

    it('reject requires a reason (400 naming reason)', async () => {
      const c = await report(w);
      const before = await eventCount(w);
      const answer = await w.http.act(c.id, 'reject', { note: 'just a note' }, w.auth.operator);
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer)).toContain('reason');
      expect(await eventCount(w)).toBe(before);
      const rejected = await act(w, c.id, 'reject', { reason: '非城管事项 not city management' }, 'operator');
      expect(rejected).toMatchObject({ status: 'rejected', publicNote: '非城管事项 not city management' });
    });

    it('dispatch to an unknown chief → 422 naming assigneeId; without one → 400', async () => {
      const c = await caseIn(w, 'registered');
      const before = await eventCount(w);
      const unknown = await w.http.act(c.id, 'dispatch', { assigneeId: 999_999 }, w.auth.operator);
      expect(unknown.status).toBe(422);
      expect(unknown.body.error).toBe('unknown_chief');
      expect(fieldsOf(unknown)).toContain('assigneeId');
      const none = await w.http.act(c.id, 'dispatch', {}, w.auth.operator);
      expect(none.status).toBe(400);
      expect(fieldsOf(none)).toContain('assigneeId');
      expect(await eventCount(w)).toBe(before);
      expect((await view(w, c.id)).status).toBe('registered');
    });

    it('dispatch to a chief on leave → 422 naming assigneeId', async () => {
      const c = await caseIn(w, 'registered');
      const chief = w.chiefs.chief1;
      const leave = await w.http.call('PATCH', `/api/v1/chiefs/${chief}`, { auth: w.auth.operator, body: { available: false, unavailableReason: '休假 on leave' } });
      expect(leave.status, JSON.stringify(leave.body)).toBe(200);
      try {
        const before = await eventCount(w);
        const answer = await w.http.act(c.id, 'dispatch', { assigneeId: chief }, w.auth.operator);
        expect(answer.status).toBe(422);
        expect(answer.body.error).toBe('chief_unavailable');
        expect(fieldsOf(answer)).toContain('assigneeId');
        expect(await eventCount(w)).toBe(before);
      } finally {
        must(await w.http.call('PATCH', `/api/v1/chiefs/${chief}`, { auth: w.auth.operator, body: { available: true } }));
      }
      expect((await act(w, c.id, 'dispatch', { assigneeId: chief }, 'operator')).assignee?.id).toBe(chief);
    });

    it('verify-request → the warden checks the reported case → the operator registers it', async () => {
      const c = await report(w, { category: 'E0101', description: '私搭乱建 illegal shed' });
      expect(c.status).toBe('reported');
      const asked = await act(w, c.id, 'verify-request', { note: '请核实 please check' }, 'operator');
      expect(asked).toMatchObject({ status: 'reported', check: { requested: true, passed: null } });
      expect(asked.timeline?.at(-2)).toMatchObject({ type: 'case.check_requested', from: 'reported', to: 'reported' });

      const outside = await w.http.act(c.id, 'verify', { passed: true }, w.auth.warden2);
      expect(outside.status).toBe(403);

      const checked = await act(w, c.id, 'verify', { passed: true, note: '现场属实 confirmed on site' }, 'warden1');
      expect(checked).toMatchObject({ status: 'reported', check: { requested: false, passed: true } });
      expect(checked.timeline?.at(-1)).toMatchObject({ type: 'case.checked', from: 'reported', to: 'reported', evidence: { passed: true } });

      const registered = await act(w, c.id, 'register', {}, 'operator');
      expect(registered.status).toBe('registered');
      expect(registered.timeline?.map((e) => e.type)).toEqual(['case.reported', 'case.check_requested', 'case.check_assigned', 'case.checked', 'case.registered']);
    });
  });
});
