import { Queue, type Job } from 'bullmq';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedResync } from '@wangge/events';
import { ALL_QUEUES, type RedisNamespace } from '@wangge/jobs';
import { ForeignJobsCensus } from '../../apps/dispatcher/src/jobs/foreign-jobs.census';
import { JobHandlerRegistry } from '../../apps/dispatcher/src/jobs/job-handler';
import { FeedClient, tokenFor } from '../feed/helpers/feed-client';
import { startDispatcher, startFeed, startIntake } from '../support/apps';
import { api } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { cellPoints, countEvents, reportAll } from './support/fixtures';
import { until } from '../support/until';

const CASES = 100;
/** No sweeper during the run: every case must be dispatched by its own route job, not rescued later. */
const ENV = { REPORT_RATE_LIMIT: '100000', DUPLICATE_RADIUS_M: '0', OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000', FEED_RESUME_GRACE_MS: '0' };

interface Half {
  keys: RedisNamespace;
  caseIds: string[];
  /** Where a staff feed client of this database stood at the end. */
  feed: { epoch: string; lastSeq: number };
  /** Delayed clock jobs under this database's prefix at the end. */
  delayedClocks: number;
  caseMissing: number;
  foreign: { prefixes: string[]; jobs: number } | null;
  /** What `during` found. */
  resyncs: FeedResync[];
}

/** While a database's apps run: what a client resuming from `from` is told. */
interface During {
  feedUrl: string;
  token: string;
  newestSeq: number;
}

async function jobsOf(redisUrl: string, prefix: string): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const name of ALL_QUEUES) {
    const queue = new Queue(name, { connection: { url: redisUrl }, prefix });
    try {
      jobs.push(...(await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'], 0, -1)).filter((j): j is Job => Boolean(j)));
    } finally {
      await queue.close();
    }
  }
  return jobs;
}

async function delayedClocks(redisUrl: string, prefix: string): Promise<number> {
  const queue = new Queue('clocks', { connection: { url: redisUrl }, prefix });
  try {
    return await queue.getDelayedCount();
  } finally {
    await queue.close();
  }
}

/**
 * A database of its own (a fresh copy of the seeded template: its outbox ids and event seqs start
 * where every other copy's do), its intake, dispatcher and feed over the shared Redis; CASES warden
 * reports, each of which must be dispatched by its own route job.
 */
async function runDatabase(label: string, redisUrl: string, during?: (ctx: During) => Promise<FeedResync[]>): Promise<Half> {
  const env = { ...ENV, REDIS_URL: redisUrl };
  const intake = await startIntake(label, env);
  const db = new Client({ connectionString: intake.databaseUrl });
  await db.connect();
  const dispatcher = await startDispatcher(intake.databaseUrl, env);
  const feed = await startFeed(intake.databaseUrl, env);
  const client = new FeedClient(feed.url, { token: await tokenFor(intake.app, db, 'leader') });
  try {
    await client.connected();
    const ids = await reportAll(api(intake), await intake.bearer('warden1'), await cellPoints(db, CASES), 'E0102', { concurrency: 8 });
    await until(`${CASES} cases dispatched in ${label}`, 60_000, async () => (await countEvents(db, 'case.dispatched', ids)) === CASES, 100);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM case_file WHERE id = ANY($1::uuid[]) AND status = 'registered'`, [ids]);
    expect(rows[0].n).toBe(0);
    const newest = (await db.query(`SELECT max(seq)::int AS n FROM case_event`)).rows[0].n as number;
    await client.until(() => client.lastSeq() === newest, 15_000, 'the feed client to reach the newest event');
    const token = await tokenFor(intake.app, db, 'leader');
    const resyncs = (await during?.({ feedUrl: feed.url, token, newestSeq: newest })) ?? [];
    const census = dispatcher.app.get(ForeignJobsCensus);
    await until('the foreign-jobs census', 30_000, async () => census.result !== null, 50);
    return {
      keys: intake.keys,
      caseIds: ids,
      feed: { epoch: client.ready!.epoch, lastSeq: client.lastSeq() },
      delayedClocks: await delayedClocks(redisUrl, intake.keys.prefix),
      caseMissing: dispatcher.app.get(JobHandlerRegistry).counters.caseMissing,
      foreign: census.result,
      resyncs,
    };
  } finally {
    client.close();
    await feed.close();
    await dispatcher.close();
    await db.end();
    await intake.close();
  }
}

describe('two databases in turn over one Redis that is never flushed (a reset, a restore, a second checkout)', () => {
  let redis: RedisServer;
  let first: Half;
  let second: Half;

  beforeAll(async () => {
    redis = await startRedisServer();
    first = await runDatabase('two_db_first', redis.url);
    second = await runDatabase('two_db_second', redis.url, async ({ feedUrl, token, newestSeq }) => {
      // A console that was following the first database reconnects with its position there.
      const old = new FeedClient(feedUrl, { token, afterSeq: first.feed.lastSeq, epoch: first.feed.epoch });
      // A client whose position is ahead of every event here (a restored copy, no epoch sent).
      const ahead = new FeedClient(feedUrl, { token, afterSeq: newestSeq + 1000 });
      try {
        await old.until(() => old.resumeDone.length === 1, 15_000, 'resume.done after the resync');
        await ahead.until(() => ahead.resumeDone.length === 1, 15_000, 'resume.done after the resync (ahead)');
        expect(old.events).toEqual([]);
        expect(old.resumeDone[0].lastSeq).toBe(old.resyncs[0]?.lastSeq);
        expect(ahead.resumeDone[0].lastSeq).toBe(newestSeq);
        return [...old.resyncs, ...ahead.resyncs];
      } finally {
        old.close();
        ahead.close();
      }
    });
  }, 240_000);
  afterAll(async () => {
    await redis?.close();
  });

  it('every case of both databases is dispatched by its own route job', () => {
    expect(first.caseIds).toHaveLength(CASES);
    expect(second.caseIds).toHaveLength(CASES);
    expect(first.caseMissing).toBe(0);
    expect(second.caseMissing).toBe(0);
  });

  it('each database has keys of its own, and its queues hold only its own cases', async () => {
    expect(second.keys.databaseId).not.toBe(first.keys.databaseId);
    expect(second.keys.prefix).not.toBe(first.keys.prefix);
    const mine = new Set(second.caseIds);
    const jobs = await jobsOf(redis.url, second.keys.prefix);
    const caseJobs = jobs.filter((j) => (j.data as { caseId?: string }).caseId !== undefined);
    expect(caseJobs.length).toBeGreaterThanOrEqual(CASES);
    expect(caseJobs.filter((j) => !mine.has((j.data as { caseId: string }).caseId)).map((j) => j.id)).toEqual([]);
    expect(jobs.filter((j) => j.failedReason).map((j) => `${j.id}: ${j.failedReason}`)).toEqual([]);
  });

  it("the first database's clocks stay with it: not one of its delayed deadlines was taken by the second", async () => {
    expect(first.delayedClocks).toBeGreaterThan(0);
    expect(await delayedClocks(redis.url, first.keys.prefix)).toBe(first.delayedClocks);
    const theirs = new Set(first.caseIds);
    const clocks = (await jobsOf(redis.url, second.keys.prefix)).filter((j) => j.name === 'check-deadline');
    expect(clocks.length).toBeGreaterThan(0);
    expect(clocks.filter((j) => theirs.has((j.data as { caseId: string }).caseId))).toEqual([]);
  });

  it("the second database's dispatcher says at start that it found, and ignores, the first one's jobs", () => {
    expect(first.foreign?.prefixes ?? []).not.toContain(first.keys.prefix);
    expect(second.foreign?.prefixes).toContain(first.keys.prefix);
    expect(second.foreign?.jobs).toBeGreaterThanOrEqual(CASES);
  });

  it("a feed client resuming from the first database's position, or from one ahead of every event, is told to resync", () => {
    expect(first.feed.epoch).toBe(first.keys.databaseId);
    expect(second.feed.epoch).toBe(second.keys.databaseId);
    expect(second.resyncs.map((r) => [r.reason, r.epoch])).toEqual([
      ['other_database', second.keys.databaseId],
      ['ahead', second.keys.databaseId],
    ]);
    expect(second.resyncs[0].message).toMatch(/load your view again.*请重新加载/);
  });
});
