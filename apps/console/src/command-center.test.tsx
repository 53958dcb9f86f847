import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NO_FILTER, type MapCase } from './cases';
import type { CaseEventPayload, FeedStats } from './contract';
import { setLang } from './i18n';
import { CaseList, EventList, LIVE_EVENTS_KEPT, withEvent } from './views/command-center/event-list';
import { coordsOf } from './views/command-center/map-paint';
import { StatsPanel } from './views/command-center/stats-panel';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
  setLang('en');
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const event = (seq: number, caseId = 'c1'): CaseEventPayload => ({
  seq,
  caseId,
  code: `410104-20261206-00000${seq}`,
  type: 'case.dispatched',
  status: 'dispatched',
  at: '2026-12-06T02:00:00Z',
  actor: { id: null, role: 'system' },
  assignee: null,
  escalationLevel: 0,
  escalatedTo: [],
  deadlineAt: null,
  overdue: false,
  light: 'green',
  limitUsed: 0,
  location: { lng: 113.68, lat: 34.74 },
  gridCode: 'C1',
  streetCode: 'S1',
  categoryCode: 'E0101',
});

const STATS: FeedStats = {
  scope: 'district',
  open: 5,
  overdue: 2,
  closedToday: 1,
  suspended: 0,
  byStreet: [
    { streetCode: 'S1', streetName: 'Street one', open: 3, overdue: 2, closedToday: 0, suspended: 0 },
    { streetCode: 'S2', streetName: 'Street two', open: 2, overdue: 0, closedToday: 1, suspended: 0 },
  ],
  day: '2026-12-06',
  at: '2026-12-06T02:00:00Z',
};

describe('the command center’s parts', () => {
  it('live events: newest first, at most the kept number; a click opens the case', () => {
    let list = withEvent([], event(1));
    list = withEvent(list, event(2, 'c2'));
    expect(list.map((e) => e.seq)).toEqual([2, 1]);
    let many = list;
    for (let seq = 3; seq < LIVE_EVENTS_KEPT + 10; seq++) many = withEvent(many, event(seq));
    expect(many).toHaveLength(LIVE_EVENTS_KEPT);
    const onSelect = vi.fn();
    act(() => render(<EventList events={list} onSelect={onSelect} />, root));
    const items = root.querySelectorAll('[data-testid=events] li');
    expect([...items].map((li) => li.getAttribute('data-case-id'))).toEqual(['c2', 'c1']);
    act(() => (items[1] as HTMLElement).click());
    expect(onSelect).toHaveBeenCalledWith('c1');
  });

  it('the case list says when nothing matches, and marks the selected case', () => {
    act(() => render(<CaseList cases={[]} selected={null} onSelect={() => undefined} />, root));
    expect(root.querySelector('[data-testid=case-list]')?.textContent).toBe('No cases');
    const c: MapCase = {
      id: 'c1', code: 'K1', status: 'dispatched', categoryCode: 'E0101', streetCode: 'S1', gridCode: 'C1',
      location: { lng: 113.68, lat: 34.74 }, overdue: true, deadlineAt: null, light: 'red', limitUsed: 1.25, assignee: null, seq: 1, at: '2026-12-06T02:00:00Z',
    };
    act(() => render(<CaseList cases={[c]} selected="c1" onSelect={() => undefined} />, root));
    const li = root.querySelector('[data-case-id=c1]')!;
    expect(li.className).toBe('active');
    expect(li.getAttribute('data-status')).toBe('dispatched');
    expect(root.querySelector('h3')?.textContent).toBe('Cases (1)');
    expect(li.querySelector('.light-dot')?.getAttribute('data-light')).toBe('red');
    expect(li.querySelector('.light-dot')?.getAttribute('title')).toBe('Red: past the limit · Limit used 125%');
  });

  it('the case list sorts by traffic light on demand: red first, then by share used, untimed last', () => {
    const mk = (id: string, light: MapCase['light'], limitUsed: number | null, at: string): MapCase => ({
      id, code: id, status: 'dispatched', categoryCode: 'E0101', streetCode: 'S1', gridCode: 'C1',
      location: { lng: 113.68, lat: 34.74 }, overdue: false, deadlineAt: null, light, limitUsed, assignee: null, seq: 1, at,
    });
    const cases = [mk('n', null, null, '4'), mk('g', 'green', 0.5, '3'), mk('y', 'yellow', 0.9, '2'), mk('r', 'red', 1.1, '1'), mk('y2', 'yellow', 0.95, '0')];
    act(() => render(<CaseList cases={cases} selected={null} onSelect={() => undefined} />, root));
    const order = () => [...root.querySelectorAll('[data-case-id]')].map((e) => e.getAttribute('data-case-id'));
    expect(order()).toEqual(['n', 'g', 'y', 'r', 'y2']);
    const select = root.querySelector('[data-testid=case-sort]') as HTMLSelectElement;
    act(() => {
      select.value = 'light';
      select.dispatchEvent(new Event('change'));
    });
    expect(order()).toEqual(['r', 'y2', 'y', 'g', 'n']);
  });

  it('the stats panel shows the counters, and a street’s row toggles the street filter', () => {
    const onFilter = vi.fn();
    act(() => render(<StatsPanel stats={STATS} filter={NO_FILTER} onFilter={onFilter} />, root));
    expect(['count-open', 'count-overdue', 'count-closed'].map((id) => root.querySelector(`[data-testid=${id}]`)?.textContent)).toEqual(['5', '2', '1']);
    act(() => (root.querySelectorAll('table.streets tbody tr')[0] as HTMLElement).click());
    expect(onFilter).toHaveBeenLastCalledWith({ ...NO_FILTER, street: 'S1' });
    act(() => render(<StatsPanel stats={STATS} filter={{ ...NO_FILTER, street: 'S1' }} onFilter={onFilter} />, root));
    act(() => (root.querySelectorAll('table.streets tbody tr')[0] as HTMLElement).click());
    expect(onFilter).toHaveBeenLastCalledWith({ ...NO_FILTER, street: '' });
  });

  it('the stats panel before the first stats: dashes', () => {
    act(() => render(<StatsPanel stats={null} filter={NO_FILTER} onFilter={() => undefined} />, root));
    expect(root.querySelector('[data-testid=count-open]')?.textContent).toBe('—');
  });

  it('the positions of a geometry, to fit the map to the roads', () => {
    expect(coordsOf({ type: 'Point', coordinates: [1, 2] })).toEqual([[1, 2]]);
    expect(coordsOf({ type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[5, 6]]] })).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(coordsOf({ type: 'GeometryCollection', geometries: [] })).toEqual([]);
  });
});
