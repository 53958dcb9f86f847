import { describe, expect, it } from 'vitest';
import type { AuthUser, CasePrincipal } from '@wangge/auth';
import type { CaseEventMessage } from '@wangge/events';
import { eventViewOf, payloadFor, publicRoomsOf, roomsFor, roomsOf, scopeOf, type FeedScope } from './feed-scope';

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
  reporterId: null,
  deadlineAt: null,
  overdue: false,
  light: null,
  limitUsed: null,
  location: { lng: 113.7, lat: 34.7 },
  gridCode: '410104001001001',
  streetCode: '410104001',
  categoryCode: 'E0102',
  ...extra,
});

const principal = (role: CasePrincipal['role'], extra: Partial<CasePrincipal> = {}): CasePrincipal => ({
  id: 'u',
  role,
  streetCode: null,
  chiefId: null,
  cellCodes: new Set(),
  ...extra,
});
const scope = (kind: FeedScope['kind'], role: CasePrincipal['role'], extra: Partial<CasePrincipal> = {}): FeedScope => ({ kind, principal: principal(role, extra) });
/** Whether the scope sees the event as staff (its full payload). */
const sees = (s: FeedScope, event: CaseEventMessage) => eventViewOf(s, new Set(), event) === 'staff';

describe('feed scope', () => {
  it('comes from role and jurisdiction', () => {
    expect(scopeOf(user('leader'))?.kind).toBe('district');
    expect(scopeOf(user('operator', { streetCode: '410104002' }))).toEqual(scope('street', 'operator', { streetCode: '410104002' }));
    expect(scopeOf(user('chief', { chiefId: 9 }))).toEqual(scope('chief', 'chief', { chiefId: 9 }));
    expect(scopeOf(user('warden'), new Set(['g1']))).toEqual(scope('cells', 'warden', { cellCodes: new Set(['g1']) }));
    expect(scopeOf(null)).toEqual(scope('tracker', 'citizen', { id: null }));
    expect(scopeOf(user('citizen'))).toEqual(scope('tracker', 'citizen'));
    expect(scopeOf(user('chief'))).toBeNull();
  });

  it('rooms of a connection and rooms of an event meet exactly where the scope sees the event', () => {
    const scopes: FeedScope[] = [
      scope('district', 'leader'),
      scope('street', 'operator', { streetCode: '410104001' }),
      scope('street', 'operator', { streetCode: '410104009' }),
      scope('cells', 'warden', { cellCodes: new Set(['410104001001001', 'x']) }),
      scope('cells', 'warden', { id: 'w', cellCodes: new Set(['y']) }),
      scope('chief', 'chief', { chiefId: 5 }),
      scope('chief', 'chief', { chiefId: 6 }),
      scope('chief', 'chief', { chiefId: 8 }),
      scope('chief', 'chief', { chiefId: 4 }),
      scope('tracker', 'citizen', { id: null }),
      scope('tracker', 'citizen', { id: 'w' }),
    ];
    const events = [
      message(),
      message({ assignee: null, formerChiefs: [5], type: 'case.returned' }),
      message({ escalatedTo: [8], formerChiefs: [5] }),
      message({ assignee: { id: 6, name: 'x', level: 3 }, formerChiefs: [4] }),
      message({ gridCode: '410104009001001', streetCode: '410104009', reporterId: 'w' }),
    ];
    for (const s of scopes) {
      for (const event of events) {
        const label = `${JSON.stringify(s, (_k, v) => (v instanceof Set ? [...v] : v))} ${JSON.stringify(event)}`;
        expect(roomsFor(s).some((r) => roomsOf(event).includes(r)), label).toBe(sees(s, event));
        const publicOnly = !sees(s, event) && roomsFor(s).some((r) => publicRoomsOf(event).includes(r));
        expect(publicOnly, label).toBe(eventViewOf(s, new Set(), event) === 'public');
      }
    }
  });

  it('a chief sees the event that takes a case away, and not the next one', () => {
    const chief = scope('chief', 'chief', { chiefId: 5 });
    expect(sees(chief, message({ type: 'case.returned', assignee: null, formerChiefs: [5] }))).toBe(true);
    expect(sees(chief, message({ type: 'case.dispatched', assignee: { id: 6, name: 'x', level: 3 }, formerChiefs: [] }))).toBe(false);
  });

  it('a warden sees their own report outside their cells; a signed-in citizen theirs as the public does', () => {
    const report = message({ gridCode: '410104009001001', streetCode: '410104009', reporterId: 'w' });
    expect(sees(scope('cells', 'warden', { id: 'w', cellCodes: new Set(['y']) }), report)).toBe(true);
    expect(sees(scope('cells', 'warden', { id: 'v', cellCodes: new Set(['y']) }), report)).toBe(false);
    expect(payloadFor(scope('tracker', 'citizen', { id: 'w' }), new Set(), report)).toMatchObject({ actor: { id: null }, assignee: null });
  });

  it('trackers get the public payload of tracked cases only; staff never see routing data', () => {
    const tracked = new Set(['c1']);
    const tracker = scope('tracker', 'citizen', { id: null });
    const pub = payloadFor(tracker, tracked, message({ escalatedTo: [8] }));
    expect(pub).toMatchObject({ actor: { id: null, role: 'operator' }, assignee: null, escalatedTo: [] });
    expect(pub).not.toHaveProperty('formerChiefs');
    expect(pub).not.toHaveProperty('reporterId');
    expect(payloadFor(tracker, new Set(), message())).toBeNull();
    const staff = payloadFor(scope('district', 'leader'), new Set(), message({ formerChiefs: [3], reporterId: 'r' }));
    expect(staff).toMatchObject({ actor: { id: 'a' }, assignee: { id: 5 } });
    expect(staff).not.toHaveProperty('formerChiefs');
    expect(staff).not.toHaveProperty('reporterId');
    expect(roomsFor(tracker, ['c1'])).toEqual(['public:case:c1']);
  });
});
