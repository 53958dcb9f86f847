import { describe, expect, it } from 'vitest';
import type { AuthUser } from '@wangge/auth';
import type { CaseEventMessage } from '@wangge/events';
import { payloadFor, roomsFor, roomsOf, scopeOf, scopeSees, type FeedScope } from './feed-scope';

const user = (role: AuthUser['role'], extra: Partial<AuthUser> = {}): AuthUser => ({ id: 'u', username: 'u', name: 'U', role, streetCode: null, chiefId: null, ...extra });

const message = (extra: Partial<CaseEventMessage> = {}): CaseEventMessage => ({
  seq: 7,
  caseId: 'c1',
  code: '410104-20261129-000001',
  type: 'case.dispatched',
  status: 'dispatched',
  at: '2026-11-29T01:00:00.000Z',
  actor: { id: 'a', role: 'operator' },
  assignee: { id: 5, name: '张三', level: 3 },
  escalationLevel: 0,
  escalatedTo: [],
  formerChiefs: [],
  deadlineAt: null,
  overdue: false,
  location: { lng: 113.7, lat: 34.7 },
  gridCode: '410104001001001',
  streetCode: '410104001',
  categoryCode: 'E0102',
  ...extra,
});

describe('feed scope', () => {
  it('comes from role and jurisdiction', () => {
    expect(scopeOf(user('leader'))).toEqual({ kind: 'district' });
    expect(scopeOf(user('operator', { streetCode: '410104002' }))).toEqual({ kind: 'street', streetCode: '410104002' });
    expect(scopeOf(user('chief', { chiefId: 9 }))).toEqual({ kind: 'chief', chiefId: 9 });
    expect(scopeOf(user('warden'), new Set(['g1']))).toEqual({ kind: 'cells', cellCodes: new Set(['g1']) });
    expect(scopeOf(null)).toEqual({ kind: 'tracker' });
    expect(scopeOf(user('citizen'))).toEqual({ kind: 'tracker' });
    expect(scopeOf(user('chief'))).toBeNull();
  });

  it('rooms of a connection and rooms of an event meet exactly where the scope sees the event', () => {
    const scopes: FeedScope[] = [
      { kind: 'district' },
      { kind: 'street', streetCode: '410104001' },
      { kind: 'street', streetCode: '410104009' },
      { kind: 'cells', cellCodes: new Set(['410104001001001', 'x']) },
      { kind: 'cells', cellCodes: new Set(['y']) },
      { kind: 'chief', chiefId: 5 },
      { kind: 'chief', chiefId: 6 },
      { kind: 'chief', chiefId: 8 },
      { kind: 'chief', chiefId: 4 },
      { kind: 'tracker' },
    ];
    const events = [
      message(),
      message({ assignee: null, formerChiefs: [5], type: 'case.returned' }),
      message({ escalatedTo: [8], formerChiefs: [5] }),
      message({ assignee: { id: 6, name: 'x', level: 3 }, formerChiefs: [4] }),
    ];
    for (const scope of scopes) {
      for (const event of events) {
        const meet = roomsFor(scope).some((r) => roomsOf(event).includes(r));
        expect(meet, `${JSON.stringify(scope, (_k, v) => (v instanceof Set ? [...v] : v))} ${JSON.stringify(event.formerChiefs)}`).toBe(scopeSees(scope, event));
      }
    }
  });

  it('a chief sees the event that takes a case away, and not the next one', () => {
    const chief = { kind: 'chief', chiefId: 5 } as const;
    expect(scopeSees(chief, message({ type: 'case.returned', assignee: null, formerChiefs: [5] }))).toBe(true);
    expect(scopeSees(chief, message({ type: 'case.dispatched', assignee: { id: 6, name: 'x', level: 3 }, formerChiefs: [] }))).toBe(false);
  });

  it('trackers get the public payload of tracked cases only; staff never see routing data', () => {
    const tracked = new Set(['c1']);
    const pub = payloadFor({ kind: 'tracker' }, tracked, message({ escalatedTo: [8] }));
    expect(pub).toMatchObject({ actor: { id: null, role: 'operator' }, assignee: null, escalatedTo: [] });
    expect(pub).not.toHaveProperty('formerChiefs');
    expect(payloadFor({ kind: 'tracker' }, new Set(), message())).toBeNull();
    const staff = payloadFor({ kind: 'district' }, new Set(), message({ formerChiefs: [3] }));
    expect(staff).toMatchObject({ actor: { id: 'a' }, assignee: { id: 5 } });
    expect(staff).not.toHaveProperty('formerChiefs');
    expect(roomsFor({ kind: 'tracker' }, ['c1'])).toEqual(['case:c1']);
  });
});
