import { describe, expect, it } from 'vitest';
import { decideClockCheck, type ClockState } from './clock-check';

const due = new Date('2026-12-01T02:00:00Z');
const base: ClockState = { status: 'in_progress', overdue: false, escalationLevel: 0, nextCheckAt: due, verifyDeadlineAt: null, verifyOverdue: false };
const after = new Date(due.getTime() + 1000);

describe('decideClockCheck', () => {
  it.each([
    { name: 'first miss while in progress', s: base, want: { kind: 'handling_missed', firstTime: true, mayEscalate: true } },
    { name: 'first miss while dispatched', s: { ...base, status: 'dispatched' as const }, want: { kind: 'handling_missed', firstTime: true, mayEscalate: true } },
    { name: 'second miss', s: { ...base, overdue: true, escalationLevel: 1 }, want: { kind: 'handling_missed', firstTime: false, mayEscalate: true } },
    { name: 'third miss: no level left', s: { ...base, overdue: true, escalationLevel: 2 }, want: { kind: 'handling_missed', firstTime: false, mayEscalate: false } },
    { name: 'verification missed', s: { ...base, status: 'resolved' as const, verifyDeadlineAt: due }, want: { kind: 'verification_missed' } },
    { name: 'verification already marked', s: { ...base, status: 'resolved' as const, verifyDeadlineAt: due, verifyOverdue: true }, want: { kind: 'stale' } },
    { name: 'closed case', s: { ...base, status: 'closed' as const }, want: { kind: 'stale' } },
    { name: 'deadline moved (extension)', s: { ...base, nextCheckAt: new Date(due.getTime() + 3600_000) }, want: { kind: 'stale' } },
    { name: 'timers cancelled', s: { ...base, nextCheckAt: null }, want: { kind: 'stale' } },
  ])('$name', ({ s, want }) => {
    expect(decideClockCheck(s, due, after)).toEqual(want);
  });

  it('a check delivered early waits for its time', () => {
    expect(decideClockCheck(base, due, new Date(due.getTime() - 5000))).toEqual({ kind: 'early', at: due });
  });
});
