import { describe, expect, it } from 'vitest';
import type { CaseEventPayload } from './contract';
import { FeedTracker, handshakeAuth, type FeedState } from './feed';

const event = (seq: number): CaseEventPayload =>
  ({ seq, caseId: `c${seq}`, code: 'x', type: 'case.reported', status: 'reported', at: '', actor: { id: null, role: 'warden' }, assignee: null, escalationLevel: 0, escalatedTo: [], deadlineAt: null, overdue: false, light: null, limitUsed: null, location: { lng: 0, lat: 0 }, gridCode: '', streetCode: '', categoryCode: '' }) as CaseEventPayload;

const EPOCH = '6f1c2a4e-0d9b-4c1e-9a57-3b2f6d8e1a90';
const OTHER = '0b7d3e55-8c21-4f0a-b6d4-2e9f1c7a5d33';

describe('feed client state', () => {
  it('keeps the last seq processed, drops duplicates, and resumes after it', () => {
    const tracker = new FeedTracker();
    expect(handshakeAuth('tok', tracker.state)).toEqual({ token: 'tok' });
    expect(tracker.accept(event(5))).toBe(true);
    expect(tracker.accept(event(6))).toBe(true);
    expect(tracker.accept(event(5))).toBe(false);
    expect(tracker.state.lastSeq).toBe(6);
    expect(handshakeAuth('tok', tracker.state)).toEqual({ token: 'tok', afterSeq: 6 });
    expect(handshakeAuth(null, tracker.state)).toEqual({ afterSeq: 6 });
  });

  it('starts from the server’s lastSeq when nothing arrived yet, so a reconnect replays what came in between', () => {
    const tracker = new FeedTracker();
    tracker.connected({ lastSeq: 41, epoch: EPOCH, scope: 'district' }, false);
    expect(tracker.state).toMatchObject({ status: 'live', lastSeq: 41, epoch: EPOCH });
    expect(handshakeAuth('t', tracker.state)).toEqual({ token: 't', afterSeq: 41, epoch: EPOCH });
  });

  it('keeps the epoch of its position across reconnects, and takes the server’s position and epoch on a resync', () => {
    const tracker = new FeedTracker();
    tracker.connected({ lastSeq: 41, epoch: EPOCH, scope: 'district' }, false);
    tracker.accept(event(42));
    tracker.connected({ lastSeq: 3, epoch: OTHER, scope: 'district' }, true);
    expect(handshakeAuth('t', tracker.state)).toEqual({ token: 't', afterSeq: 42, epoch: EPOCH });
    tracker.resynced({ reason: 'other_database', epoch: OTHER, lastSeq: 3, message: 'load again' });
    expect(handshakeAuth('t', tracker.state)).toEqual({ token: 't', afterSeq: 3, epoch: OTHER });
    expect(tracker.accept(event(42))).toBe(true);
  });

  it('shows a lost connection, then catching up, then live again', () => {
    const seen: FeedState['status'][] = [];
    const tracker = new FeedTracker((s) => seen.push(s.status));
    tracker.connected(null, false);
    tracker.accept(event(1));
    tracker.lost('transport close');
    expect(tracker.state).toMatchObject({ status: 'lost', error: 'transport close', reconnects: 1, lastSeq: 1 });
    tracker.connected(null, true);
    expect(tracker.state.status).toBe('catching_up');
    tracker.caughtUp();
    expect(tracker.state).toMatchObject({ status: 'live', error: null });
    expect(seen).toContain('lost');
  });

  it('stays refused (with the server’s words) when the token is refused', () => {
    const tracker = new FeedTracker();
    tracker.refused('token expired / 登录已过期');
    tracker.lost('io client disconnect');
    expect(tracker.state).toMatchObject({ status: 'refused', error: 'token expired / 登录已过期' });
  });
});
