import { describe, expect, it } from 'vitest';
import { applyEvent, cellCounts, filterCases, NO_FILTER, type MapCase } from './cases';
import type { CaseEventPayload } from './contract';

const base: MapCase = { id: 'a', code: 'A', status: 'dispatched', categoryCode: 'E0102', streetCode: '410104001', gridCode: 'g1', location: { lng: 1, lat: 2 }, overdue: false, deadlineAt: null, assignee: null, seq: 0, at: '2026-11-29T01:00:00Z' };

function ev(seq: number, patch: Partial<CaseEventPayload>): CaseEventPayload {
  return { seq, caseId: 'a', code: 'A', type: 'case.accepted', status: 'in_progress', at: `2026-11-29T02:00:0${seq % 10}Z`, actor: { id: null, role: 'chief' }, assignee: { id: 3, name: '张三', level: 3 }, escalationLevel: 0, escalatedTo: [], deadlineAt: null, overdue: false, location: { lng: 1, lat: 2 }, gridCode: 'g1', streetCode: '410104001', categoryCode: 'E0102', ...patch } as CaseEventPayload;
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

  it('counts open and overdue cases per grid cell (closed ones do not shade a cell)', () => {
    const counts = cellCounts([base, { ...base, id: 'b', overdue: true }, { ...base, id: 'c', status: 'closed' }, { ...base, id: 'd', gridCode: 'g2' }]);
    expect(counts.get('g1')).toEqual({ open: 2, overdue: 1 });
    expect(counts.get('g2')).toEqual({ open: 1, overdue: 0 });
  });
});
