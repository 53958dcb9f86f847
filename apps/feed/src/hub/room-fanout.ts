import type { Namespace } from 'socket.io';
import type { CaseEventPayload, FeedServerEvents } from '@wangge/events';
import { FEED_NAMESPACE } from '@wangge/events';
import { DISTRICT_ROOM } from '../scope/feed-scope';

/** What the fast path needs of an engine.io connection (socket.io's transport layer). */
interface EngineConnection {
  readyState: string;
  writeBuffer: unknown[];
  transport: { name: string; socket?: { _socket?: RawSocket } };
}

interface RawSocket {
  write(chunk: Buffer): boolean;
  writableLength: number;
  destroyed: boolean;
}

/** The TCP socket under a connection's WebSocket, when it has one. */
export function rawSocketOf(conn: unknown): RawSocket | null {
  const c = conn as EngineConnection;
  return c.transport?.name === 'websocket' ? (c.transport.socket?._socket ?? null) : null;
}

/** One unmasked WebSocket text frame (server → client) carrying a socket.io `case.event` packet. */
export function caseEventFrame(payload: CaseEventPayload): Buffer {
  const data = Buffer.from(`42${FEED_NAMESPACE},${JSON.stringify(['case.event', payload])}`);
  const n = data.length;
  const head = n < 126 ? Buffer.from([0x81, n]) : n < 65536 ? Buffer.from([0x81, 126, n >> 8, n & 255]) : Buffer.alloc(10);
  if (n >= 65536) {
    head[0] = 0x81;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, data]);
}

/** One event of a batch as the rooms get it: its staff rooms the full payload, its public rooms the public view (null: a step the public does not see). */
export interface BatchEvent {
  staffRooms: readonly string[];
  publicRooms: readonly string[];
  staff: CaseEventPayload;
  public: CaseEventPayload | null;
}

/**
 * Which views of a batch each connection gets, from the rooms it sits in: view `2i` is event i's
 * staff payload, `2i + 1` its public one; each connection gets an event once, in batch (seq) order,
 * as staff when it is in one of the event's staff rooms, else as the public sees it when it is in
 * one of its public rooms. The connections of {@link DISTRICT_ROOM} (a staff room of every event)
 * get every event as staff and are returned apart (`everything`) rather than listed one by one.
 */
export function viewsPerConnection(rooms: ReadonlyMap<string, ReadonlySet<string>>, events: readonly BatchEvent[]): { everything: ReadonlySet<string>; views: Map<string, number[]> } {
  const everything = rooms.get(DISTRICT_ROOM) ?? new Set<string>();
  const views = new Map<string, number[]>();
  const add = (ids: ReadonlySet<string> | undefined, view: number, event: number) => {
    if (!ids) return;
    for (const id of ids) {
      if (everything.has(id)) continue;
      let list = views.get(id);
      if (!list) views.set(id, (list = []));
      // An event once per connection: a staff view already given wins over the public one.
      if (list.length === 0 || list[list.length - 1] >> 1 !== event) list.push(view);
    }
  };
  events.forEach((e, i) => {
    for (const room of e.staffRooms) if (room !== DISTRICT_ROOM) add(rooms.get(room), 2 * i, i);
    if (e.public) for (const room of e.publicRooms) add(rooms.get(room), 2 * i + 1, i);
  });
  return { everything, views };
}

type FeedNamespace = Namespace<Record<string, never>, FeedServerEvents>;

/**
 * Sends a batch of case events to every live connection of its rooms: each connection gets its
 * events (see {@link viewsPerConnection}) as one write of ready-made WebSocket frames — the bytes
 * socket.io would send — each event's views encoded once, and the frames of connections that get
 * the same events (a street's, a chief's, the whole district's) joined once. No per-connection
 * packet objects, one system call per connection per batch. A connection that has anything queued
 * on socket.io's own path (a `stats`, a `resume.done`, an earlier packet waiting for the transport)
 * or is on long-polling is sent its events through socket.io instead, so nothing overtakes what is
 * already queued.
 */
export function sendBatch(nsp: FeedNamespace, events: readonly BatchEvent[]): void {
  if (events.length === 0) return;
  const { everything, views } = viewsPerConnection(nsp.adapter.rooms, events);
  const payloadOf = (view: number) => (view & 1 ? events[view >> 1].public : events[view >> 1].staff) as CaseEventPayload;
  const frames = new Map<number, Buffer>();
  const frameOf = (view: number) => frames.get(view) ?? frames.set(view, caseEventFrame(payloadOf(view))).get(view)!;
  const joined = new Map<string, Buffer>();
  const send = (id: string, key: string, list: readonly number[]) => {
    const socket = nsp.sockets.get(id);
    if (!socket) return;
    const conn = socket.conn as unknown as EngineConnection;
    const raw = rawSocketOf(conn);
    if (raw && !raw.destroyed && conn.readyState === 'open' && conn.writeBuffer.length === 0) {
      let bytes = joined.get(key);
      if (!bytes) joined.set(key, (bytes = list.length === 1 ? frameOf(list[0]) : Buffer.concat(list.map(frameOf))));
      raw.write(bytes);
    } else for (const view of list) socket.emit('case.event', payloadOf(view));
  };
  if (everything.size > 0) {
    const all = events.map((_, i) => 2 * i);
    for (const id of everything) send(id, '*', all);
  }
  for (const [id, list] of views) send(id, list.join(','), list);
}
