import type { ManualClock } from '@wangge/clock';
import { startDispatcher, startFeed, startIntake, type RunningApp } from '../../support/apps';
import { api, withDb } from '../../support/cases';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { campaignListener } from './campaign-listener';

export const CAMPAIGN_USERS = ['leader', 'operator', 'chief1', 'chief2', 'warden1', 'warden2'] as const;

/** The campaign specs' world: intake, dispatcher and feed on one database and a Redis of their own, all on `clock`. */
export interface CampaignWorld {
  intake: RunningApp;
  dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  feed: Awaited<ReturnType<typeof startFeed>>;
  http: ReturnType<typeof api>;
  /** Bearer headers of the demo's leader, operator, chief1, chief2, warden1 and warden2 (a spec adds its own). */
  auth: Record<string, string>;
  /** Their user ids. */
  ids: Record<string, string>;
  /** A feed connection that keeps the `campaign.event`s it receives, live when returned; closed with the world. */
  listen(bearer: string): Promise<ReturnType<typeof campaignListener>>;
  close(): Promise<void>;
}

export async function startCampaignWorld(label: string, clock: ManualClock): Promise<CampaignWorld> {
  const redis: RedisServer = await startRedisServer();
  const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000', FEED_RESUME_GRACE_MS: '0' };
  const intake = await startIntake(label, env, { clock });
  const dispatcher = await startDispatcher(intake.databaseUrl, env, { clock });
  const feed = await startFeed(intake.databaseUrl, env);
  const auth: Record<string, string> = {};
  const ids: Record<string, string> = {};
  for (const u of CAMPAIGN_USERS) auth[u] = await intake.bearer(u);
  await withDb(intake.databaseUrl, async (db) => {
    const { rows } = await db.query(`SELECT id, username FROM app_user WHERE username = ANY($1)`, [[...CAMPAIGN_USERS]]);
    for (const r of rows as { id: string; username: string }[]) ids[r.username] = r.id;
  });
  const listeners: ReturnType<typeof campaignListener>[] = [];
  return {
    intake,
    dispatcher,
    feed,
    http: api(intake),
    auth,
    ids,
    async listen(bearer) {
      const listener = campaignListener(feed.url, bearer);
      listeners.push(listener);
      await listener.ready;
      return listener;
    },
    async close() {
      for (const l of listeners) l.socket.close();
      await feed.close();
      await dispatcher.close();
      await intake.close();
      await redis.close();
    },
  };
}
