import { describe, expect, it } from 'vitest';
import { applyEvent, cellDeltas, filterCases, LiveCellDeltas, NO_FILTER, type MapCase } from './cases';
import type { CaseEventPayload } from './contract';
import { byLight } from './lights';

const base: MapCase = { id: 'a', code: 'A', status: 'dispatched', categoryCode: 'E0102', streetCode: '410104001', gridCode: 'g1', location: { lng: 1, lat: 2 }, overdue: false, deadlineAt: null, light: null, limitUsed: null, assignee: null, seq: 0, at: '2026-11-29T01:00:00Z' };

function ev(seq: number, patch: Partial<CaseEventPayload>): CaseEventPayload {
  return { seq, caseId: 'a', code: 'A', type: 'case.accepted', status: 'in_progress', at: `2026-11-29T02:00:0${seq % 10}Z`, actor: { id: null, role: 'chief' }, assignee: { id: 3, name: '张三', level: 3 }, escalationLevel: 0, escalatedTo: [], deadlineAt: null, overdue: false, light: null, limitUsed: null, location: { lng: 1, lat: 2 }, gridCode: 'g1', streetCode: '410104001', categoryCode: 'E0102', ...patch } as CaseEventPayload;
}

describe('the command center’s cases', () => {
  it('applies each event once, newest wins, older ones change nothing', () => {
    let m = new Map([['a', base]]);
    m = applyEvent(m, ev(7, { status: 'in_progress' }));
    expect(m.get('a')).toMatchObject({ status: 'in_progress', seq: 7, assignee: '张三' });
    const same = applyEvent(m, ev(6, { status: 'dispatched' }));
    expect(same).toBe(m);
    m = applyEvent(m, ev(9, { caseId: 'b', code: 'B', status: 'reported', assignee: null }));
    expect(m.size).toBe(2);
  });

  it('filters by status, category, street and overdue; open and closed ones by default', () => {
    const cases: MapCase[] = [
      base,
      { ...base, id: 'b', status: 'closed', at: '2026-11-29T03:00:00Z' },
      { ...base, id: 'c', status: 'rejected' },
      { ...base, id: 'd', overdue: true, streetCode: '410104002', categoryCode: 'C0101' },
    ];
    expect(filterCases(cases, NO_FILTER).map((c) => c.id)).toEqual(['b', 'a', 'd']);
    expect(filterCases(cases, { ...NO_FILTER, status: 'all' })).toHaveLength(4);
    expect(filterCases(cases, { ...NO_FILTER, status: 'rejected' }).map((c) => c.id)).toEqual(['c']);
    expect(filterCases(cases, { ...NO_FILTER, overdueOnly: true }).map((c) => c.id)).toEqual(['d']);
    expect(filterCases(cases, { ...NO_FILTER, street: '410104002' }).map((c) => c.id)).toEqual(['d']);
    expect(filterCases(cases, { ...NO_FILTER, category: 'E0102' }).map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('turns each feed event into changes of the open and overdue counts of its cell', () => {
    // a new report opens a case in its cell
    expect(cellDeltas(undefined, ev(1, { type: 'case.reported', status: 'reported', gridCode: 'g2' }))).toEqual([{ cell: 'g2', open: 1, overdue: 0 }]);
    // a known open case turning overdue
    expect(cellDeltas(base, ev(2, { type: 'case.overdue', status: 'dispatched', overdue: true }))).toEqual([{ cell: 'g1', open: 0, overdue: 1 }]);
    // a known overdue case closed
    expect(cellDeltas({ ...base, overdue: true }, ev(3, { type: 'case.closed', status: 'closed', overdue: true }))).toEqual([{ cell: 'g1', open: -1, overdue: -1 }]);
    // a move between open states changes nothing
    expect(cellDeltas(base, ev(4, { status: 'in_progress' }))).toEqual([]);
    // a case the console never loaded was counted by the server while open
    expect(cellDeltas(undefined, ev(5, { type: 'case.closed', status: 'closed' }))).toEqual([{ cell: 'g1', open: -1, overdue: 0 }]);
    expect(cellDeltas(undefined, ev(6, { type: 'case.overdue', status: 'dispatched', overdue: true }))).toEqual([{ cell: 'g1', open: 0, overdue: 1 }]);
    // an event older than the one applied changes nothing
    expect(cellDeltas({ ...base, seq: 9 }, ev(8, { type: 'case.closed', status: 'closed' }))).toEqual([]);
  });

  it('keeps the feed’s changes per cell until a load of the server’s counts that includes them is drawn', () => {
    const live = new LiveCellDeltas();
    expect(live.add([{ cell: 'g1', open: 1, overdue: 0 }])).toEqual([{ cell: 'g1', open: 1, overdue: 0 }]);
    const load = live.mark(); // the server's counts are asked for: they include g1's new case
    expect(live.add([{ cell: 'g1', open: 0, overdue: 1 }, { cell: 'g2', open: -1, overdue: 0 }])).toEqual([
      { cell: 'g1', open: 1, overdue: 1 },
      { cell: 'g2', open: -1, overdue: 0 },
    ]);
    // drawn: the change before the load goes, the ones after it stay
    expect(live.settle(load)).toEqual([{ cell: 'g1', open: 0, overdue: 1 }]);
    expect(live.total('g1')).toEqual({ open: 0, overdue: 1 });
    expect(live.total('g2')).toEqual({ open: -1, overdue: 0 });
    expect(live.settle(load)).toEqual([]);
    expect(live.settle(live.mark())).toEqual([
      { cell: 'g1', open: 0, overdue: 0 },
      { cell: 'g2', open: 0, overdue: 0 },
    ]);
  });
});

describe('the traffic light of the command center’s cases', () => {
  it('an event brings the case’s light; an appeal (no limit changed) keeps the one it had', () => {
    let cases = new Map([['a', base]]);
    cases = applyEvent(cases, ev(1, { light: 'yellow', limitUsed: 0.82 }));
    expect(cases.get('a')).toMatchObject({ light: 'yellow', limitUsed: 0.82 });
    cases = applyEvent(cases, ev(2, { type: 'case.appealed', light: null, limitUsed: null }));
    expect(cases.get('a')).toMatchObject({ light: 'yellow', limitUsed: 0.82 });
    cases = applyEvent(cases, ev(3, { type: 'case.closed', status: 'closed', light: null, limitUsed: null }));
    expect(cases.get('a')).toMatchObject({ light: null, limitUsed: null });
  });
});

describe('byLight', () => {
  it('orders as the server does: red, yellow, green by share used, then cases without a light', () => {
    const items = [
      { id: 'n', light: null, limitUsed: null },
      { id: 'g', light: 'green' as const, limitUsed: 0.1 },
      { id: 'r1', light: 'red' as const, limitUsed: 1 },
      { id: 'r2', light: 'red' as const, limitUsed: 3.5 },
      { id: 'y', light: 'yellow' as const, limitUsed: 0.8 },
    ];
    expect(byLight(items).map((c) => c.id)).toEqual(['r2', 'r1', 'y', 'g', 'n']);
  });
});
