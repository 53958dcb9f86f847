import type { Namespace } from 'socket.io';
import type { CaseEventPayload } from '@wangge/events';
import { FEED_NAMESPACE } from '@wangge/events';

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

/**
 * The district-wide connections (a command center's wall screens: every event goes to all of them)
 * get each batch of events as one write of ready-made WebSocket frames, the same bytes socket.io
 * would send, encoded once for all of them: no per-connection packet objects, one system call per
 * connection per batch. A connection that has anything queued on socket.io's own path (a `stats`,
 * a `resume.done`, an earlier packet waiting for the transport) or is on long-polling is sent the
 * batch through socket.io instead, so nothing overtakes what is already queued.
 * Returns the ids of the connections that went the ordinary way.
 */
export function sendToRoomAsFrames(nsp: Namespace, room: string, frames: Buffer): string[] {
  const ids = nsp.adapter.rooms.get(room);
  const slow: string[] = [];
  if (!ids) return slow;
  for (const id of ids) {
    const socket = nsp.sockets.get(id);
    if (!socket) continue;
    const conn = socket.conn as unknown as EngineConnection;
    const raw = rawSocketOf(conn);
    if (raw && !raw.destroyed && conn.readyState === 'open' && conn.writeBuffer.length === 0) raw.write(frames);
    else slow.push(id);
  }
  return slow;
}
