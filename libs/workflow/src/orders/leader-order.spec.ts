import { describe, expect, it } from 'vitest';
import type { Actor } from '../actor';
import type { CaseState } from '../transition';
import { leaderOrder } from './leader-order';

const NOW = new Date('2026-12-07T02:00:00Z');
const LEADER: Actor = { id: 'u-leader', role: 'leader', name: '值班长', chiefId: null, cellCodes: new Set(), streetCode: null };
const STREET_LEADER: Actor = { ...LEADER, id: 'u-street', streetCode: 'S2' };
const state = (over: Partial<CaseState> = {}): CaseState => ({
  id: 'c-1',
  status: 'dispatched',
  streetCode: 'S1',
  gridCellCode: 'G1',
  reporterId: null,
  assigneeChiefId: 7,
  escalatedTo: [],
  checkRequested: false,
  extensionCount: 0,
  extensionRequestedHours: null,
  reworkCount: 0,
  deadlineAt: null,
  overdue: false,
  lastEvent: null,
  ...over,
});

describe('a leader’s order on a case', () => {
  it('督办 marks the case supervised with the instruction and due time', () => {
    const dueAt = new Date('2026-12-08T10:00:00Z');
    const r = leaderOrder(state(), 'supervise', LEADER, { instruction: ' 限期办结 ', dueAt }, NOW);
    expect(r).toEqual({
      kind: 'applied',
      event: { type: 'case.supervised', from: 'dispatched', to: 'dispatched', reason: '限期办结', note: null, evidence: { instruction: '限期办结', dueAt: dueAt.toISOString() } },
      supervision: { by: { id: 'u-leader', name: '值班长' }, instruction: '限期办结', dueAt: dueAt.toISOString(), at: NOW.toISOString() },
    });
  });

  it('批示 records the instruction without a supervision', () => {
    const r = leaderOrder(state(), 'instruct', LEADER, { instruction: '举一反三' }, NOW);
    expect(r).toMatchObject({ kind: 'applied', event: { type: 'case.instructed', reason: '举一反三' }, supervision: null });
  });

  it('the same order by the same leader again is a repeat', () => {
    const last = { type: 'case.supervised' as const, actorId: 'u-leader', reason: '限期办结', note: null, evidence: { instruction: '限期办结', dueAt: null } };
    expect(leaderOrder(state({ lastEvent: last }), 'supervise', LEADER, { instruction: '限期办结' }, NOW)).toEqual({ kind: 'repeat' });
    expect(leaderOrder(state({ lastEvent: last }), 'supervise', LEADER, { instruction: '再次督办' }, NOW).kind).toBe('applied');
  });

  it.each([
    ['a chief', { ...LEADER, role: 'chief' as const, chiefId: 7 }, state(), 'forbidden'],
    ['an operator', { ...LEADER, role: 'operator' as const }, state(), 'forbidden'],
    ['a leader of another street', STREET_LEADER, state(), 'outside_jurisdiction'],
    ['a closed case', LEADER, state({ status: 'closed' }), 'illegal_transition'],
  ])('refuses %s', (_what, actor, s, code) => {
    expect(() => leaderOrder(s, 'supervise', actor, { instruction: '督办' }, NOW)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses an empty instruction and a due time in the past, naming the field', () => {
    expect(() => leaderOrder(state(), 'supervise', LEADER, { instruction: '  ' }, NOW)).toThrow(expect.objectContaining({ code: 'bad_input' }));
    expect(() => leaderOrder(state(), 'supervise', LEADER, { instruction: '督办', dueAt: new Date('2026-01-01T00:00:00Z') }, NOW)).toThrow(
      expect.objectContaining({ code: 'bad_input' }),
    );
    expect(leaderOrder(state({ streetCode: 'S2' }), 'supervise', STREET_LEADER, { instruction: '督办' }, NOW).kind).toBe('applied');
  });
});
