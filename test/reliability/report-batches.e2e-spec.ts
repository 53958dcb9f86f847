import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseReportService } from '@wangge/reports';
import { ANONYMOUS_CITIZEN } from '@wangge/workflow';
import { startIntake, type RunningApp } from '../support/apps';
import { api, withDb, type Answer } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { feedEntries, jobsByCase, wardenPoints, waitFor, type CaseReply } from './reliability';

/**
 * Issue 8, group commit: reports that arrive together are written in one transaction, and each
 * still gets its own answer (201 only once durable, or its own refusal), gap-free codes in order,
 * its own events, feed messages and route job; a report is flagged as a duplicate of one written
 * in the same batch. Redis is this file's own, so the stream and the queue can be counted exactly.
 */
describe('reports written in batches', () => {
  let redis: RedisServer;
  let app: RunningApp;
  let http: ReturnType<typeof api>;
  let warden1: string;
  let cells: { lng: number; lat: number }[];

  beforeAll(async () => {
    redis = await startRedisServer();
    app = await startIntake('report-batches', { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '100' });
    http = api(app);
    warden1 = await app.bearer('warden1');
    // Points ~100 m apart (one per grid cell): no two are within the 50 m duplicate radius.
    cells = await withDb(app.databaseUrl, async (db) =>
      (await db.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid_cell ORDER BY code LIMIT 200 OFFSET 1000`)).rows,
    );
  });

  afterAll(async () => {
    await app?.close();
    await redis?.close();
  });

  async function batchCounters(): Promise<{ batches: number; reports: number }> {
    const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name} ([0-9.]+)$`, 'm').exec(text)?.[1] ?? NaN);
    return { batches: read('wangge_report_batches_total'), reports: read('wangge_report_batched_total') };
  }

  it('120 reports at once, 30 of them refused: fewer transactions than reports, and each report its own answer', async () => {
    const before = await batchCounters();
    const wardenCells = await wardenPoints(app.databaseUrl, 'warden1');
    type Sent = { kind: 'citizen' | 'warden' | 'unknown_category' | 'outside'; answer: Promise<Answer<CaseReply>> };
    const sent: Sent[] = [];
    for (let i = 0; i < 120; i++) {
      const kind = i % 4 === 1 ? (i % 8 === 1 ? 'unknown_category' : 'outside') : i % 4 === 2 && i < 60 ? 'warden' : 'citizen';
      const location = kind === 'outside' ? { lng: 120, lat: 30 } : kind === 'warden' ? wardenCells[i % wardenCells.length] : cells[i];
      const body = { categoryCode: kind === 'unknown_category' ? 'E9999' : 'E0102', description: `batch report ${i}`, location };
      sent.push({ kind, answer: http.post<CaseReply>('/api/v1/cases', body, kind === 'warden' ? warden1 : undefined) });
    }
    const answers = await Promise.all(sent.map((s) => s.answer));
    const after = await batchCounters();

    expect(after.reports - before.reports).toBe(120);
    // Group commit happened: 120 reports sent at once did not take 120 transactions.
    expect(after.batches - before.batches).toBeLessThan(60);

    const accepted: { i: number; body: CaseReply; kind: Sent['kind'] }[] = [];
    answers.forEach((answer, i) => {
      const kind = sent[i].kind;
      if (kind === 'unknown_category') expect([answer.status, answer.body.error], JSON.stringify(answer.body)).toEqual([422, 'unknown_category']);
      else if (kind === 'outside') expect([answer.status, answer.body.error], JSON.stringify(answer.body)).toEqual([422, 'out_of_jurisdiction']);
      else {
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
        expect(answer.body.status).toBe(kind === 'warden' ? 'registered' : 'reported');
        accepted.push({ i, body: answer.body, kind });
      }
    });
    expect(accepted).toHaveLength(90);

    // The database holds exactly what was answered: each case its own description, first events
    // with the seqs its answer gave, and the day's numbers drawn without a gap (refusals take none).
    const rows = await withDb(app.databaseUrl, async (db) =>
      (
        await db.query(
          `SELECT c.id, c.code, c.description, c.status, array_agg(e.seq ORDER BY e.seq)::int[] AS seqs, array_agg(e.type ORDER BY e.seq) AS types
             FROM case_file c JOIN case_event e ON e.case_id = c.id WHERE c.description LIKE 'batch report %' GROUP BY c.id`,
        )
      ).rows as { id: string; code: string; description: string; status: string; seqs: number[]; types: string[] }[],
    );
    expect(rows).toHaveLength(90);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const { i, body, kind } of accepted) {
      const row = byId.get(body.id);
      expect(row?.description).toBe(`batch report ${i}`);
      expect(row?.code).toBe(body.code);
      expect(row?.seqs).toEqual(body.timeline?.map((t) => t.seq));
      expect(row?.types).toEqual(kind === 'warden' ? ['case.reported', 'case.registered'] : ['case.reported']);
    }
    const numbers = rows.map((r) => Number(r.code.slice(-6))).sort((a, b) => a - b);
    expect(numbers[numbers.length - 1] - numbers[0]).toBe(89);

    // Every event reached the feed stream with its own seq and code, and each registered case has one route job.
    const caseIds = new Set(rows.map((r) => r.id));
    const events = rows.reduce((n, r) => n + r.seqs.length, 0);
    const redisClient = new Redis(redis.url);
    const queue = new Queue('routing', { connection: { url: redis.url }, prefix: app.keys.prefix });
    try {
      await waitFor('feed entries of the batch', 10_000, async () => (await feedEntries(redisClient, app.keys)).filter((e) => caseIds.has(e.caseId)).length >= events);
      const entries = (await feedEntries(redisClient, app.keys)).filter((e) => caseIds.has(e.caseId));
      expect(entries).toHaveLength(events);
      for (const e of entries) expect(byId.get(e.caseId)?.seqs).toContain(e.seq);
      const registered = rows.filter((r) => r.status === 'registered').map((r) => r.id);
      expect(registered.length).toBeGreaterThan(0);
      await waitFor('route jobs', 10_000, async () => (await jobsByCase(queue)).size >= registered.length);
      const jobs = await jobsByCase(queue);
      for (const id of registered) expect(jobs.get(id), id).toHaveLength(1);
    } finally {
      await queue.close();
      redisClient.disconnect();
    }
  });

  it('five reports of one problem sent together with other reports: one case stands, four are flagged as its duplicates', async () => {
    const spot = cells[150];
    const others = cells.slice(160, 190).map((location, i) => http.post<CaseReply>('/api/v1/cases', { categoryCode: 'E0102', description: `neighbour ${i}`, location }));
    const same = Array.from({ length: 5 }, (_, i) =>
      http.post<CaseReply & { possibleDuplicateOf: string | null }>('/api/v1/cases', { categoryCode: 'E0102', description: `same problem ${i}`, location: spot }),
    );
    for (const answer of await Promise.all(others)) expect(answer.status).toBe(201);
    const answers = await Promise.all(same);
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const standing = answers.filter((a) => a.body.possibleDuplicateOf === null);
    expect(standing).toHaveLength(1);
    const ids = new Set(answers.map((a) => a.body.id));
    for (const a of answers.filter((x) => x.body.possibleDuplicateOf !== null)) expect(ids.has(a.body.possibleDuplicateOf as string)).toBe(true);
  });

  it('a report whose input breaks the batch statement is refused alone: the others of its batch are written', async () => {
    // Past the HTTP checks (which refuse such a code): straight to the service, as any future caller could.
    const reports = app.app.get(CaseReportService);
    const report = (categoryCode: string, n: number) =>
      reports.report({ categoryCode, description: `batch neighbour ${n}`, location: cells[150 + n] }, ANONYMOUS_CITIZEN, 'citizen');
    const outcomes = await Promise.allSettled([report('E0102', 0), report('E\u00000102', 1), report('E0102', 2), report('E0102', 3), report('C0101', 4)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  });
});
