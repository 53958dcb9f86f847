import { describe, expect, it } from 'vitest';
import { RECENT_SESSION_MS, RecentSessions, type RecentSession } from './recent-sessions';

const session = (exp?: number): RecentSession => ({
  claims: { sub: '5f0c0000-0000-4000-8000-000000000001', role: 'warden', username: 'warden1', ver: 0, ...(exp === undefined ? {} : { exp }) },
  user: { id: '5f0c0000-0000-4000-8000-000000000001', username: 'warden1', name: '网格员1', role: 'warden', streetCode: null, chiefId: null, departmentCode: null, ledDepartmentCode: null, active: true, sessionVersion: 0, passwordChangeRequired: false },
});

function withClock(start = 1_000_000) {
  let now = start;
  return { sessions: new RecentSessions(() => now), advance: (ms: number) => (now += ms) };
}

describe('RecentSessions', () => {
  it('answers for a token for less than RECENT_SESSION_MS (1 s), then reads again', () => {
    expect(RECENT_SESSION_MS).toBeLessThanOrEqual(1000);
    const { sessions, advance } = withClock();
    expect(sessions.get('t')).toBeUndefined();
    sessions.keep('t', session());
    expect(sessions.get('t')?.user.username).toBe('warden1');
    advance(RECENT_SESSION_MS - 1);
    expect(sessions.get('t')).toBeDefined();
    advance(1);
    expect(sessions.get('t')).toBeUndefined();
    expect(sessions.get('other')).toBeUndefined();
  });

  it('never past the token’s own expiry', () => {
    const { sessions, advance } = withClock(1_000_000);
    sessions.keep('t', session(1_000.3)); // expires 300 ms from now
    advance(299);
    expect(sessions.get('t')).toBeDefined();
    advance(1);
    expect(sessions.get('t')).toBeUndefined();
  });

  it('forgets everything when a user is changed here', () => {
    const { sessions } = withClock();
    sessions.keep('a', session());
    sessions.keep('b', session());
    sessions.forgetAll();
    expect(sessions.get('a')).toBeUndefined();
    expect(sessions.get('b')).toBeUndefined();
  });

  it('stays bounded: past 10,000 tokens within a second it starts over', () => {
    const { sessions } = withClock();
    for (let i = 0; i < 10_000; i++) sessions.keep(`t${i}`, session());
    expect(sessions.get('t0')).toBeDefined();
    sessions.keep('one-more', session());
    expect(sessions.get('t0')).toBeUndefined();
    expect(sessions.get('one-more')).toBeDefined();
  });

  it('keeps a warden’s cells for RECENT_SESSION_MS; a read that began before a change is not kept', async () => {
    const { sessions, advance } = withClock();
    let reads = 0;
    const read = async () => new Set([`C${++reads}`]);
    expect([...(await sessions.wardenCells('u', read))]).toEqual(['C1']);
    advance(RECENT_SESSION_MS - 1);
    expect([...(await sessions.wardenCells('u', read))]).toEqual(['C1']);
    advance(1);
    expect([...(await sessions.wardenCells('u', read))]).toEqual(['C2']);

    // A change here while a read is under way: that read answers its caller but is not kept.
    sessions.forgetAll();
    let release: () => void = () => undefined;
    const slow = sessions.wardenCells('u', async () => {
      await new Promise<void>((r) => (release = r));
      return new Set(['before the change']);
    });
    sessions.forgetAll();
    release();
    expect([...(await slow)]).toEqual(['before the change']);
    expect([...(await sessions.wardenCells('u', read))]).toEqual(['C3']);
  });
});
