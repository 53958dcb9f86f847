import { describe, expect, it } from 'vitest';
import { endedOnTime, POST_OF_STAGE, stageChange } from './stage-rules';

describe('stage rules', () => {
  it.each([
    ['register', 'reported', ['register', 'check'], ['dispatch']],
    ['reject', 'reported', ['register', 'check'], []],
    ['verify-request', 'reported', [], ['check']],
    ['dispatch', 'registered', ['dispatch'], []],
    ['dispatch', 'dispatched', [], []],
    ['return', 'in_progress', [], ['dispatch']],
    ['resolve', 'in_progress', [], ['check']],
    ['verify', 'resolved', ['check'], []],
    ['cancel', 'in_progress', ['register', 'dispatch', 'check'], []],
    ['accept', 'dispatched', [], []],
  ] as const)('%s from %s ends %j and starts %j', (action, from, end, start) => {
    expect(stageChange(action, from)).toEqual({ end, start });
  });

  it('each stage is counted against its post', () => {
    expect(POST_OF_STAGE).toEqual({ register: 'intake', dispatch: 'dispatch', check: 'supervisor' });
  });

  it('automatic routing is on time; by hand, by the due time', () => {
    const dueAt = new Date('2026-12-01T08:15:00Z');
    expect(endedOnTime({ dueAt, endedAt: new Date('2026-12-01T08:15:00Z'), automatic: false })).toBe(true);
    expect(endedOnTime({ dueAt, endedAt: new Date('2026-12-01T08:15:01Z'), automatic: false })).toBe(false);
    expect(endedOnTime({ dueAt, endedAt: new Date('2026-12-01T09:00:00Z'), automatic: true })).toBe(true);
  });
});
