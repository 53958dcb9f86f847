import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';
import { api, pointInWardenCell, pointOutsideWarden, withDb, type Answer } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { jobsByCase, outboxCount, waitFor, type CaseReply } from './reliability';

/**
 * Issue 3: `POST /api/v1/cases` with an `Idempotency-Key` answers every retry with the first answer,
 * writes once, refuses the key for another request, and stores nothing for a refused request; and
 * the daily case code is gap-free under concurrency. Redis is this file's own, so its queue can be
 * counted exactly.
 */
describe('idempotent reports and gap-free codes', () => {
  let redis: RedisServer;
  let app: RunningApp;
  let http: ReturnType<typeof api>;
  let warden1: string;
  let warden2: string;
  let inside: { lng: number; lat: number };
  const outside = { lng: 120, lat: 30 };

  beforeAll(async () => {
    redis = await startRedisServer();
    app = await startIntake('idempotency', { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000' });
    http = api(app);
    warden1 = await app.bearer('warden1');
    warden2 = await app.bearer('warden2');
    const p = await withDb(app.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 3));
    inside = { lng: p.lng, lat: p.lat };
  });

  afterAll(async () => {
    await app?.close();
    await redis?.close();
  });

  function report(body: Record<string, unknown>, auth?: string, key?: string): Promise<Answer<CaseReply>> {
    return http.post<CaseReply>('/api/v1/cases', body, auth, key === undefined ? undefined : { 'Idempotency-Key': key });
  }

  const body = (description: string, location: { lng: number; lat: number } = inside) => ({ categoryCode: 'E0102', description, location });

  /** What a refused request must leave untouched. */
  async function snapshot() {
    return withDb(app.databaseUrl, async (db) => {
      const { rows } = await db.query(
        `SELECT (SELECT count(*)::int FROM case_file) AS cases, (SELECT count(*)::int FROM case_event) AS events,
                (SELECT coalesce(sum(last_value), 0)::int FROM case_day_counter) AS numbers,
                (SELECT count(*)::int FROM idempotency_key) AS keys,
                (SELECT count(*)::int FROM case_media) AS media`,
      );
      return rows[0] as { cases: number; events: number; numbers: number; keys: number; media: number };
    });
  }

  async function casesDescribed(description: string): Promise<{ id: string; reported: number; events: number }[]> {
    return withDb(app.databaseUrl, async (db) =>
      (
        await db.query(
          `SELECT c.id, count(*) FILTER (WHERE e.type = 'case.reported')::int AS reported, count(e.seq)::int AS events
             FROM case_file c LEFT JOIN case_event e ON e.case_id = c.id WHERE c.description = $1 GROUP BY c.id`,
          [description],
        )
      ).rows,
    );
  }

  it('20 identical requests with one key at once: all 201 with the first answer, one case, one case.reported, one job', async () => {
    const key = randomUUID();
    const request = body(`idempotent burst ${key}`);
    const answers = await Promise.all(Array.from({ length: 20 }, () => report(request, warden1, key)));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(201);

    const original = answers.filter((a) => a.headers.get('idempotent-replayed') === null);
    const replays = answers.filter((a) => a.headers.get('idempotent-replayed') === 'true');
    expect(original).toHaveLength(1);
    expect(replays).toHaveLength(19);
    const first = original[0].body;
    expect(first.status).toBe('registered');
    for (const r of replays) {
      expect(r.body).toEqual(first);
      expect({ id: r.body.id, code: r.body.code, trackingToken: r.body.trackingToken }).toEqual({ id: first.id, code: first.code, trackingToken: first.trackingToken });
    }

    expect(await casesDescribed(request.description)).toEqual([{ id: first.id, reported: 1, events: 2 }]);
    const keys = await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT status_code FROM idempotency_key WHERE key = $1`, [key])).rows);
    expect(keys).toEqual([{ status_code: 201 }]);

    // The replays wrote no outbox rows: once the relay is done, the queue holds one job for the case.
    await waitFor('outbox empty', 10_000, async () => (await outboxCount(app.databaseUrl)) === 0);
    const routing = new Queue('routing', { connection: { host: '127.0.0.1', port: redis.port }, prefix: app.keys.prefix });
    try {
      expect((await jobsByCase(routing)).get(first.id)).toHaveLength(1);
    } finally {
      await routing.close();
    }

    // A later retry (same body, keys in another order) still gets the first answer.
    const later = await report({ location: request.location, description: request.description, categoryCode: request.categoryCode }, warden1, key);
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(later.body).toEqual(first);
  });

  it('the same key with another body: 409 idempotency_key_reused naming the header, nothing written', async () => {
    const key = randomUUID();
    const first = await report(body(`first use of ${key}`), warden1, key);
    expect(first.status).toBe(201);
    const before = await snapshot();

    const other = await report(body(`second use of ${key}`), warden1, key);
    expect(other.status, JSON.stringify(other.body)).toBe(409);
    expect(other.body.error).toBe('idempotency_key_reused');
    expect(other.body.details).toEqual([{ field: 'Idempotency-Key', problem: expect.any(String) }]);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(await snapshot()).toEqual(before);
    expect(await casesDescribed(`second use of ${key}`)).toEqual([]);

    // The key still answers its own request.
    const retry = await report(body(`first use of ${key}`), warden1, key);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
  });

  it('a malformed key: 400 naming Idempotency-Key, nothing written; 200 characters is the longest accepted', async () => {
    const before = await snapshot();
    for (const bad of ['k'.repeat(300), 'k'.repeat(201), 'has spaces in it', 'semi;colon', '']) {
      const a = await report(body(`bad key ${bad.length}`), warden1, bad);
      expect(a.status, `key ${JSON.stringify(bad.slice(0, 20))}: ${JSON.stringify(a.body)}`).toBe(400);
      expect(a.body.details?.map((d) => d.field)).toEqual(['Idempotency-Key']);
    }
    expect(await snapshot()).toEqual(before);

    const longest = await report(body('longest key'), warden1, `${randomUUID()}${'k'.repeat(164)}`);
    expect(longest.status, JSON.stringify(longest.body)).toBe(201);
  });

  it('keys are scoped per caller: one key and one body from two wardens and an anonymous citizen make three cases', async () => {
    const key = randomUUID();
    const request = body(`scoped ${key}`);
    const a = await report(request, warden1, key);
    const b = await report(request, warden2, key);
    const c = await report(request, undefined, key);
    for (const x of [a, b, c]) {
      expect(x.status, JSON.stringify(x.body)).toBe(201);
      expect(x.headers.get('idempotent-replayed')).toBeNull();
    }
    expect(new Set([a.body.id, b.body.id, c.body.id]).size).toBe(3);
    expect((await casesDescribed(request.description)).map((r) => r.reported)).toEqual([1, 1, 1]);
    // Each caller's retry gets its own first answer.
    expect((await report(request, warden2, key)).body.id).toBe(b.body.id);
    expect((await report(request, warden1, key)).body.id).toBe(a.body.id);
  });

  it('a refused request stores nothing under its key: the corrected request with the same key creates the case', async () => {
    const key = randomUUID();
    const before = await snapshot();

    // Out of the district: 422, and the key's row went with the rolled-back transaction.
    const refused = await report(body(`refused then fixed ${key}`, outside), warden1, key);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error).toBe('out_of_jurisdiction');
    expect(await snapshot()).toEqual(before);
    // The same bad request again is judged again (not replayed, not "in use").
    const again = await report(body(`refused then fixed ${key}`, outside), warden1, key);
    expect(again.status).toBe(422);
    expect(again.body.error).toBe('out_of_jurisdiction');

    // A body the validation pipe refuses never reaches the key either.
    const invalid = await report({ categoryCode: 'garbage', description: 'x', location: inside }, warden1, key);
    expect(invalid.status).toBe(400);
    expect(await snapshot()).toEqual(before);

    const fixed = await report(body(`refused then fixed ${key}`), warden1, key);
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    const replay = await report(body(`refused then fixed ${key}`), warden1, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(fixed.body.id);
    // Now the key is bound to the corrected request: the refused body is another request.
    const old = await report(body(`refused then fixed ${key}`, outside), warden1, key);
    expect(old.status).toBe(409);
    expect(old.body.error).toBe('idempotency_key_reused');
  });

  it('one key, ten different bodies at once: one wins with 201, the other nine get 409 idempotency_key_reused', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => report(body(`race ${i} ${key}`), warden1, key)));
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error)).toEqual(Array(9).fill('idempotency_key_reused'));
    const described = await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT id FROM case_file WHERE description LIKE $1`, [`race % ${key}`])).rows);
    expect(described).toEqual([{ id: won[0].body.id }]);
  });

  it('one key, the same refused request ten times at once: every one is judged (422) and the key stays free', async () => {
    const key = randomUUID();
    const before = await snapshot();
    const answers = await Promise.all(Array.from({ length: 10 }, () => report(body(`refused burst ${key}`, outside), warden1, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(422));
    expect(answers.map((a) => a.body.error)).toEqual(Array(10).fill('out_of_jurisdiction'));
    expect(await snapshot()).toEqual(before);
  });

  it('daily codes are gap-free: 30 concurrent reports amid refused ones take 30 consecutive numbers, and no refusal takes one', async () => {
    const { lng, lat } = await withDb(app.databaseUrl, (db) => pointOutsideWarden(db, 'warden1'));
    const elsewhere = { lng, lat };
    const good = Array.from({ length: 30 }, (_, i) => () =>
      i % 3 === 0 ? report(body(`gap-free ${i}`), warden1) : report(body(`gap-free ${i}`, i % 3 === 1 ? inside : elsewhere)),
    );
    const refused = Array.from({ length: 20 }, (_, i) => () => {
      switch (i % 4) {
        case 0:
          return report(body(`refused ${i}`, outside));
        case 1:
          return report({ ...body(`refused ${i}`), categoryCode: 'E9999' }, warden1);
        case 2:
          return report({ ...body(`refused ${i}`), mediaIds: [randomUUID()] });
        default:
          return report({ ...body(`refused ${i}`), location: { lng: 'east' } });
      }
    });
    // Interleaved, and all in flight at once.
    const all = await Promise.all(good.flatMap((g, i) => (i < refused.length ? [g, refused[i]] : [g])).map((send) => send()));
    const created = all.filter((a) => a.status === 201);
    expect(created, JSON.stringify(all.filter((a) => a.status !== 201).map((a) => a.body))).toHaveLength(30);
    expect(all.filter((a) => a.status !== 201).map((a) => a.status).sort()).toEqual([...Array(5).fill(400), ...Array(15).fill(422)]);
    const numbers = created.map((a) => Number(a.body.code.slice(-6))).sort((x, y) => x - y);
    expect(new Set(numbers).size).toBe(30);
    if (new Set(created.map((a) => a.body.code.slice(0, -7))).size === 1) expect(numbers[29] - numbers[0]).toBe(29);

    // Over the whole file (everything above included: replays, 409s, 400s and 422s), each day's
    // codes are 1..n and its counter stands at n.
    const days = await withDb(app.databaseUrl, async (db) =>
      (
        await db.query(
          `SELECT split_part(c.code, '-', 2) AS day, array_agg(split_part(c.code, '-', 3)::int ORDER BY c.code) AS numbers, d.last_value
             FROM case_file c JOIN case_day_counter d ON to_char(d.day, 'YYYYMMDD') = split_part(c.code, '-', 2)
            GROUP BY 1, d.last_value`,
        )
      ).rows as { day: string; numbers: number[]; last_value: number }[],
    );
    expect(days.length).toBeGreaterThanOrEqual(1);
    for (const d of days) {
      expect(d.numbers, `codes of ${d.day}`).toEqual(Array.from({ length: d.numbers.length }, (_, i) => i + 1));
      expect(d.last_value).toBe(d.numbers.length);
    }

    // One after another: a refusal between two reports leaves no hole.
    const a = await report(body('before the refusal'), warden1);
    expect((await report(body('refused in between', outside), warden1)).status).toBe(422);
    const b = await report(body('after the refusal'), warden1);
    const [dayA, dayB] = [a.body.code.slice(0, -7), b.body.code.slice(0, -7)];
    if (dayA === dayB) expect(Number(b.body.code.slice(-6))).toBe(Number(a.body.code.slice(-6)) + 1);
  });
});
