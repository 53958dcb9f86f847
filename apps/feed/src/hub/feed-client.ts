import type { Socket } from 'socket.io';
import type { AuthUser } from '@wangge/auth';
import type { FeedClientEvents, FeedServerEvents } from '@wangge/events';
import type { FeedScope } from '../scope/feed-scope';

/**
 * One connection's place in the stream.
 * - `pending`: just connected without `auth.afterSeq`; waits FEED_RESUME_GRACE_MS for a `resume`,
 *   then goes live from its connection point (nothing in between is lost: case events are replayed,
 *   notices of its rooms held and sent when it goes live).
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
  /**
   * While not live (out of its rooms): the notices of its rooms (`inspection.event`, `campaign.event`,
   * staff `notice`), which carry no seq and cannot be replayed, held to be sent when it goes live.
   */
  held: HeldNotice[];
  graceTimer: NodeJS.Timeout | null;
  expiryTimer: NodeJS.Timeout | null;
}

/** A notice to send to a connection that was out of its rooms when the node passed it on. */
export type HeldNotice = { [K in 'inspection.event' | 'campaign.event' | 'notice']: { event: K; payload: Parameters<FeedServerEvents[K]>[0] } }['inspection.event' | 'campaign.event' | 'notice'];

export interface FeedSocketData {
  client?: FeedClient;
  user?: AuthUser | null;
  scope?: FeedScope;
  tokenExpiresAt?: number | null;
}

export type FeedSocket = Socket<FeedClientEvents, FeedServerEvents, Record<string, never>, FeedSocketData>;
