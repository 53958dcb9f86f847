// The live feed client (docs/feed.md): one socket.io connection to /feed, its state for the UI, and
// resume with no gap and no duplicate: auth.afterSeq follows the last event processed, and events a
// closed transport still delivers are dropped when the transport reopens (the replay brings them).
import { io, type Socket } from 'socket.io-client';
import type { CampaignEventPayload, CaseEventPayload, FeedClientEvents, FeedClosing, FeedHandshakeAuth, FeedReady, FeedResync, FeedServerEvents, FeedStats } from './contract';

export type FeedStatus = 'connecting' | 'live' | 'catching_up' | 'lost' | 'refused';

export interface FeedState {
  status: FeedStatus;
  /** The last seq processed (what a reconnect resumes after). */
  lastSeq: number | null;
  /** The database `lastSeq` belongs to (`feed.ready`'s epoch), sent with it when resuming. */
  epoch: string | null;
  /** Why the last connection ended or was refused, in the server's words. */
  error: string | null;
  stats: FeedStats | null;
  reconnects: number;
}

export interface FeedHandlers {
  onEvent?(event: CaseEventPayload): void;
  /** A change of a campaign in the caller's scope (live only: a reconnect loads the campaign again). */
  onCampaignEvent?(event: CampaignEventPayload): void;
  onStats?(stats: FeedStats): void;
  onState?(state: FeedState): void;
  /** The server refused the token (expired or invalid): the user must sign in again. */
  onAuthRefused?(code: string): void;
  /** The server could not resume from our position (another database): load what is shown again. */
  onResync?(resync: FeedResync): void;
}

/** The pure state machine behind the connection, kept apart from the socket so it can be tested. */
export class FeedTracker {
  state: FeedState = { status: 'connecting', lastSeq: null, epoch: null, error: null, stats: null, reconnects: 0 };
  private readonly seen = new Set<number>();

  constructor(private readonly notify: (state: FeedState) => void = () => {}) {}

  private set(patch: Partial<FeedState>): void {
    this.state = { ...this.state, ...patch };
    this.notify(this.state);
  }

  connected(ready: FeedReady | null, resuming: boolean): void {
    this.set({ status: resuming ? 'catching_up' : 'live', error: null });
    if (ready && this.state.lastSeq === null && !resuming) this.set({ lastSeq: ready.lastSeq });
    if (ready && this.state.epoch === null) this.set({ epoch: ready.epoch });
  }

  /** Our position was another database's: start again from the server's (what is shown is loaded anew). */
  resynced(resync: FeedResync): void {
    this.seen.clear();
    this.set({ lastSeq: resync.lastSeq, epoch: resync.epoch });
  }

  caughtUp(): void {
    this.set({ status: 'live' });
  }

  lost(reason: string | null): void {
    if (this.state.status === 'refused') return;
    this.set({ status: 'lost', error: reason, reconnects: this.state.reconnects + 1 });
  }

  refused(message: string): void {
    this.set({ status: 'refused', error: message });
  }

  stats(stats: FeedStats): void {
    this.set({ stats });
  }

  /** Whether an event is new (not a duplicate of one already processed); records it. */
  accept(event: CaseEventPayload): boolean {
    if (this.seen.has(event.seq)) return false;
    this.seen.add(event.seq);
    if (this.seen.size > 5000) {
      const oldest = [...this.seen].sort((a, b) => a - b).slice(0, 2500);
      for (const s of oldest) this.seen.delete(s);
    }
    this.set({ lastSeq: Math.max(this.state.lastSeq ?? 0, event.seq) });
    return true;
  }
}

/** The handshake's auth, read again at every (re)connect: the token, the last seq processed and its epoch. */
export function handshakeAuth(token: string | null, state: Pick<FeedState, 'lastSeq' | 'epoch'>): FeedHandshakeAuth {
  return {
    ...(token ? { token } : {}),
    ...(state.lastSeq !== null ? { afterSeq: state.lastSeq, ...(state.epoch ? { epoch: state.epoch } : {}) } : {}),
  };
}

export interface FeedConnection {
  readonly tracker: FeedTracker;
  track(caseId: string, trackingToken: string): Promise<void>;
  close(): void;
}

/** Opens the feed; staff pass their token, anonymous trackers none. */
export function connectFeed(url: string, token: string | null, handlers: FeedHandlers): FeedConnection {
  const tracker = new FeedTracker((s) => handlers.onState?.(s));
  const auth = () => handshakeAuth(token, tracker.state);
  const socket: Socket<FeedServerEvents, FeedClientEvents> = io(`${url}/feed`, {
    auth: (cb) => cb(auth() as Record<string, unknown>),
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  const tracked = new Map<string, string>();
  let resuming = false;

  // Events still arriving from a closed connection are buffered and emitted after the next connect;
  // the replay after afterSeq brings them again, in order, so drop them when the transport reopens.
  socket.io.on('open', () => {
    (socket as unknown as { receiveBuffer: unknown[] }).receiveBuffer = [];
  });
  socket.on('connect', () => {
    resuming = tracker.state.lastSeq !== null && tracker.state.reconnects > 0;
    tracker.connected(null, resuming);
    for (const [caseId, trackingToken] of tracked) socket.emit('track', { caseId, trackingToken });
  });
  socket.on('feed.ready', (ready) => tracker.connected(ready, resuming));
  socket.on('resume.done', () => {
    resuming = false;
    tracker.caughtUp();
  });
  socket.on('feed.resync', (resync) => {
    tracker.resynced(resync);
    handlers.onResync?.(resync);
  });
  socket.on('case.event', (event) => {
    if (tracker.accept(event)) handlers.onEvent?.(event);
  });
  socket.on('campaign.event', (event) => handlers.onCampaignEvent?.(event));
  socket.on('stats', (stats) => {
    tracker.stats(stats);
    handlers.onStats?.(stats);
  });
  socket.on('feed.closing', (closing: FeedClosing) => {
    tracker.lost(closing.message);
    if (closing.reason === 'token_expired' || closing.reason === 'session_ended') handlers.onAuthRefused?.(closing.reason);
  });
  socket.on('disconnect', (reason) => {
    tracker.lost(reason);
    // A server-side disconnect is not retried by socket.io: reconnect ourselves (with afterSeq).
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 500);
  });
  socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
    const code = err.data?.code;
    if (code === 'invalid_token' || code === 'token_expired' || code === 'forbidden' || code === 'session_ended' || code === 'password_change_required') {
      tracker.refused(err.data?.message ?? err.message);
      handlers.onAuthRefused?.(code);
      socket.disconnect();
      return;
    }
    tracker.lost(err.data?.message ?? err.message);
  });

  return {
    tracker,
    track(caseId, trackingToken) {
      tracked.set(caseId, trackingToken);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('track: no answer from the feed')), 10_000);
        socket.emit('track', { caseId, trackingToken }, (answer) => {
          clearTimeout(timer);
          if (answer.ok) resolve();
          else reject(new Error(answer.error.message));
        });
      });
    },
    close() {
      socket.removeAllListeners();
      socket.io.removeAllListeners();
      socket.disconnect();
    },
  };
}
