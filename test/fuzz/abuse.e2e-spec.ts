import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import sharp from 'sharp';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { spawnFeed, type FeedProcess } from '../feed/support/spawn-feed';
import { chiefIdOf, pointInWardenCell } from '../support/cases';
import { createTestDatabase, TEST_JWT_SECRET } from '../support/database';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { spawnTsProcess, type TsProcess } from '../support/ts-process';
import { addresses } from './admin-requests';
import { abuseCorpus, PATH_TRICKS, RAW_BYTE_TRICKS, UNICODE_TRICKS, type AbuseEndpoint } from './abuse-corpus';
import { changes, fuzz, judge, snapshot, statusSummary, type Answer, type FuzzRequest, type Snapshot } from './fuzz-harness';
import { multipart } from './media-requests';

/**
 * Issue 16, the abuse corpus: every write endpoint of intake (reports, actions and comments, media,
 * people, catalogue, calendar, formulas, API keys, chiefs, import, appeals, bulletins, jobs, Open311
 * POST, auth) and the feed (socket.io handshake and messages) get the same hostile inputs
 * (abuse-corpus.ts). Each answer is a 4xx (413 and 429 from a limiter count as such), never a 5xx or
 * no answer; no table and no file changes; intake and the feed run as processes of their own, and
 * their resident memory (VmRSS, and the peak VmHWM) is read from /proc before and after.
 */

const MIB = 1024 * 1024;
const CONCURRENCY = 6;
/** Resident memory may grow this much over the whole corpus (heaps settle, caches fill); a leak per request would pass it. */
const RSS_GROWTH_LIMIT = 200 * MIB;

/** Limits raised so the corpus reaches the checks behind them (the names the throttling work uses). */
const LIMITS = {
  TRUST_PROXY: '127.0.0.1',
  REPORT_RATE_LIMIT: '100000',
  REPORT_LIMIT_ANONYMOUS: '100000',
  REPORT_LIMIT_STAFF: '100000',
  FEED_MAX_CONNECTIONS_PER_IP: '10000',
  FEED_MAX_MESSAGES_PER_SECOND: '10000',
};

interface Memory {
  rss: number;
  peak: number;
}

