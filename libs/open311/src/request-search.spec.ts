import { describe, expect, it } from 'vitest';
import { Open311Error } from './open311-error';
import { toRequestSearch } from './request-search';

const NOW = new Date('2026-11-29T04:00:00Z');
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

function refused(q: Record<string, unknown>): string[] {
  try {
    toRequestSearch(q, NOW, TZ);
  } catch (e) {
    expect(e).toBeInstanceOf(Open311Error);
    expect((e as Open311Error).status).toBe(400);
    return (e as Open311Error).descriptions;
  }
  throw new Error('not refused');
}

describe('GET requests filters', () => {
  it('defaults to the last 90 days, any service, any status', () => {
    expect(toRequestSearch({}, NOW, TZ)).toEqual({ kind: 'window', from: new Date(NOW.getTime() - 90 * DAY), to: null, serviceCodes: null, statuses: null });
  });

  it('opens a 90-day window from either end', () => {
    const start = toRequestSearch({ start_date: '2026-01-01T00:00:00+08:00' }, NOW, TZ);
    expect(start).toMatchObject({ from: new Date('2025-12-31T16:00:00Z'), to: new Date(new Date('2025-12-31T16:00:00Z').getTime() + 90 * DAY) });
    const end = toRequestSearch({ end_date: '2026-06-01' }, NOW, TZ);
    expect(end).toMatchObject({ to: new Date('2026-05-31T16:00:00Z'), from: new Date(new Date('2026-05-31T16:00:00Z').getTime() - 90 * DAY) });
  });

  it('maps open and closed onto every case status', () => {
    const open = toRequestSearch({ status: 'open' }, NOW, TZ);
    expect(open.kind === 'window' && open.statuses).toEqual(['reported', 'registered', 'dispatched', 'in_progress', 'resolved']);
    const closed = toRequestSearch({ status: ['closed'] }, NOW, TZ);
    expect(closed.kind === 'window' && closed.statuses).toEqual(['closed', 'rejected', 'merged', 'cancelled']);
    const both = toRequestSearch({ status: 'open, closed' }, NOW, TZ);
    expect(both.kind === 'window' && both.statuses?.length).toBe(9);
  });

  it('takes lists of service codes and of ids; ids make every other filter moot', () => {
    expect(toRequestSearch({ service_code: 'E0102,C0101' }, NOW, TZ)).toMatchObject({ serviceCodes: ['E0102', 'C0101'] });
    const id = '0b7c4c6e-8d2f-4a51-9b3e-2f1d5a6c7e80';
    expect(toRequestSearch({ service_request_id: `410104-20261129-000001,${id}`, status: 'bogus' }, NOW, TZ)).toEqual({
      kind: 'ids',
      codes: ['410104-20261129-000001'],
      ids: [id],
    });
  });

  it('names the parameter at fault', () => {
    expect(refused({ status: 'pending' })[0]).toMatch(/^status/);
    expect(refused({ service_code: 'garbage' })[0]).toMatch(/^service_code/);
    expect(refused({ start_date: 'yesterday' })[0]).toMatch(/^start_date/);
    expect(refused({ end_date: '2026-02-30' })[0]).toMatch(/^end_date/);
    expect(refused({ service_request_id: 'abc' })[0]).toMatch(/^service_request_id/);
    expect(refused({ start_date: '2026-01-01', end_date: '2026-06-01' })[0]).toMatch(/90 days/);
    expect(refused({ start_date: '2026-06-01', end_date: '2026-01-01' })[0]).toMatch(/before/);
    expect(refused({ status: 'x', service_code: 'y' })).toHaveLength(2);
  });
});
