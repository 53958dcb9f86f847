import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { AuthError, AuthService, placeRooms, UserDirectory, type AuthUser } from '@wangge/auth';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { CaseEventMessage, FeedAck, FeedClosing, FeedErrorPayload, FeedResync, FeedServerEvents, FeedStreamNotice } from '@wangge/events';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { CaseEventReader } from '@wangge/workflow';
import { caseRoom, payloadFor, publicPayload, publicRoomsOf, roomsFor, roomsOf, scopeOf, staffPayload, STAFF_ROOM } from '../scope/feed-scope';
import { rawSocketOf, sendBatch } from './room-fanout';
import { FeedSource, type FeedListener } from '../source/feed-source.service';
import type { FeedClient, FeedSocket, HeldNotice } from './feed-client';
import { checkAfterSeq, checkEpoch, checkResume, checkTrack, checkUntrack } from './feed-requests';

const REPLAY_PAGE = 500;
const SWEEP_MS = 200;
/** Longest a replay waits for this node to reach a seq a client already has (from another node). */
const CATCH_UP_WAIT_MS = 5000;

type Ack<T> = ((answer: FeedAck<T>) => void) | undefined;

const RESYNC_MESSAGES: Record<FeedResync['reason'], string> = {
  other_database:
    'these events come from another database than your last position (it was reset, restored or replaced): load your view again; live events follow from here / 数据库已更换（重置、恢复或替换），请重新加载，实时事件从此继续',
  ahead:
    'your last position is ahead of every event of this database (was it restored from a copy?): load your view again; live events follow from here / 续传位置超出本库已有事件（数据库可能已恢复），请重新加载，实时事件从此继续',
};

/** An error a connection is refused with: `connect_error` gives the client `message` and `data`. */
export class FeedConnectError extends Error {
  constructor(readonly data: FeedErrorPayload) {
    super(data.message);
  }
}

/**
 * The live feed's connections: who they are, what they may see, and where each stands in the
 * stream. Live connections sit in their rooms and get each event by one broadcast (encoded once);
 * a connection that resumes leaves its rooms, is sent what it missed in seq order, and rejoins its
 * rooms in the same tick in which it has caught up with the node, so nothing is missed or sent twice.
 */
@Injectable()
export class FeedHub implements FeedListener, OnApplicationShutdown {
  private readonly logger = new Logger('feed');
  private nsp: Namespace<Record<string, never>, FeedServerEvents> | null = null;
  private readonly clients = new Set<FeedClient>();
  private batch: CaseEventMessage[] = [];
  private sweeper: NodeJS.Timeout | null = null;
  readonly counters = { connected: 0, refused: 0, slowConsumers: 0, replayed: 0, resyncs: 0 };
  /** The identity of the database this node's seqs belong to (`feed.ready`'s `epoch`). */
  private readonly epoch: string;
  private readonly connectionListeners: ((client: FeedClient, connected: boolean) => void)[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(FeedSource) private readonly source: FeedSource,
    @Inject(CaseEventReader) private readonly events: CaseEventReader,
    @Inject(UserDirectory) private readonly users: UserDirectory,
    @Inject(REDIS_NAMESPACE) keys: RedisNamespace,
  ) {
    this.epoch = keys.databaseId;
    source.listen(this);
  }

