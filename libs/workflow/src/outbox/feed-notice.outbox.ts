import type { EntityManager } from 'typeorm';
import type { FeedStreamNotice } from '@wangge/events';

/**
 * Puts a notice for the live feed into the outbox, in the caller's transaction: the outbox relay
 * sends it once that transaction has committed (the outbox is the workflow's; producers call this).
 */
export async function addFeedNotice(m: EntityManager, notice: FeedStreamNotice): Promise<void> {
  await m.query(`INSERT INTO outbox (topic, name, payload) VALUES ('feed', $1, $2)`, [notice.name, notice]);
}

/** Many notices in one statement (a plan's slot made due at a thousand places). */
export async function addFeedNotices(m: EntityManager, notices: readonly FeedStreamNotice[]): Promise<void> {
  if (notices.length === 0) return;
  await m.query(`INSERT INTO outbox (topic, name, payload) SELECT 'feed', n->>'name', n FROM jsonb_array_elements($1::jsonb) AS n`, [JSON.stringify(notices)]);
}
