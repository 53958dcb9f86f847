import type { InspectionEventNotice } from './inspection-event';
import type { CampaignStreamNotice } from './campaign-event';

/**
 * Notices the live feed passes to every signed-in staff client (not to anonymous trackers). A
 * producer writes an outbox row `topic = 'feed'`, `name = notice.name`, `payload = the notice`, in
 * the transaction that makes what it announces; the outbox relay appends it to the feed stream
 * beside the case events, and every feed node emits it as `notice`. Notices carry no `seq`: they
 * are announcements, not part of a case's history, and are not replayed by `resume`.
 */
export interface BulletinPublishedNotice {
  name: 'bulletin.published';
  at: string;
  data: {
    kind: 'daily' | 'weekly';
    /** `2026-11-29` for a day, `2026-W48` for an ISO week. */
    period: string;
    id: string;
    title: { zh: string; en: string };
    /** Where to fetch it, relative to the API root: `/api/v1/bulletins/daily/2026-11-29` (add `.json`, `.csv`, `.xlsx`, `.html`). */
    path: string;
  };
}

export type FeedNotice = BulletinPublishedNotice;
export type FeedNoticeName = FeedNotice['name'];

export const FEED_NOTICE_NAMES: readonly FeedNoticeName[] = ['bulletin.published'];

export function isFeedNoticeName(value: unknown): value is FeedNoticeName {
  return typeof value === 'string' && (FEED_NOTICE_NAMES as readonly string[]).includes(value);
}

/**
 * For the feed nodes themselves, never passed to clients: every connection of this user is closed
 * at once (the account was deactivated or its password reset: its tokens are refused from now on).
 * Written to the outbox in the transaction of that change; every feed node acts on it.
 */
export interface SessionsEndedNotice {
  name: 'user.sessions_ended';
  at: string;
  data: { userId: string; reason: 'deactivated' | 'password_reset' };
}

/**
 * For the feed nodes themselves: this user's role, street or cells changed, so the rooms of their
 * connections are stale. Each connection is closed with `resume: true`; the client reconnects with
 * the same token and resumes in its new scope.
 */
export interface ScopeChangedNotice {
  name: 'user.scope_changed';
  at: string;
  data: { userId: string };
}

/** Everything the feed stream carries besides case events: notices for clients, and the nodes' own. */
export type FeedStreamNotice = FeedNotice | SessionsEndedNotice | ScopeChangedNotice | InspectionEventNotice | CampaignStreamNotice;

export function isFeedStreamNoticeName(value: unknown): value is FeedStreamNotice['name'] {
  return isFeedNoticeName(value) || value === 'user.sessions_ended' || value === 'user.scope_changed' || value === 'inspection.event' || value === 'campaign.event';
}
