import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_CASE_ACTIONS as CASE_ACTIONS } from '@wangge/domain';
import { startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell } from '../support/cases';
import { apiKeyRequests, apiKeyRevocations, chiefRequests, importRequests, loginRequests } from './admin-requests';
import { actionRequests, reportRequests, type FuzzWorld } from './case-requests';
import { changes, fuzz, send, snapshot, statusSummary, type FuzzRequest, type Snapshot } from './fuzz-harness';
import { mediaRequests, type SampleImages } from './media-requests';
import { open311Requests } from './open311-requests';
import { fuzzSeed, SeededRandom } from './seeded-random';

/**
 * Issue 3: every write endpoint answers generated bad requests (wrong types, missing fields,
 * NaN and out-of-range coordinates, unknown categories, over-long text, markup, huge bodies,
 * malformed JSON, bad multipart, forged images, prototype keys…) with a 4xx JSON error naming the
 * field, never a 5xx, and writes nothing: every table keeps its rows and their contents, and
 * MEDIA_DIR gains no file. Requests are generated from a seed (FUZZ_SEED to reproduce another run;
 * FUZZ_DUMP=<file> appends every wrong answer to that file; FUZZ_LOG_LEVEL=error shows the server's stacks).
 */

/** Bad requests per endpoint (each action of the closed loop counts as one). */
const PER_ENDPOINT = 500;
const CONCURRENCY = 10;
/** The JSON body limit and the photo limit of the app under test (small, so huge bodies are cheap to send). */
const BODY_LIMIT = 1024 * 1024;
const MEDIA_LIMIT = 1024 * 1024;

const SEED = fuzzSeed();

/** A generator per endpoint, seeded from the run's seed and the endpoint's name. */
function rngFor(name: string): SeededRandom {
  let h = SEED;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return new SeededRandom(h);
}

interface CaseBody {
  id: string;
  status: string;
}

