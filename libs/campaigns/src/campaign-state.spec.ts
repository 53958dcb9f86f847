import { describe, expect, it } from 'vitest';
import { checkMilestones, itemState, milestoneState } from './campaign-state';

const now = new Date('2026-12-01T00:00:00Z');
const day = (d: number) => new Date(now.getTime() + d * 86_400_000);

describe('campaign states', () => {
  it('a milestone is done, overdue past its due time, else pending', () => {
    expect(milestoneState({ dueAt: day(-1), doneAt: day(-2), overdueAt: null }, now)).toBe('done');
    expect(milestoneState({ dueAt: day(-1), doneAt: day(1), overdueAt: day(-1) }, now)).toBe('done');
    expect(milestoneState({ dueAt: day(-1), doneAt: null, overdueAt: null }, now)).toBe('overdue');
    expect(milestoneState({ dueAt: day(1), doneAt: null, overdueAt: null }, now)).toBe('pending');
  });

  it.each([
    [['done', 'done'], 0, 0, 'done'],
    [['done', 'overdue'], 0, 1, 'overdue'],
    [['done', 'pending'], 0, 1, 'in_progress'],
    [['pending'], 10, 1, 'in_progress'],
    [['pending', 'pending'], 0, 0, 'not_started'],
    [[], 100, 2, 'done'],
    [[], 0, 0, 'not_started'],
  ] as const)('%j at %i %% with %i reports: %s', (ms, percent, reports, state) => {
    expect(itemState(ms, { percent, reports })).toBe(state);
  });

  it('refuses milestones naming the field at fault', () => {
    expect(() => checkMilestones([{ code: 'a', name: 'x', dueAt: '2026-12-01T00:00:00Z' }, { code: 'a', name: 'y', dueAt: '2026-12-02T00:00:00Z' }])).toThrow(/milestones\[1\]\.code/);
    expect(() => checkMilestones([{ code: 'a', name: 'x', dueAt: 'soon' }], 'm')).toThrow(/m\[0\]\.dueAt/);
    expect(checkMilestones([{ code: 'survey', name: ' 摸清底数 ', dueAt: '2026-12-01T08:00:00+08:00' }])).toEqual([{ code: 'survey', name: '摸清底数', dueAt: new Date('2026-12-01T00:00:00Z') }]);
  });
});
