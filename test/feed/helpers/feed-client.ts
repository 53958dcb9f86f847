import { io, type Socket } from 'socket.io-client';
import type { CaseEventPayload, InspectionEventPayload, FeedAck, FeedClientEvents, FeedClosing, FeedErrorPayload, FeedNotice, FeedReady, FeedResync, FeedServerEvents, FeedStats } from '@wangge/events';

export type FeedSocket = Socket<FeedServerEvents, FeedClientEvents>;

export interface FeedClientOptions {
  token?: string;
  afterSeq?: number;
  /** The epoch `afterSeq` belongs to (`feed.ready`'s). */
  epoch?: string;
  transports?: ('websocket' | 'polling')[];
  /** Reconnect by itself (socket.io-client's manager), keeping `auth.afterSeq` current. */
  reconnection?: boolean;
}

/** A socket.io-client connection to a feed that records everything it receives. */
export class FeedClient {
  readonly socket: FeedSocket;
  readonly events: CaseEventPayload[] = [];
  readonly stats: FeedStats[] = [];
  readonly notices: FeedNotice[] = [];
  /** `inspection.event`s (domain.md 8). */
  readonly inspections: InspectionEventPayload[] = [];
  readonly errors: FeedErrorPayload[] = [];
  readonly closings: FeedClosing[] = [];
  readonly resumeDone: { lastSeq: number }[] = [];
  readonly resyncs: FeedResync[] = [];
  ready: FeedReady | null = null;
  private waiters: (() => void)[] = [];

  constructor(url: string, options: FeedClientOptions = {}) {
    const auth: Record<string, unknown> = {};
    if (options.token) auth.token = options.token.replace(/^Bearer /, '');
    if (options.afterSeq !== undefined) auth.afterSeq = options.afterSeq;
    if (options.epoch !== undefined) auth.epoch = options.epoch;
    this.socket = io(`${url}/feed`, {
      auth,
      transports: options.transports ?? ['websocket'],
      reconnection: options.reconnection ?? false,
      forceNew: true,
      timeout: 10_000,
    });
    this.socket.on('case.event', (e) => {
      this.events.push(e);
      if (options.reconnection) (this.socket.auth as Record<string, unknown>).afterSeq = e.seq;
      this.wake();
    });
    this.socket.on('stats', (s) => (this.stats.push(s), this.wake()));
    this.socket.on('notice', (n) => (this.notices.push(n), this.wake()));
    this.socket.on('inspection.event', (e) => (this.inspections.push(e), this.wake()));
    this.socket.on('feed.error', (e) => (this.errors.push(e), this.wake()));
    this.socket.on('feed.closing', (c) => (this.closings.push(c), this.wake()));
    this.socket.on('resume.done', (d) => (this.resumeDone.push(d), this.wake()));
    this.socket.on('feed.resync', (r) => (this.resyncs.push(r), this.wake()));
    this.socket.on('feed.ready', (r) => ((this.ready = r), this.wake()));
    this.socket.on('disconnect', () => this.wake());
    // socket.io-client keeps events that still arrive from a connection after it closed and emits
    // them after the next connect, after auth.afterSeq was sent: drop them when the new transport
    // opens (before the handshake); the replay brings them, in order.
    this.socket.io.on('open', () => {
      this.socket.receiveBuffer = [];
    });
  }

  /** Resolves once connected (with `feed.ready`), rejects with the refusal. */
  connected(): Promise<FeedReady> {
    return new Promise((resolve, reject) => {
      if (this.ready) return resolve(this.ready);
      this.socket.once('connect_error', (err) => reject(err));
      this.until(() => this.ready !== null, 10_000).then(() => resolve(this.ready!), reject);
    });
  }

  seqs(): number[] {
    return this.events.map((e) => e.seq);
  }

  lastSeq(): number {
    return this.events.length > 0 ? this.events[this.events.length - 1].seq : (this.ready?.lastSeq ?? 0);
  }

  /** Waits until the condition holds (checked on every message and every 50 ms). */
  async until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${this.events.length} events: ${JSON.stringify(this.seqs().slice(-20))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  emit<K extends keyof FeedClientEvents>(event: K, body: unknown): Promise<FeedAck<Record<string, unknown>>> {
    return new Promise((resolve) => {
      (this.socket.emit as (e: string, b: unknown, ack: (a: FeedAck<Record<string, unknown>>) => void) => void)(event, body, resolve);
    });
  }

  close(): void {
    this.socket.disconnect();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Fails when the list has a duplicate or is not ascending. */
export function assertOrderedUnique(seqs: number[]): void {
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] <= seqs[i - 1]) throw new Error(`seq ${seqs[i]} after ${seqs[i - 1]} at index ${i}`);
  }
}

/** An access token for any user, signed by the app's own JwtService (no login, so no login throttle). */
export async function tokenFor(
  app: { get<T>(type: new (...args: never[]) => T): T },
  db: { query(sql: string, params: unknown[]): Promise<{ rows: { id: string; role: string }[] }> },
  username: string,
  options: { expiresIn?: number } = {},
): Promise<string> {
  const { JwtService } = await import('@nestjs/jwt');
  const { rows } = await db.query(`SELECT id, role FROM app_user WHERE username = $1`, [username]);
  if (!rows[0]) throw new Error(`no user ${username}`);
  const jwt = app.get(JwtService);
  return jwt.signAsync({ sub: rows[0].id, role: rows[0].role, username }, options.expiresIn !== undefined ? { expiresIn: options.expiresIn } : {});
}
