import type { CaseEventMessage } from './case-event.message';
import type { CampaignEventPayload } from './campaign-event';
import type { FeedNotice } from './feed-notice';
import type { InspectionEventPayload } from './inspection-event';

/** The socket.io namespace of the live feed (domain.md 4.5). */
export const FEED_NAMESPACE = '/feed';

/** What a client receives for a case event: the message without the feed's routing data. */
export type CaseEventPayload = Omit<CaseEventMessage, 'formerChiefs' | 'reporterId' | 'formerDepartment'>;

/** Whose cases a connection sees, chosen by the server from the token (never by the client). */
export type FeedScopeKind = 'district' | 'street' | 'cells' | 'chief' | 'tracker';

/** Counters of one street inside the client's scope. */
export interface StreetCounts {
  streetCode: string;
  streetName: string;
  open: number;
  overdue: number;
  closedToday: number;
  /** 挂账: open cases on the ledger, counted apart (not in `open`, never in `overdue`). */
  suspended: number;
}

/** `stats`: open, overdue and closed-today counts of the client's scope, per street and in all. */
export interface FeedStats {
  scope: FeedScopeKind;
  open: number;
  overdue: number;
  closedToday: number;
  /** 挂账, apart from `open`. */
  suspended: number;
  byStreet: StreetCounts[];
  /** The local day `closedToday` counts (TIME_ZONE). */
  day: string;
  at: string;
}

/** Sent once a connection is accepted: the newest seq this node has passed on, and the scope. */
export interface FeedReady {
  lastSeq: number;
  /**
   * The database the seqs belong to (its identity). A client keeps it with its last seq and sends
   * both when it resumes: seqs of another database mean nothing here.
   */
  epoch: string;
  scope: FeedScopeKind;
  /** The user the token names (absent for anonymous trackers). */
  user?: { id: string; name: string; role: string };
}

export interface FeedErrorPayload {
  code: string;
  message: string;
  /** The request field at fault, when there is one. */
  field?: string;
}

/** Why the server ends a connection (sent just before it does). */
export interface FeedClosing {
  /**
   * `session_ended`: the account was deactivated or its password reset; log in again (do not
   * reconnect with this token). `scope_changed`: the user's role, street or cells changed; reconnect
   * and resume (the new connection gets the new scope). `rate_limited`: more messages a second
   * than FEED_MAX_MESSAGES_PER_SECOND; reconnect, resume, and send fewer.
   */
  reason: 'slow_consumer' | 'token_expired' | 'shutdown' | 'session_ended' | 'scope_changed' | 'rate_limited';
  message: string;
  /** The client should reconnect and resume after the last seq it processed. */
  resume: boolean;
}

export type FeedAck<T> = ({ ok: true } & T) | { ok: false; error: FeedErrorPayload };

export interface TrackRequest {
  caseId: string;
  trackingToken: string;
}

export interface ResumeRequest {
  afterSeq: number;
  /** The `epoch` of `feed.ready` the client's seqs come from; when it is not the server's, the server resyncs. */
  epoch?: string;
}

/**
 * Sent instead of a replay when the client's position cannot be resumed from: its seqs belong to
 * another database (`other_database`: the database was replaced, restored or reset), or are ahead
 * of every event this database has (`ahead`). What the client shows may be stale: it must load it
 * again (the REST API), then go on from `lastSeq`; live events follow with no gap from there.
 */
export interface FeedResync {
  reason: 'other_database' | 'ahead';
  epoch: string;
  lastSeq: number;
  message: string;
}

/** Server → client events. */
export interface FeedServerEvents {
  'feed.ready': (ready: FeedReady) => void;
  'case.event': (event: CaseEventPayload) => void;
  /** Inspections and duty at places in the client's scope (domain.md 8). */
  'inspection.event': (event: InspectionEventPayload) => void;
  /** A change of a campaign in the client's scope (not replayed by `resume`). */
  'campaign.event': (event: CampaignEventPayload) => void;
  'resume.done': (done: { lastSeq: number }) => void;
  'feed.resync': (resync: FeedResync) => void;
  stats: (stats: FeedStats) => void;
  notice: (notice: FeedNotice) => void;
  'feed.error': (error: FeedErrorPayload) => void;
  'feed.closing': (closing: FeedClosing) => void;
}

/** Client → server events (each may pass an acknowledgement callback). */
export interface FeedClientEvents {
  track: (request: TrackRequest, ack?: (answer: FeedAck<{ caseId: string }>) => void) => void;
  untrack: (request: { caseId: string }, ack?: (answer: FeedAck<{ caseId: string }>) => void) => void;
  resume: (request: ResumeRequest, ack?: (answer: FeedAck<{ afterSeq: number }>) => void) => void;
}

/** The handshake's `auth` object. */
export interface FeedHandshakeAuth {
  /** A staff access token (POST /api/v1/auth/login); absent for anonymous trackers. */
  token?: string;
  /** Replay everything in scope after this seq before going live (what reconnecting clients send). */
  afterSeq?: number;
  /** The `epoch` `afterSeq` belongs to (see {@link ResumeRequest}). */
  epoch?: string;
}