describe(`bad input never reaches the database (fuzz, seed ${SEED})`, () => {
  let app: RunningApp;
  let db: Client;
  let mediaDir: string;
  let world: FuzzWorld;
  let images: SampleImages;
  let start: Snapshot;
  let open311Key: string | null = null;
  let apiKeyId = '';
  const timings: string[] = [];

  /** Sends the requests, then expects no wrong answer and no change in any table or in MEDIA_DIR. */
  async function expectAllRefused(name: string, requests: FuzzRequest[]): Promise<void> {
    expect(requests.length).toBeGreaterThanOrEqual(PER_ENDPOINT);
    const before = await snapshot(db, mediaDir);
    const began = Date.now();
    const outcome = await fuzz(app.baseUrl, requests, CONCURRENCY);
    const ms = Date.now() - began;
    await settle();
    const written = changes(before, await snapshot(db, mediaDir));
    timings.push(`${name}: ${outcome.sent} requests in ${ms} ms (${statusSummary(outcome)}); slowest: ${outcome.slowest.join(' | ')}`);
    const shown = outcome.failures.slice(0, 25).join('\n');
    const more = outcome.failures.length > 25 ? `\n…and ${outcome.failures.length - 25} more` : '';
    if (process.env.FUZZ_DUMP && outcome.failures.length) await appendFile(process.env.FUZZ_DUMP, `## ${name}\n${outcome.failures.join('\n')}\n\n`);
    expect.soft(outcome.failures.length, `${name} (seed ${SEED}): ${outcome.failures.length} wrong answers of ${outcome.sent}\n${shown}${more}`).toBe(0);
    expect.soft(written, `${name}: bad requests changed the database or MEDIA_DIR`).toEqual([]);
  }

  /** Waits until the outbox relay has moved every row (setup writes some; fuzzing must add none). */
  async function settle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the outbox did not drain');
  }

  beforeAll(async () => {
    mediaDir = await mkdtemp(join(tmpdir(), 'wangge-fuzz-'));
    app = await startIntake('fuzz', {
      REPORT_RATE_LIMIT: '100000',
      // Wrong passwords are fuzzed on the demo accounts: answered 401, not locked (the backoff has its own test).
      LOGIN_BACKOFF_FREE_FAILURES: '1000',
      MEDIA_DIR: mediaDir,
      IMPORT_MAX_BYTES: String(BODY_LIMIT),
      MEDIA_MAX_BYTES: String(MEDIA_LIMIT),
      // FUZZ_LOG_LEVEL=error shows the stack of every 500 the fuzzing provokes.
      ...(process.env.FUZZ_LOG_LEVEL ? { LOG_LEVEL: process.env.FUZZ_LOG_LEVEL } : {}),
    });
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    const http = api(app);
    const auth = {
      warden1: await app.bearer('warden1'),
      operator: await app.bearer('operator'),
      chief3: await app.bearer('chief3'),
      leader: await app.bearer('leader'),
      admin: await app.bearer('admin'),
    };

    const cells = [];
    for (const n of [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44]) cells.push(await pointInWardenCell(db, 'warden1', n));
    const points = cells.map((c) => ({ lng: c.lng, lat: c.lat }));
    const categories = (await db.query<{ code: string }>('SELECT code FROM category WHERE active ORDER BY code')).rows.map((r) => r.code);
    const maxConditionNo = (await db.query<{ n: number }>('SELECT max(condition_no)::int AS n FROM category_standard')).rows[0].n;
    const maxChiefId = (await db.query<{ n: number }>('SELECT max(id)::int AS n FROM road_chief')).rows[0].n;
    const chiefId = await chiefIdOf(db, 'chief3');

    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 120, b: 40 } } }).jpeg().toBuffer();
    images = {
      jpeg,
      png: await sharp(jpeg).png().toBuffer(),
      webp: await sharp(jpeg).webp().toBuffer(),
      gif: await sharp(jpeg).gif().toBuffer(),
    };

    // The cases the actions act on, one per state, all in warden1's cells; and a photo of another case.
    const form = new FormData();
    form.append('file', new Blob([images.png], { type: 'image/png' }), 'setup.png');
    const uploaded = await fetch(`${app.baseUrl}/api/v1/media`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(201);
    const mediaId = ((await uploaded.json()) as { id: string }).id;
    const at = (i: number) => ({ lng: points[i].lng, lat: points[i].lat });
    const report = async (who: string | undefined, i: number, extra: Record<string, unknown> = {}, headers?: Record<string, string>) => {
      const r = await http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description: `fuzz setup ${i}`, location: at(i), ...extra }, who, headers);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    };
    const act = async (id: string, action: string, body: unknown, who: string) => {
      const r = await http.act<CaseBody>(id, action, body, who);
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
      return r.body;
    };
    await report(undefined, 0, { mediaIds: [mediaId] });
    const usedIdempotencyKey = `fuzz-setup-${SEED}`;
    const reported = await report(undefined, 1, {}, { 'idempotency-key': usedIdempotencyKey });
    const cancelled = await report(undefined, 2);
    await act(cancelled.id, 'cancel', { reason: 'fuzz setup' }, auth.operator);
    const registered = await report(auth.warden1, 3);
    const dispatched = await report(auth.warden1, 4);
    await act(dispatched.id, 'dispatch', { assigneeId: chiefId }, auth.operator);
    const inProgress = await report(auth.warden1, 5);
    await act(inProgress.id, 'dispatch', { assigneeId: chiefId }, auth.operator);
    await act(inProgress.id, 'accept', {}, auth.chief3);
    // warden1 is on duty: the resolved case's check is their task, so their verify reaches the checks fuzzed.
    expect((await http.call('PATCH', '/api/v1/me/duty', { auth: auth.warden1, body: { onDuty: true } })).status).toBe(200);
    const resolved = await report(auth.warden1, 6);
    await act(resolved.id, 'dispatch', { assigneeId: chiefId }, auth.operator);
    await act(resolved.id, 'accept', {}, auth.chief3);
    await act(resolved.id, 'resolve', { note: 'fuzz setup' }, auth.chief3);
    expect([reported.status, registered.status]).toEqual(['reported', 'registered']);

    // Every fuzzed route must exist: a route that answers "Cannot POST" (unrouted) fails the run here.
    const unrouted = async (path: string, headers: Record<string, string>, body: string) => {
      const r = await send(app.baseUrl, { label: 'probe', method: 'POST', path, headers, body });
      return r.status === 404 && /Cannot POST/.test(r.text);
    };
    expect(await unrouted('/api/v1/admin/api-keys', { 'content-type': 'application/json', authorization: auth.admin }, '{}'), 'POST /api/v1/admin/api-keys is not routed').toBe(false);
    expect(await unrouted('/open311/v2/requests.json', { 'content-type': 'application/x-www-form-urlencoded' }, ''), 'POST /open311/v2/requests.json is not routed').toBe(false);
    const created = await http.post<{ id: string; key: string }>('/api/v1/admin/api-keys', { name: 'fuzz open311 client' }, auth.admin);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    open311Key = created.body.key;
    apiKeyId = created.body.id;

    world = {
      bodyLimit: BODY_LIMIT,
      auth,
      points,
      categories,
      maxConditionNo,
      otherCaseMediaId: mediaId,
      usedIdempotencyKey,
      cases: { reported: reported.id, registered: registered.id, dispatched: dispatched.id, inProgress: inProgress.id, resolved: resolved.id, cancelled: cancelled.id },
      chiefId,
      maxChiefId,
    };
    await settle();
    start = await snapshot(db, mediaDir);
  });

  afterAll(async () => {
    if (timings.length) console.info(`fuzz seed ${SEED}\n  ${timings.join('\n  ')}`);
    await db?.end();
    await app?.close();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  it('POST /api/v1/cases: bad reports (anonymous, warden, operator) are refused naming the field', async () => {
    await expectAllRefused('POST /api/v1/cases', reportRequests(rngFor('cases'), world, PER_ENDPOINT + 100));
  });

  it.for(CASE_ACTIONS)('POST /api/v1/cases/:id/%s: bad ids, actions and bodies are refused by the role allowed to act', async (action) => {
    await expectAllRefused(`POST /api/v1/cases/:id/${action}`, actionRequests(rngFor(`action ${action}`), world, action, PER_ENDPOINT));
  });

  it('POST /api/v1/media: bad multipart and forged images are refused naming the field', async () => {
    await expectAllRefused('POST /api/v1/media', mediaRequests(rngFor('media'), images, PER_ENDPOINT, MEDIA_LIMIT, world.auth.warden1));
  });

  // Each well-formed wrong login costs one scrypt derivation at OWASP's cost (~0.5 s of a core, two
  // at a time): some fifty of them here.
  it('POST /api/v1/auth/login: bad credentials bodies are refused', { timeout: 240_000 }, async () => {
    await expectAllRefused('POST /api/v1/auth/login', loginRequests(rngFor('login'), world, PER_ENDPOINT));
  });

  it('PATCH /api/v1/chiefs/:id: bad availability changes are refused', async () => {
    await expectAllRefused('PATCH /api/v1/chiefs/:id', chiefRequests(rngFor('chiefs'), world, PER_ENDPOINT));
  });

  it('POST /api/v1/admin/import: bad requests and files are refused, nothing imported', async () => {
    await expectAllRefused('POST /api/v1/admin/import', importRequests(rngFor('import'), world, PER_ENDPOINT));
  });

  it('POST /api/v1/admin/api-keys: bad key requests are refused', async () => {
    await expectAllRefused('POST /api/v1/admin/api-keys', apiKeyRequests(rngFor('api-keys'), world, PER_ENDPOINT));
  });

  it('DELETE /api/v1/admin/api-keys/:id: revocations of what is not a key are refused', async () => {
    await expectAllRefused('DELETE /api/v1/admin/api-keys/:id', apiKeyRevocations(rngFor('api-keys delete'), world, apiKeyId, PER_ENDPOINT));
  });

  it.for(['json', 'xml'] as const)('POST /open311/v2/requests.%s: bad service requests are refused in the spec’s error format', async (format) => {
    await expectAllRefused(`POST /open311/v2/requests.${format}`, open311Requests(rngFor(`open311 ${format}`), world, format, open311Key, PER_ENDPOINT));
  });

  it('over the whole run, no table and no file changed', async () => {
    await settle();
    expect(changes(start, await snapshot(db, mediaDir))).toEqual([]);
  });
});