  attach(nsp: Namespace): void {
    this.nsp = nsp as unknown as Namespace<Record<string, never>, FeedServerEvents>;
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const client of this.clients) this.cut(client, 'shutdown');
  }

  /** Lets the stats service follow connections. */
  onConnection(listener: (client: FeedClient, connected: boolean) => void): void {
    this.connectionListeners.push(listener);
  }

  get connections(): ReadonlySet<FeedClient> {
    return this.clients;
  }

  // ---------------------------------------------------------------- handshake

  /** Handshake middleware: a valid staff token, or none at all (anonymous tracker). */
  async authenticate(socket: FeedSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const header = socket.handshake.headers.authorization;
    const token = typeof auth.token === 'string' ? auth.token : typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7) : undefined;
    if (auth.afterSeq !== undefined && auth.afterSeq !== null) {
      const afterSeq = checkAfterSeq(auth.afterSeq);
      if (!afterSeq.ok) throw new FeedConnectError(afterSeq.error);
    }
    const epoch = checkEpoch(auth.epoch);
    if (!epoch.ok) throw new FeedConnectError(epoch.error);
    let user: AuthUser | null = null;
    if (auth.token !== undefined && typeof auth.token !== 'string') {
      throw new FeedConnectError({ code: 'invalid_token', field: 'token', message: 'auth.token must be a string / auth.token 须为字符串' });
    }
    if (token !== undefined) {
      try {
        user = await this.auth.authenticate(token);
      } catch (err) {
        if (err instanceof AuthError) throw new FeedConnectError({ code: err.code, field: 'token', message: err.message });
        throw err;
      }
    }
    const cells = user?.role === 'warden' ? await this.users.wardenCells(user.id) : new Set<string>();
    const scope = scopeOf(user, cells);
    if (!scope) {
      throw new FeedConnectError({ code: 'forbidden', message: `the role ${user?.role} has no live feed / 该角色无实时推送` });
    }
    socket.data.user = user;
    socket.data.scope = scope;
    socket.data.tokenExpiresAt = token ? tokenExpiry(token) : null;
  }

  // ---------------------------------------------------------------- connections

  connected(socket: FeedSocket): void {
    const scope = socket.data.scope;
    if (!scope) {
      socket.disconnect(true);
      return;
    }
    const client: FeedClient = {
      socket,
      user: socket.data.user ?? null,
      scope,
      tracked: new Set(),
      mode: 'pending',
      position: this.source.lastSeq,
      generation: 0,
      rooms: [],
      held: [],
      graceTimer: null,
      expiryTimer: null,
    };
    socket.data.client = client;
    this.clients.add(client);
    this.counters.connected++;
    const expiresAt = socket.data.tokenExpiresAt;
    if (expiresAt) {
      client.expiryTimer = setTimeout(() => this.cut(client, 'token_expired'), Math.min(Math.max(expiresAt - Date.now(), 0), 2 ** 31 - 1));
      client.expiryTimer.unref();
    }
    socket.emit('feed.ready', {
      lastSeq: client.position,
      epoch: this.epoch,
      scope: scope.kind,
      ...(client.user ? { user: { id: client.user.id, name: client.user.name, role: client.user.role } } : {}),
    });
    for (const l of this.connectionListeners) l(client, true);
    const afterSeq = socket.handshake.auth?.afterSeq;
    if (afterSeq !== undefined && afterSeq !== null) {
      const checked = checkAfterSeq(afterSeq);
      const epoch = checkEpoch(socket.handshake.auth?.epoch);
      if (checked.ok && epoch.ok) this.resumeFrom(client, checked.value, epoch.value);
    } else if (this.config.feed.resumeGraceMs === 0) {
      void this.replay(client, client.position, false);
    } else {
      client.graceTimer = setTimeout(() => {
        client.graceTimer = null;
        if (client.mode === 'pending') void this.replay(client, client.position, false);
      }, this.config.feed.resumeGraceMs);
    }
  }

  disconnected(socket: FeedSocket): void {
    const client = socket.data.client;
    if (!client) return;
    client.generation++;
    if (client.graceTimer) clearTimeout(client.graceTimer);
    if (client.expiryTimer) clearTimeout(client.expiryTimer);
    this.clients.delete(client);
    this.counters.connected--;
    for (const l of this.connectionListeners) l(client, false);
  }

  // ---------------------------------------------------------------- requests

  resume(socket: FeedSocket, body: unknown, ack: Ack<{ afterSeq: number }>): void {
    const client = socket.data.client;
    if (!client) return;
    const checked = checkResume(body);
    if (!checked.ok) return this.answer(socket, ack, checked);
    const { afterSeq, epoch } = checked.value;
    this.answer(socket, ack, { ok: true, afterSeq: this.resumeFrom(client, afterSeq, epoch) });
  }

  /**
   * Replays from `afterSeq`, or, when the client's seqs are another database's, tells it to load
   * what it shows again and goes on from this node's position. Returns where the replay starts.
   */
  private resumeFrom(client: FeedClient, afterSeq: number, epoch: string | undefined): number {
    if (epoch === undefined || epoch === this.epoch) {
      void this.replay(client, afterSeq, true);
      return afterSeq;
    }
    const lastSeq = this.source.lastSeq;
    this.resync(client, 'other_database', lastSeq);
    void this.replay(client, lastSeq, true);
    return lastSeq;
  }

  private resync(client: FeedClient, reason: FeedResync['reason'], lastSeq: number): void {
    this.counters.resyncs++;
    client.socket.emit('feed.resync', { reason, epoch: this.epoch, lastSeq, message: RESYNC_MESSAGES[reason] });
  }

  async track(socket: FeedSocket, body: unknown, ack: Ack<{ caseId: string }>): Promise<void> {
    const client = socket.data.client;
    if (!client) return;
    const checked = checkTrack(body);
    if (!checked.ok) return this.answer(socket, ack, checked);
    const { caseId, trackingToken } = checked.value;
    if (!client.tracked.has(caseId) && client.tracked.size >= this.config.feed.maxTracked) {
      return this.answer(socket, ack, {
        ok: false,
        error: { code: 'too_many_tracked', field: 'caseId', message: `at most ${this.config.feed.maxTracked} cases per connection / 每个连接最多跟踪 ${this.config.feed.maxTracked} 个案件` },
      });
    }
    if (!(await this.events.tokenMatches(caseId, trackingToken))) {
      return this.answer(socket, ack, {
        ok: false,
        error: { code: 'invalid_tracking_token', field: 'trackingToken', message: 'no case with this id and tracking token / 案件编号或查询码不正确' },
      });
    }
    if (!this.clients.has(client)) return;
    client.tracked.add(caseId);
    if (client.mode === 'live') {
      client.rooms.push(caseRoom(caseId));
      void client.socket.join(caseRoom(caseId));
    }
    this.answer(socket, ack, { ok: true, caseId });
  }

  untrack(socket: FeedSocket, body: unknown, ack: Ack<{ caseId: string }>): void {
    const client = socket.data.client;
    if (!client) return;
    const checked = checkUntrack(body);
    if (!checked.ok) return this.answer(socket, ack, checked);
    const { caseId } = checked.value;
    client.tracked.delete(caseId);
    client.rooms = client.rooms.filter((r) => r !== caseRoom(caseId));
    void client.socket.leave(caseRoom(caseId));
    this.answer(socket, ack, { ok: true, caseId });
  }

  private answer<T>(socket: FeedSocket, ack: Ack<T>, answer: FeedAck<T>): void {
    if (typeof ack === 'function') ack(answer);
    else if (!answer.ok) socket.emit('feed.error', answer.error);
  }

  // ---------------------------------------------------------------- delivery

  onCaseEvent(message: CaseEventMessage): void {
    if (!this.nsp) return;
    // Events passed on together (one read of the stream) are sent together, at the end of the job.
    this.batch.push(message);
    if (this.batch.length === 1) queueMicrotask(() => this.sendBatch());
  }

  private sendBatch(): void {
    const events = this.batch;
    this.batch = [];
    if (!this.nsp) return;
    sendBatch(
      this.nsp,
      events.map((message) => ({ staffRooms: roomsOf(message), publicRooms: publicRoomsOf(message), staff: staffPayload(message), public: publicPayload(message) })),
    );
  }

  onNotice(notice: FeedStreamNotice): void {
    if (notice.name === 'user.sessions_ended' || notice.name === 'user.scope_changed') {
      // Tokens refused from now on, or rooms gone stale: close the user's connections on this node at once.
      const reason = notice.name === 'user.sessions_ended' ? 'session_ended' : 'scope_changed';
      for (const client of this.clients) if (client.user?.id === notice.data.userId) this.cut(client, reason);
      return;
    }
    if (notice.name === 'inspection.event') {
      // Scoped like cases: the rooms of its place, from the one access model.
      const { scope, ...payload } = notice.data;
      const rooms = placeRooms({ id: payload.place.id, streetCode: payload.place.streetCode, gridCellCode: payload.place.gridCode, chiefId: scope.chiefId, responsibleId: scope.responsibleId });
      this.sendNotice(rooms, { event: 'inspection.event', payload });
      return;
    }
    if (notice.name === 'campaign.event') {
      // Rooms from the access model's campaign access, chosen by the producer.
      this.sendNotice(notice.rooms, { event: 'campaign.event', payload: notice.data });
      return;
    }
    this.sendNotice([STAFF_ROOM], { event: 'notice', payload: notice });
  }

  /**
   * A notice to its rooms' live connections, and held for the connections of those rooms that are
   * out of them (just connected, or replaying): notices carry no seq, so a replay cannot bring them.
   */
  private sendNotice(rooms: string[], notice: HeldNotice): void {
    if (!this.nsp) return;
    emitHeld(this.nsp.to(rooms), notice);
    for (const client of this.clients) {
      if (client.mode === 'live' || !roomsFor(client.scope, client.tracked).some((r) => rooms.includes(r))) continue;
      if (client.held.length >= this.config.feed.maxBufferedEvents) {
        this.counters.slowConsumers++;
        this.cut(client, 'slow_consumer');
      } else client.held.push(notice);
    }
  }

  /**
   * Sends a connection every event in its view after `afterSeq`, in order, then makes it live.
   * Leaves its rooms first (synchronously), so no broadcast reaches it during the replay; rejoins
   * them in the same tick in which it has caught up with this node.
   */
  private async replay(client: FeedClient, afterSeq: number, announce: boolean): Promise<void> {
    const generation = ++client.generation;
    if (client.graceTimer) {
      clearTimeout(client.graceTimer);
      client.graceTimer = null;
    }
    const { socket } = client;
    for (const room of client.rooms) void socket.leave(room);
    client.rooms = [];
    client.mode = 'replaying';
    client.position = afterSeq;
    const current = () => generation === client.generation && socket.connected;
    try {
      while (current()) {
        const upTo = this.source.lastSeq;
        if (client.position >= upTo) {
          if (client.position > upTo) {
            // The client has seen more than this node has passed on (it came from a node that was
            // ahead): wait for this node to get there. A seq the database does not have is not
            // waited for: the client's position is from a copy of the database (restored, or
            // another without an epoch); it is told to load again and goes on from the newest.
            await this.source.reached(client.position, CATCH_UP_WAIT_MS);
            if (current() && this.source.lastSeq < client.position) {
              const newest = await this.events.latestSeq();
              if (newest < client.position && current()) {
                this.resync(client, 'ahead', newest);
                client.position = newest;
              }
            }
            continue;
          }
          // Caught up: rejoin the rooms now, before any further event can be broadcast.
          client.rooms = roomsFor(client.scope, client.tracked);
          socket.join(client.rooms);
          client.mode = 'live';
          const held = client.held;
          client.held = [];
          for (const notice of held) emitHeld(socket, notice);
          if (announce) socket.emit('resume.done', { lastSeq: client.position });
          return;
        }
        const fromMemory = this.source.recent(client.position, upTo);
        const batch = fromMemory ?? (await this.events.replay({ ...client.scope.principal, trackedCaseIds: new Set(client.tracked) }, client.position, upTo, REPLAY_PAGE));
        if (!current()) return;
        for (const message of batch) {
          const payload = payloadFor(client.scope, client.tracked, message);
          if (payload) {
            socket.emit('case.event', payload);
            this.counters.replayed++;
          }
        }
        client.position = fromMemory || batch.length < REPLAY_PAGE ? upTo : batch[batch.length - 1].seq;
        if (backlog(socket) > this.config.feed.maxBufferedEvents / 2) await drained(socket);
      }
    } catch (err) {
      if (!current()) return;
      this.logger.error(`replay for ${socket.id} failed: ${String(err)}`);
      socket.emit('feed.error', { code: 'replay_failed', message: 'could not replay missed events; reconnect to try again / 补发失败，请重新连接' });
      socket.disconnect(true);
    }
  }

  // ---------------------------------------------------------------- backpressure

  /** Cuts off connections whose unsent events pass FEED_MAX_BUFFERED_EVENTS. */
  private sweep(): void {
    const limit = this.config.feed.maxBufferedEvents;
    for (const client of this.clients) {
      if (backlog(client.socket) > limit) {
        this.counters.slowConsumers++;
        this.cut(client, 'slow_consumer');
      }
    }
  }

  /** A connection that sent more messages than it may: closed with the reason (its message is not handled). */
  rateLimited(socket: FeedSocket): void {
    const client = socket.data.client;
    if (client && this.clients.has(client)) this.cut(client, 'rate_limited');
    else socket.disconnect(true);
  }

  private cut(client: FeedClient, reason: FeedClosing['reason']): void {
    const { socket } = client;
    const messages: Record<FeedClosing['reason'], string> = {
      slow_consumer: 'too many events waiting for this connection; reconnect and resume / 待发送事件过多，请重新连接并续传',
      token_expired: 'the access token has expired; log in again and resume / 登录已过期，请重新登录后续传',
      shutdown: 'this feed node is shutting down; reconnect and resume / 推送节点正在关闭，请重新连接并续传',
      session_ended: 'your session was ended (account deactivated or password reset); log in again / 会话已结束（账号停用或密码重置），请重新登录',
      scope_changed: 'your role, street or cells changed; reconnect and resume to see your new scope / 您的角色、街道或网格已变更，请重新连接',
      rate_limited: `more than ${this.config.feed.maxMessagesPerSecond} messages a second on this connection; reconnect, resume and slow down / 消息过于频繁，请重新连接并放慢速度`,
    };
    // What is still queued would only arrive late: drop it, say why, and close. The client resumes
    // after the last event it processed.
    dropBacklog(socket);
    socket.emit('feed.closing', { reason, message: messages[reason], resume: reason !== 'session_ended' });
    socket.disconnect(true);
  }
}

