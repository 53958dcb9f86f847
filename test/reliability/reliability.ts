import type { Job, Queue } from 'bullmq';
import { expect } from 'vitest';
import type { Redis } from 'ioredis';
import type { RedisNamespace } from '@wangge/jobs';
import { withDb } from '../support/cases';

/** Helpers of the reliability suites (outbox, queues, feed stream). */

export interface CaseReply {
  id: string;
  code: string;
  status: string;
  trackingToken: string;
  timeline?: { seq: number; type: string }[];
}

export interface OutboxRow {
  id: string;
  topic: 'job' | 'feed';
  name: string;
  payload: { caseId: string; type?: string; seq?: number };
  claimed_until: Date | null;
  attempts: number;
  last_error: string | null;
}

export async function outboxRows(databaseUrl: string): Promise<OutboxRow[]> {
  return withDb(databaseUrl, async (db) => (await db.query(`SELECT id::text, topic, name, payload, claimed_until, attempts, last_error FROM outbox ORDER BY id`)).rows);
}

export async function outboxCount(databaseUrl: string): Promise<number> {
  return withDb(databaseUrl, async (db) => (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n as number);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every 50 ms until it is true; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(50);
  }
}

/** Every state a job can be in (BullMQ 6: paused jobs stay in `waiting`). */
export const ALL_JOB_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized', 'waiting-children'] as const;

/** The queue's jobs (each job once, whatever state it is in), grouped by the case they name. */
export async function jobsByCase(queue: Queue): Promise<Map<string, Job[]>> {
  const jobs = await queue.getJobs([...ALL_JOB_STATES], 0, -1);
  const unique = new Map(jobs.filter((j): j is Job => Boolean(j)).map((j) => [j.id, j]));
  const out = new Map<string, Job[]>();
  for (const job of unique.values()) {
    const caseId = (job.data as { caseId: string }).caseId;
    out.set(caseId, [...(out.get(caseId) ?? []), job]);
  }
  return out;
}

export interface FeedEntry {
  seq: number;
  caseId: string;
  type: string;
}

/** The whole live-feed stream of a database, in stream order. */
export async function feedEntries(redis: Redis, keys: RedisNamespace): Promise<FeedEntry[]> {
  const entries = await redis.xrange(keys.feedStream, '-', '+');
  return entries.map(([, fields]) => {
    const f = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) f.set(fields[i], fields[i + 1]);
    const message = JSON.parse(f.get('message') ?? '{}') as { seq: number; caseId: string; type: string };
    expect(Number(f.get('seq'))).toBe(message.seq);
    return { seq: message.seq, caseId: message.caseId, type: message.type };
  });
}

/** How many times each job id was added to, and found already on, a queue (from its events stream). */
export async function queueEvents(redis: Redis, keys: RedisNamespace, queue: string): Promise<{ added: Map<string, number>; duplicated: Map<string, number> }> {
  const entries = await redis.xrange(`${keys.prefix}:${queue}:events`, '-', '+');
  const added = new Map<string, number>();
  const duplicated = new Map<string, number>();
  for (const [, fields] of entries) {
    const f = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) f.set(fields[i], fields[i + 1]);
    const jobId = f.get('jobId') ?? '';
    if (f.get('event') === 'added') added.set(jobId, (added.get(jobId) ?? 0) + 1);
    if (f.get('event') === 'duplicated') duplicated.set(jobId, (duplicated.get(jobId) ?? 0) + 1);
  }
  return { added, duplicated };
}

/** A point inside each cell the warden patrols (in cell-code order). */
export async function wardenPoints(databaseUrl: string, username: string): Promise<{ lng: number; lat: number }[]> {
  return withDb(databaseUrl, async (db) =>
    (
      await db.query(
        `SELECT ST_X(ST_PointOnSurface(gc.geom)) AS lng, ST_Y(ST_PointOnSurface(gc.geom)) AS lat
           FROM warden_cell w JOIN app_user u ON u.id = w.user_id JOIN grid_cell gc ON gc.code = w.cell_code
          WHERE u.username = $1 ORDER BY gc.code`,
        [username],
      )
    ).rows,
  );
}

/** Runs `fn` over `items`, at most `width` at a time, keeping the order of the results. */
export async function inBatches<T, R>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) {
    out.push(...(await Promise.all(items.slice(i, i + width).map((item, j) => fn(item, i + j)))));
  }
  return out;
}