async function memoryOf(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;

/** A 4xx (a refusal), with 413 and 429 accepted whatever their body (a limiter in front may answer them). */
function judgeAbuse(req: FuzzRequest, ans: Answer): string | null {
  if (ans.status === 413 || ans.status === 429) return null;
  return judge(req, ans);
}

describe('the abuse corpus against every write endpoint and the feed (issue 16)', () => {
  let redis: RedisServer;
  let intake: TsProcess;
  let feed: FeedProcess;
  let baseUrl: string;
  let db: Client;
  let dropDb: () => Promise<void>;
  let mediaDir: string;
  let endpoints: AbuseEndpoint[] = [];
  let start: Snapshot;
  let memoryBefore: { intake: Memory; feed: Memory };
  const nextAddress = addresses();
  const table: { endpoint: string; counts: Record<string, number>; total: number; statuses: string }[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    mediaDir = await mkdtemp(join(tmpdir(), 'wangge-abuse-'));
    const created = await createTestDatabase('abuse');
    dropDb = created.drop;
    const env = {
      DATABASE_URL: created.url,
      REDIS_URL: redis.url,
      JWT_SECRET: TEST_JWT_SECRET,
      DB_POOL_SIZE: '4',
      MEDIA_DIR: mediaDir,
      MEDIA_MAX_BYTES: String(MIB),
      IMPORT_MAX_BYTES: String(MIB),
      ...LIMITS,
    };
    intake = await spawnTsProcess('intake', join(__dirname, '../support/app-process.ts'), { INTAKE_PORT: '0', ...env }, 60_000, ['intake']);
    feed = await spawnFeed(env, 60_000);
    baseUrl = `http://127.0.0.1:${intake.port}`;
    db = new Client({ connectionString: created.url });
    await db.connect();

    const login = async (username: string) => {
      const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
      expect(res.status, `login ${username}`).toBe(200);
      return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
    };
    const auth = { admin: await login('admin'), operator: await login('operator'), leader: await login('leader'), warden1: await login('warden1'), chief3: await login('chief3') };
    const json = async <T>(method: string, path: string, body: unknown, who?: string): Promise<T> => {
      const res = await fetch(`${baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...(who ? { authorization: who } : {}) }, body: JSON.stringify(body) });
      const text = await res.text();
      expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
      return JSON.parse(text) as T;
    };

    // What the endpoints act on: a reported case, an API key for Open311, a user, a chief.
    const at = await pointInWardenCell(db, 'warden1', 0);
    const reported = await json<{ id: string }>('POST', '/api/v1/cases', { categoryCode: 'E0102', description: 'abuse setup', location: { lng: at.lng, lat: at.lat } });
    const key = await json<{ id: string; key: string }>('POST', '/api/v1/admin/api-keys', { name: 'abuse corpus client' }, auth.admin);
    const userId = (await db.query<{ id: string }>(`SELECT id FROM app_user WHERE username = 'warden2'`)).rows[0].id;
    const chiefId = await chiefIdOf(db, 'chief3');
    const caseId = reported.id;
    const uuid = '6f1c2a4e-0d9b-4c1a-9e3f-1a2b3c4d5e6f';
    const json_ = (who: string) => ({ authorization: who });

    const action = (name: string, body: Record<string, unknown>, fields: AbuseEndpoint['fields'], who = auth.operator): AbuseEndpoint => ({
      name: `POST /api/v1/cases/:id/${name}`,
      method: 'POST',
      path: (id) => `/api/v1/cases/${id}/${name}`,
      id: caseId,
      headers: json_(who),
      body,
      fields,
    });
    endpoints = [
      {
        name: 'POST /api/v1/cases',
        method: 'POST',
        path: () => '/api/v1/cases',
        headers: {},
        body: { categoryCode: 'E0102', description: 'pothole', location: { lng: at.lng, lat: at.lat }, coordSystem: 'wgs84', reporter: { name: 'A', phone: '13800000000' }, mediaIds: [], conditionNo: 1 },
        fields: {
          categoryCode: 'code',
          description: 'text',
          'location.lng': 'number',
          'location.lat': 'number',
          coordSystem: 'enum',
          'reporter.name': 'text',
          'reporter.phone': 'code',
          mediaIds: 'array',
          conditionNo: 'int',
        },
      },
      action('register', { conditionNo: 1, note: 'ok' }, { conditionNo: 'int', note: 'text' }),
      action('dispatch', { assigneeId: chiefId }, { assigneeId: 'int' }),
      action('reject', { reason: 'not ours' }, { reason: 'text' }),
      action('merge', { targetId: uuid }, { targetId: 'uuid' }),
      action('extend', { hours: 8, reason: 'parts' }, { hours: 'number', reason: 'text' }),
      action('comment', { note: 'seen', mediaIds: [] }, { note: 'text', mediaIds: 'array' }),
      { ...action('comment', { note: 'seen by the chief' }, { note: 'text' }, auth.chief3), name: 'POST /api/v1/cases/:id/comment (chief)' },
      {
        name: 'POST /api/v1/admin/users',
        method: 'POST',
        path: () => '/api/v1/admin/users',
        headers: json_(auth.admin),
        body: { username: 'abuse_user', name: 'Abuse', phone: '13800000001', role: 'warden', streetCode: at.streetCode, cells: [at.cellCode] },
        fields: { username: 'code', name: 'text', phone: 'code', role: 'enum', streetCode: 'code', cells: 'array' },
        spoil: { path: 'departmentCode', value: 'D1' },
      },
      {
        name: 'PATCH /api/v1/admin/users/:id',
        method: 'PATCH',
        path: (id) => `/api/v1/admin/users/${id}`,
        id: userId,
        headers: json_(auth.admin),
        body: { name: 'Warden Two', active: true },
        fields: { name: 'text', phone: 'code', role: 'enum', active: 'bool', cells: 'array' },
      },
      { name: 'POST /api/v1/admin/users/:id/reset-password', method: 'POST', path: (id) => `/api/v1/admin/users/${id}/reset-password`, id: userId, headers: json_(auth.admin) },
      {
        name: 'POST /api/v1/admin/users/import',
        method: 'POST',
        path: () => '/api/v1/admin/users/import',
        headers: json_(auth.admin),
        body: { content: 'username,name,phone,role,street,cells\n' },
        fields: { content: 'text' },
      },
      {
        name: 'POST /api/v1/admin/categories',
        method: 'POST',
        path: () => '/api/v1/admin/categories',
        headers: json_(auth.admin),
        body: { code: 'E9901', kind: 'event', majorCode: '99', majorName: '测试', majorNameEn: 'Test', minorCode: '01', name: '测试', nameEn: 'Test', autoRegister: false },
        fields: { code: 'code', kind: 'enum', majorCode: 'code', minorCode: 'code', name: 'text', nameEn: 'text', autoRegister: 'bool', standard: 'object' },
      },
      {
        name: 'PATCH /api/v1/admin/categories/:code',
        method: 'PATCH',
        path: (id) => `/api/v1/admin/categories/${id}`,
        id: 'E0102',
        headers: json_(auth.admin),
        body: { name: '井盖缺失', active: true },
        fields: { name: 'text', nameEn: 'text', autoRegister: 'bool', active: 'bool' },
      },
      {
        name: 'POST /api/v1/admin/categories/:code/standards',
        method: 'POST',
        path: (id) => `/api/v1/admin/categories/${id}/standards`,
        id: 'E0102',
        headers: json_(auth.admin),
        body: { effectiveFrom: '2099-01-01', conditions: [] },
        fields: { effectiveFrom: 'date', conditions: 'array' },
      },
      {
        name: 'PUT /api/v1/admin/calendar/:year',
        method: 'PUT',
        path: (id) => `/api/v1/admin/calendar/${id}`,
        id: '2031',
        headers: json_(auth.admin),
        body: [{ date: '2031-01-01', kind: 'holiday', name: '元旦', nameEn: "New Year's Day" }],
        fields: { '0.date': 'date', '0.kind': 'enum', '0.name': 'text', '0.nameEn': 'text' },
        spoil: { path: '0.kind', value: 'no-such-kind' },
      },
      {
        name: 'POST /api/v1/admin/evaluation/formulas',
        method: 'POST',
        path: () => '/api/v1/admin/evaluation/formulas',
        headers: json_(auth.admin),
        body: { weights: { onTimeHandlingRate: 30, closingRate: 20, reworkRate: 20, overdueRate: 20, extensionRate: 10 }, effectiveFrom: '2099-01-01', note: 'abuse' },
        fields: { 'weights.onTimeHandlingRate': 'number', 'weights.closingRate': 'number', effectiveFrom: 'date', note: 'text', weights: 'object' },
      },
      {
        name: 'POST /api/v1/admin/api-keys',
        method: 'POST',
        path: () => '/api/v1/admin/api-keys',
        headers: json_(auth.admin),
        body: { name: 'client' },
        fields: { name: 'text' },
      },
      { name: 'DELETE /api/v1/admin/api-keys/:id', method: 'DELETE', path: (id) => `/api/v1/admin/api-keys/${id}`, id: key.id, headers: json_(auth.admin) },
      {
        name: 'PATCH /api/v1/chiefs/:id',
        method: 'PATCH',
        path: (id) => `/api/v1/chiefs/${id}`,
        id: String(chiefId),
        headers: json_(auth.operator),
        body: { available: false, unavailableReason: 'leave', deputyId: null },
        fields: { available: 'bool', unavailableReason: 'text', deputyId: 'int' },
      },
      {
        name: 'POST /api/v1/admin/import',
        method: 'POST',
        path: () => '/api/v1/admin/import',
        headers: json_(auth.admin),
        body: { files: [{ name: 'streets.csv', kind: 'streets', content: 'code,name\n' }], skipInvalid: false },
        fields: { files: 'array', 'files.0.name': 'text', 'files.0.kind': 'enum', 'files.0.content': 'text', skipInvalid: 'bool' },
      },
      { name: 'POST /api/v1/appeals', method: 'POST', path: () => '/api/v1/appeals', headers: json_(auth.chief3), body: { caseId: uuid, reason: 'late' }, fields: { caseId: 'uuid', reason: 'text' } },
      {
        name: 'POST /api/v1/appeals/:id/decision',
        method: 'POST',
        path: (id) => `/api/v1/appeals/${id}/decision`,
        id: uuid,
        headers: json_(auth.leader),
        body: { approved: true, note: 'ok' },
        fields: { approved: 'bool', note: 'text' },
      },
      { name: 'POST /api/v1/bulletins/daily/:date/generate', method: 'POST', path: (id) => `/api/v1/bulletins/daily/${id}/generate`, id: '2026-11-18', headers: json_(auth.leader) },
      { name: 'POST /api/v1/bulletins/weekly/:week/generate', method: 'POST', path: (id) => `/api/v1/bulletins/weekly/${id}/generate`, id: '2026-W47', headers: json_(auth.leader) },
      { name: 'POST /api/v1/admin/jobs/:queue/:id/retry', method: 'POST', path: (id) => `/api/v1/admin/jobs/routing/${id}/retry`, id: 'route-case-1', headers: json_(auth.admin) },
      { name: 'POST /api/v1/admin/jobs/:queue/:id/retry (queue)', method: 'POST', path: (id) => `/api/v1/admin/jobs/${id}/x/retry`, id: 'routing', headers: json_(auth.admin) },
      {
        name: 'POST /api/v1/auth/login',
        method: 'POST',
        path: () => '/api/v1/auth/login',
        headers: {},
        body: { username: 'operator', password: 'wrong-password' },
        fields: { username: 'code', password: 'text' },
      },
      {
        name: 'POST /api/v1/auth/password',
        method: 'POST',
        path: () => '/api/v1/auth/password',
        headers: json_(auth.warden1),
        body: { current: 'not-the-password', next: 'a-new-long-password-1' },
        fields: { current: 'text', next: 'text' },
      },
      {
        name: 'POST /open311/v2/requests.json',
        method: 'POST',
        path: () => '/open311/v2/requests.json',
        headers: {},
        body: { api_key: key.key, service_code: 'E0102', lat: at.lat, long: at.lng, description: 'pothole', email: 'a@example.org' },
        fields: { service_code: 'code', lat: 'number', long: 'number', description: 'text', email: 'code' },
        spoil: { path: 'service_code', value: 'NO\u202ESUCH' },
        open311: true,
        form: true,
      },
    ];

    start = await snapshot(db, mediaDir);
    memoryBefore = { intake: await memoryOf(intake.pid), feed: await memoryOf(feed.pid) };
  }, 180_000);

  afterAll(async () => {
    if (table.length) {
      const kinds = ['oversized', 'nesting', 'types', 'unicode', 'path', 'handshake', 'messages', 'raw'];
      const rows = table.map((r) => `  ${r.endpoint.padEnd(52)} ${kinds.map((k) => String(r.counts[k] ?? 0).padStart(10)).join('')} ${String(r.total).padStart(7)}   ${r.statuses}`);
      const total = table.reduce((n, r) => n + r.total, 0);
      console.info(
        `abuse corpus (issue 16): ${total} requests over ${table.length} endpoints\n  ${'endpoint'.padEnd(52)} ${kinds.map((k) => k.padStart(10)).join('')} ${'total'.padStart(7)}   answers\n${rows.join('\n')}`,
      );
    }
    await db?.end();
    await intake?.kill('SIGTERM');
    await feed?.kill('SIGTERM');
    await dropDb?.();
    await redis?.close();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  /** ABUSE_PROGRESS=<file>: a line per endpoint or phase as it finishes (the table is printed at the end). */
  const progress = async (line: string) => {
    if (process.env.ABUSE_PROGRESS) await appendFile(process.env.ABUSE_PROGRESS, `${line}\n`);
  };

  /** Sends the requests; expects only refusals, and no change in any table or in MEDIA_DIR. */
  async function expectRefused(endpoint: string, groups: Record<string, FuzzRequest[]>): Promise<void> {
    // An address of its own per request (intake trusts loopback proxies), so per-address throttles let it reach its checks.
    const requests = Object.values(groups)
      .flat()
      .map((r) => ({ ...r, headers: { ...r.headers, 'x-forwarded-for': nextAddress() } }));
    const before = await snapshot(db, mediaDir);
    const began = Date.now();
    const outcome = await fuzz(baseUrl, requests, CONCURRENCY, judgeAbuse);
    const wrong = outcome.failures;
    await progress(`${endpoint}: ${requests.length} in ${Date.now() - began} ms, ${statusSummary(outcome)}; slowest ${outcome.slowest.join(' | ')}\n${wrong.slice(0, 5).join('\n')}`);
    const counts = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, v.length]));
    table.push({ endpoint, counts, total: requests.length, statuses: statusSummary(outcome) });
    expect.soft(wrong.slice(0, 20), `${endpoint}: ${wrong.length} wrong answers of ${outcome.sent}`).toEqual([]);
    expect.soft(changes(before, await snapshot(db, mediaDir)), `${endpoint}: the corpus changed the database or MEDIA_DIR`).toEqual([]);
  }

  it('every JSON and form write endpoint refuses the whole corpus: no 5xx, nothing written', async () => {
    expect(endpoints.length).toBeGreaterThan(25);
    for (const ep of endpoints) await expectRefused(ep.name, abuseCorpus(ep));
  }, 1_200_000);

  it('POST /api/v1/media refuses the corpus in names, fields, types and sizes: nothing stored', async () => {
    const notImage = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
    const boundary = 'abuse-boundary';
    const send = (label: string, body: Buffer, extra: Record<string, string> = {}): FuzzRequest => ({
      label: `media: ${label}`,
      method: 'POST',
      path: '/api/v1/media',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...extra },
      body,
    });
    const names = [...UNICODE_TRICKS.map((t) => ({ label: t.label, name: `photo${t.text}gpj.png` })), ...PATH_TRICKS.map((t) => ({ label: t.label, name: `${t.id}.png` }))];
    const groups = {
      oversized: [send('2 MiB file (limit 1 MiB)', multipart([{ field: 'file', filename: 'a.png', type: 'image/png', body: Buffer.alloc(2 * MIB, 1) }], boundary))],
      types: [
        send('file as a text field', multipart([{ field: 'file', body: png.toString('latin1') }], boundary)),
        send('two files', multipart([{ field: 'file', filename: 'a.png', type: 'image/png', body: notImage }, { field: 'file', filename: 'b.png', type: 'image/png', body: notImage }], boundary)),
        send('no boundary', Buffer.from('x'), { 'content-type': 'multipart/form-data' }),
        send('JSON instead of multipart', Buffer.from('{"file":"x"}'), { 'content-type': 'application/json' }),
      ],
      unicode: [
        ...names.map((n) => send(`file name: ${n.label}`, multipart([{ field: 'file', filename: n.name, type: 'image/png', body: notImage }], boundary))),
        ...UNICODE_TRICKS.map((t) => send(`field name: ${t.label}`, multipart([{ field: `fi${t.text}le`, filename: 'a.png', type: 'image/png', body: png }], boundary))),
        ...UNICODE_TRICKS.map((t) => send(`content type: ${t.label}`, multipart([{ field: 'file', filename: 'a.png', type: `image/png${t.text}`, body: notImage }], boundary))),
        ...RAW_BYTE_TRICKS.map((t) =>
          send(`file name: raw ${t.label}`, multipart([{ field: 'file', filename: Buffer.concat([Buffer.from('a'), Buffer.from(t.bytes), Buffer.from('.png')]).toString('latin1'), type: 'image/png', body: notImage }], boundary)),
        ),
      ],
    };
    await expectRefused('POST /api/v1/media', groups);
  }, 600_000);

  it('the feed: hostile handshakes, messages and raw packets never take it down, and nothing is written', async () => {
    const before = await snapshot(db, mediaDir);
    const url = `${feed.url}/feed`;
    await progress('feed: start');
    const WRONG = [12345, true, [], {}, null, '', '9'.repeat(400), -1, 1.5, { $gt: '' }];
    /** Past the feed's 64 KiB packet limit: the server cuts the transport (the refusal for these). */
    const OVERSIZED = 'x'.repeat(100_000);
    const tricks = [...UNICODE_TRICKS.map((t) => `tok${t.text}en`), ...PATH_TRICKS.map((t) => t.id)];

    // Handshakes: each either connects (anonymous is allowed) or is refused with a reason; none hangs.
    const oversizedHandshakes = [{ token: OVERSIZED }, { afterSeq: OVERSIZED }, { epoch: OVERSIZED, afterSeq: 0 }];
    const handshakes: Record<string, unknown>[] = [
      ...oversizedHandshakes,
      ...WRONG.map((v) => ({ token: v })),
      ...tricks.map((v) => ({ token: v })),
      ...WRONG.map((v) => ({ afterSeq: v })),
      ...tricks.map((v) => ({ afterSeq: v })),
      ...WRONG.map((v) => ({ epoch: v, afterSeq: 0 })),
      ...tricks.map((v) => ({ epoch: v, afterSeq: 0 })),
      { token: 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9.' },
      { ['\u202Etoken']: 'x', __proto__x: { polluted: true } },
    ];
    const outcomes = { connected: 0, refused: 0, cut: 0, other: 0 };
    const unanswered: string[] = [];
    for (let i = 0; i < handshakes.length; i += 10) {
      const batch = await Promise.all(
        handshakes.slice(i, i + 10).map(
          (auth) =>
            new Promise<'connected' | 'refused' | 'cut' | 'other'>((resolve) => {
              const s = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
              // The namespace's CONNECT must be answered (socket.io-client's timeout covers the transport only).
              const timer = setTimeout(() => (s.close(), unanswered.push(JSON.stringify(auth).slice(0, 100)), resolve('other')), 15_000);
              s.on('connect', () => (clearTimeout(timer), s.close(), resolve('connected')));
              // Past the packet limit the server closes the transport before the namespace answers.
              s.io.on('close', (reason) => {
                if (!oversizedHandshakes.includes(auth as never) || s.connected) return;
                clearTimeout(timer);
                resolve(/transport (close|error)/.test(reason) ? 'cut' : 'other');
              });
              s.on('connect_error', (err: Error & { data?: { code?: unknown } }) => {
                clearTimeout(timer);
                s.close();
                if (typeof err.data?.code === 'string') return resolve('refused');
                if (oversizedHandshakes.includes(auth as never) && /websocket error|transport close/.test(err.message)) return resolve('cut');
                unanswered.push(`${JSON.stringify(auth).slice(0, 100)}: ${err.message}`);
                resolve('other');
              });
            }),
        ),
      );
      for (const b of batch) outcomes[b]++;
    }
    await progress(`feed handshakes: ${JSON.stringify(outcomes)} ${unanswered.slice(0, 5).join(' | ')}`);
    expect.soft(unanswered, `handshakes not answered, or refused without a reason: ${JSON.stringify(outcomes)}`).toEqual([]);

    // Messages on one anonymous connection: every one answered by an ack with an error, or ignored.
    const client = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
    await new Promise<void>((resolve, reject) => {
      setTimeout(() => reject(new Error('the message client did not connect within 15 s')), 15_000);
      client.on('connect', () => resolve());
      client.on('connect_error', reject);
    });
    /** Events the feed has no handler for (or that the client refuses to send): no ack comes, and that is right. */
    const UNKNOWN_EVENTS = ['', 'x'.repeat(10_000), '__proto__', 'constructor', 'connect', 'disconnect', 'feed.ready', '\u202Etrack', '../track'];
    const messages: [string, unknown][] = [];
    for (const event of ['track', 'untrack', 'resume']) {
      for (const v of WRONG) messages.push([event, v]);
      for (const t of tricks) messages.push([event, { caseId: t, trackingToken: 'x'.repeat(32) }], [event, { caseId: '00000000-0000-4000-8000-000000000000', trackingToken: t }], [event, { afterSeq: t, epoch: t }]);
      messages.push([event, JSON.parse('['.repeat(1000) + ']'.repeat(1000))], [event, { [`\u202Ecase\u200BId`]: 1 }], [event, { __proto__: { isAdmin: true }, caseId: 1 }]);
    }
    for (const unknown of UNKNOWN_EVENTS) messages.push([unknown, {}]);
    let acks = 0;
    let silent = 0;
    const ignored: string[] = [];
    for (let i = 0; i < messages.length; i += 20) {
      const answers = await Promise.all(
        messages.slice(i, i + 20).map(
          ([event, body]) =>
            new Promise<'ack' | 'silent'>((resolve) => {
              const timer = setTimeout(() => (ignored.push(`${event.slice(0, 20)} ${JSON.stringify(body)?.slice(0, 60)}`), resolve('silent')), 3000);
              try {
                client.emit(event as 'track', body as never, (answer: unknown) => {
                  clearTimeout(timer);
                  expect.soft(answer, `${event} ${JSON.stringify(body)?.slice(0, 80)}`).toMatchObject({ ok: false });
                  resolve('ack');
                });
              } catch (err) {
                // socket.io-client itself refuses reserved names (connect, disconnect): never sent.
                clearTimeout(timer);
                ignored.push(`${event.slice(0, 20)} not sent: ${err instanceof Error ? err.message : String(err)}`);
                resolve('silent');
              }
            }),
        ),
      );
      for (const a of answers) {
        if (a === 'ack') acks++;
        else silent++;
      }
    }
    await progress(`feed messages: ${acks} acks, ${silent} silent, connected ${client.connected}; ignored: ${ignored.join(' | ')}`);
    expect(client.connected, 'the connection survived the bad messages').toBe(true);
    expect(silent, 'every bad message to a known event is answered by an error ack').toBe(UNKNOWN_EVENTS.length);
    client.close();

    // Messages past the packet limit: the server cuts that connection (and only it).
    for (const event of ['track', 'resume']) {
      const big = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
      await new Promise<void>((resolve, reject) => {
        setTimeout(() => reject(new Error('the oversized-message client did not connect within 15 s')), 15_000);
        big.on('connect', () => resolve());
      });
      const cut = new Promise<string>((resolve) => big.on('disconnect', (reason) => resolve(reason)));
      big.emit(event as 'track', { caseId: OVERSIZED, trackingToken: OVERSIZED } as never);
      expect(await Promise.race([cut, new Promise((r) => setTimeout(() => r('still connected after 15 s'), 15_000))])).toMatch(/^transport (close|error)$/);
    }

    // Raw engine.io / socket.io packets no client library would send.
    const raw = [
      '40/feed,{"token":',
      '42/feed,["track",',
      '42/feed,["track",{"caseId":"' + 'x'.repeat(200_000) + '"}]',
      '451-/feed,["track",{"_placeholder":true,"num":99}]',
      '451-/feed,["track",{"_placeholder":true,"num":-1}]',
      '42/feed,' + '['.repeat(10_000) + ']'.repeat(10_000),
      '42/feed,99["track",{}]',
      '42/feed,["__proto__",{}]',
      '4',
      '9',
      '42/../../feed,["track",{}]',
      '42/feed\u202E,["track",{}]',
      '42/feed,["track",{"caseId":"\\ud800"}]',
      Buffer.from([0x34, 0x32, 0xc0, 0xaf, 0xff]),
      Buffer.alloc(2 * MIB, 0x61),
    ];
    /** Whether a new connection still gets `feed.ready` (the node serves). */
    const serving = () =>
      new Promise<boolean>((resolve) => {
        const probe = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5000 });
        const finish = (ok: boolean) => (clearTimeout(timer), probe.close(), resolve(ok));
        const timer = setTimeout(() => finish(false), 10_000);
        probe.on('feed.ready', () => finish(true));
        probe.on('connect_error', () => finish(false));
      });
    const broke: string[] = [];
    for (const packet of raw) {
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(`${feed.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
        const done = () => (ws.terminate(), resolve());
        const timer = setTimeout(done, 3000);
        ws.on('error', () => (clearTimeout(timer), done()));
        ws.on('close', () => (clearTimeout(timer), done()));
        ws.on('message', (data) => {
          const text = String(data);
          if (text.startsWith('0')) ws.send('40/feed,');
          else if (text.startsWith('40/feed')) ws.send(packet);
        });
      });
      if (!(await serving())) {
        broke.push(`${String(packet).slice(0, 60)} (process ${isAlive(feed.pid) ? 'alive' : 'gone'})`);
        break;
      }
    }
    await progress(`feed raw packets: ${broke.length ? `stopped serving after ${broke.join(', ')}` : 'still serving'}`);
    expect(broke, 'a raw packet took the feed down').toEqual([]);

    // Still serving: a new connection gets feed.ready; nothing was written.
    expect(await serving(), 'a new connection gets feed.ready after the corpus').toBe(true);
    table.push({
      endpoint: 'feed (socket.io)',
      counts: { handshake: handshakes.length, messages: messages.length + 2, raw: raw.length },
      total: handshakes.length + messages.length + 2 + raw.length,
      statuses: `handshakes: ${outcomes.connected} connected, ${outcomes.refused} refused, ${outcomes.cut} cut (past 64 KiB); messages: ${acks} refused by ack, ${silent} to unknown events unanswered, 2 oversized cut`,
    });
    expect(changes(before, await snapshot(db, mediaDir))).toEqual([]);
  }, 600_000);

  it('over the whole corpus nothing was written, and the memory of intake and the feed stayed flat', async () => {
    expect(changes(start, await snapshot(db, mediaDir))).toEqual([]);
    const after = { intake: await memoryOf(intake.pid), feed: await memoryOf(feed.pid) };
    console.info(
      `memory (VmRSS before → after, peak VmHWM): intake ${mib(memoryBefore.intake.rss)} → ${mib(after.intake.rss)}, peak ${mib(after.intake.peak)}; feed ${mib(memoryBefore.feed.rss)} → ${mib(after.feed.rss)}, peak ${mib(after.feed.peak)}`,
    );
    expect(after.intake.rss - memoryBefore.intake.rss).toBeLessThan(RSS_GROWTH_LIMIT);
    expect(after.feed.rss - memoryBefore.feed.rss).toBeLessThan(RSS_GROWTH_LIMIT);
  });
});