/** Packets queued for a connection that its transport has not taken yet (engine.io's write buffer). */
export function backlog(socket: FeedSocket): number {
  const queued = (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
  // Frames written straight to the TCP socket wait there (about 500 bytes an event).
  const raw = rawSocketOf(socket.conn);
  return queued + (raw ? Math.floor(raw.writableLength / 512) : 0);
}

function dropBacklog(socket: FeedSocket): void {
  const conn = socket.conn as unknown as { writeBuffer?: unknown[] };
  if (Array.isArray(conn.writeBuffer)) conn.writeBuffer.length = 0;
}

function drained(socket: FeedSocket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.conn.off('drain', done);
      socket.off('disconnect', done);
      resolve();
    };
    socket.conn.on('drain', done);
    socket.on('disconnect', done);
  });
}

/** Milliseconds since the epoch at which a JWT expires (null when it names none). */
function tokenExpiry(token: string): number | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Sends a notice to a connection or to rooms (the one switch over the held notices' events). */
function emitHeld(target: FeedSocket | ReturnType<Namespace<Record<string, never>, FeedServerEvents>['to']>, notice: HeldNotice): void {
  switch (notice.event) {
    case 'inspection.event':
      target.emit('inspection.event', notice.payload);
      return;
    case 'campaign.event':
      target.emit('campaign.event', notice.payload);
      return;
    case 'notice':
      target.emit('notice', notice.payload);
      return;
  }
}
