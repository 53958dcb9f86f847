import type { Socket } from 'socket.io';
import type { AuthUser } from '@wangge/auth';
import type { FeedClientEvents, FeedServerEvents } from '@wangge/events';
import type { FeedScope } from '../scope/feed-scope';

/**
 * One connection's place in the stream.
 * - `pending`: just connected without `auth.afterSeq`; waits FEED_RESUME_GRACE_MS for a `resume`,
 *   then goes live from its connection point (nothing in between is lost).
 * - `replaying`: out of its rooms, sent what it missed (from memory or PostgreSQL) in seq order.
 * - `live`: in its rooms; gets each event as the node passes it on.
 */
export type ClientMode = 'pending' | 'replaying' | 'live';

export interface FeedClient {
  socket: FeedSocket;
  user: AuthUser | null;
  scope: FeedScope;
  tracked: Set<string>;
  mode: ClientMode;
  /** While not live: the newest seq it has been sent (or has said it has). */
  position: number;
  /** Bumped by every resume, so an older replay stops. */
  generation: number;
  rooms: string[];
  graceTimer: NodeJS.Timeout | null;
  expiryTimer: NodeJS.Timeout | null;
}

export interface FeedSocketData {
  client?: FeedClient;
  user?: AuthUser | null;
  scope?: FeedScope;
  tokenExpiresAt?: number | null;
}

export type FeedSocket = Socket<FeedClientEvents, FeedServerEvents, Record<string, never>, FeedSocketData>;
