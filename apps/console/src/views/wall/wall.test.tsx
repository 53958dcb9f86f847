import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MapCase } from '../../cases';
import type { CaseEventPayload } from '../../contract';
import { LIVE_EVENTS_KEPT, withEvent, type LiveEvent } from '../command-center/event-list';
import { applyLive } from './use-wall-live';
import { usePolled } from './use-wall-reports';
import { lightCounts, WALL_EVENT_LINES, WallEvents } from './wall-panels';

const base: MapCase = { id: 'a', code: 'A', status: 'dispatched', categoryCode: 'E0102', streetCode: '410104001', gridCode: 'g1', location: { lng: 1, lat: 2 }, overdue: false, deadlineAt: null, light: 'green', limitUsed: 0.1, assignee: null, seq: 0, at: '2026-11-29T01:00:00Z' };

function ev(seq: number, patch: Partial<CaseEventPayload>): CaseEventPayload {
  return { seq, caseId: 'a', code: 'A', type: 'case.commented', status: 'dispatched', at: '2026-11-29T02:00:00Z', actor: { id: null, role: 'operator' }, assignee: null, escalationLevel: 0, escalatedTo: [], deadlineAt: null, overdue: false, light: 'green', limitUsed: 0.2, location: { lng: 1, lat: 2 }, gridCode: 'g1', streetCode: '410104001', categoryCode: 'E0102', ...patch } as CaseEventPayload;
}

describe('the wall screen’s live state', () => {
  it('keeps the open cases only: a case that ends leaves the wall, an old event changes nothing', () => {
    let m = new Map([['a', base]]);
    m = applyLive(m, ev(2, { caseId: 'b', code: 'B', type: 'case.reported', status: 'reported', light: null }));
    expect([...m.keys()]).toEqual(['a', 'b']);
    m = applyLive(m, ev(3, { type: 'case.closed', status: 'closed' }));
    expect([...m.keys()]).toEqual(['b']);
    const same = applyLive(m, ev(1, { caseId: 'b', status: 'closed' }));
    expect(same).toBe(m);
    expect(m.size).toBe(1);
  });

  it('counts the lights of the open cases, suspended ones apart', () => {
    const cases: MapCase[] = [base, { ...base, id: 'b', light: 'red' }, { ...base, id: 'c', light: 'red', suspended: true }, { ...base, id: 'd', light: null }, { ...base, id: 'e', light: 'yellow' }];
    expect(lightCounts(cases)).toEqual({ red: 1, yellow: 1, green: 1 });
  });

  it('keeps a bounded list of events and draws the newest lines only', () => {
    let list: LiveEvent[] = [];
    for (let seq = 1; seq <= LIVE_EVENTS_KEPT + 50; seq++) list = withEvent(list, ev(seq, {}));
    expect(list).toHaveLength(LIVE_EVENTS_KEPT);
    expect(list[0].seq).toBe(LIVE_EVENTS_KEPT + 50);
    const root = document.createElement('div');
    render(<WallEvents events={list} received={LIVE_EVENTS_KEPT + 50} />, root);
    expect(root.querySelectorAll('[data-testid=wall-events] li')).toHaveLength(WALL_EVENT_LINES);
    expect(root.querySelector('[data-testid=wall-received]')?.getAttribute('data-received')).toBe(String(LIVE_EVENTS_KEPT + 50));
    render(null, root);
  });
});

describe('the wall screen’s timed reads', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function Probe({ load, nudge }: { load: () => Promise<number>; nudge: number }) {
    const { value } = usePolled(load, { everyMs: 60_000, nudge, minGapMs: 5_000 });
    return <i data-value={value ?? ''} />;
  }

  it('reads at once, on its interval, after a nudge no sooner than the gap, and stops when gone', async () => {
    let n = 0;
    const load = vi.fn(async () => ++n);
    const root = document.createElement('div');
    await act(async () => render(<Probe load={load} nudge={0} />, root));
    expect(load).toHaveBeenCalledTimes(1);
    // nudges in a burst: one read, five seconds after the last
    for (let i = 1; i <= 3; i++) await act(async () => render(<Probe load={load} nudge={i} />, root));
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => void vi.advanceTimersByTime(5_000));
    expect(load).toHaveBeenCalledTimes(2);
    await act(async () => void vi.advanceTimersByTime(60_000));
    expect(load).toHaveBeenCalledTimes(3);
    expect(root.querySelector('i')?.getAttribute('data-value')).toBe('3');
    await act(async () => render(null, root));
    await act(async () => void vi.advanceTimersByTime(600_000));
    expect(load).toHaveBeenCalledTimes(3);
  });
});
