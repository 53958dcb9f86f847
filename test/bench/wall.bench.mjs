// Soak test of the wall screen (数据大屏, issue 19): a script, not a CI test. Starts the platform
// (the demo district with a week of history, intake serving the console, feed), opens /wall as the
// leader in Debian's Chromium (playwright-core) at 1920×1080, and produces live case events at a
// steady rate (default 20 a second) for a duration (default 60 minutes). Every minute it samples the
// page's JS heap (after a garbage collection) and DOM node count through the DevTools protocol
// (Performance.getMetrics), and at the end checks that the page received every event written in its
// scope (the wall's own counter of received events against the events in the database), then prints
// the series, the heap's slope (from minute 1, the live list full) and the verdict as one JSON line (exit 1 when it is not flat or an
// event was dropped).
//
// Events are comments (`case.commented`) written as the workflow's event store writes them (the
// event under the event-order lock and its outbox row in one statement) on 64 registered cases, so
// the machine's two cores go to the page and the feed, not to HTTP.
//
//   usage: npm run bench:wall -- [--minutes N] [--rate R]
//   env:   BENCH_PG_URL (server; database `wangge_bench_wall` is created and dropped),
//          CHROMIUM_PATH (default /usr/bin/chromium)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { children, cleanupOnExit, run, sleep, start, stop } from './support/processes.mjs';
import { redisKeysOf } from './support/redis-keys.mjs';
import { benchRedis, freePort, machineBusy, nowMs, waitHealthy } from './support/system.mjs';

const { values: args } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, rate: { type: 'string', default: '20' } } });
const minutes = Number(args.minutes);
const rate = Number(args.rate);
if (!(minutes > 0) || !(rate > 0)) throw new Error('--minutes and --rate must be positive numbers');
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'wangge_bench_wall';
const dbUrl = new URL(server);
dbUrl.pathname = `/${DB}`;
/** A heap that grows less than this over an hour is flat (garbage collected before each sample). */
const FLAT_MB_PER_HOUR = 5;

const admin = new pg.Client({ connectionString: server });
let db = null;
let redis = null;
let browser = null;

const cleanup = cleanupOnExit(async () => {
  await browser?.close().catch(() => undefined);
  redis?.disconnect();
  await Promise.all(children.map((c) => stop(c)));
  await db?.end().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const log = (line) => process.stderr.write(`[wall ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

try {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const { url: redisUrl, client } = await benchRedis();
  redis = client;
  const [intakePort, feedPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redisUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    INTAKE_PORT: String(intakePort),
    FEED_PORT: String(feedPort),
    FEED_PUBLIC_URL: `http://127.0.0.1:${feedPort}`,
    LOG_LEVEL: 'warn',
    REPORT_RATE_LIMIT: '100000',
    OUTBOX_POLL_MS: '50',
  };
  log('seeding the demo district with 7 days of history');
  await run(process.execPath, ['dist/apps/cli/src/main.js', 'seed-demo', '--history-days', '7'], env);
  db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  const intake = start(process.execPath, ['dist/apps/intake/src/main.js'], env);
  const feed = start(process.execPath, ['dist/apps/feed/src/main.js'], env);
  await waitHealthy('intake', intake, `http://127.0.0.1:${intakePort}/health`);
  await waitHealthy('feed', feed, `http://127.0.0.1:${feedPort}/health`);
  const keys = await redisKeysOf(db);
  const base = `http://127.0.0.1:${intakePort}`;
  const post = async (path, body, token) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  const operator = (await post('/api/v1/auth/login', { username: 'operator', password: 'demo1234' })).accessToken;

  // The cases the events are about: anonymous reports in distinct cells, registered by the operator.
  const { rows: cells } = await db.query(`SELECT ST_X(ST_PointOnSurface(geom)) lng, ST_Y(ST_PointOnSurface(geom)) lat FROM grid_cell ORDER BY md5(code) LIMIT 64`);
  const caseIds = [];
  for (const c of cells) {
    const { id } = await post('/api/v1/cases', { categoryCode: 'C0101', description: '井盖缺失 manhole cover missing', location: { lng: c.lng, lat: c.lat } });
    await post(`/api/v1/cases/${id}/register`, {}, operator);
    caseIds.push(id);
  }
  const { rows: caseRows } = await db.query(`SELECT id, code, ST_X(location) lng, ST_Y(location) lat, grid_cell_code, street_code, category_code FROM case_file WHERE id = ANY($1::uuid[])`, [caseIds]);
  const cases = new Map(caseRows.map((r) => [r.id, r]));
  const { rows: operatorRow } = await db.query(`SELECT id FROM app_user WHERE username = 'operator'`);
  const writers = new pg.Pool({ connectionString: dbUrl.toString(), max: 4 });
  const writeEvent = async (caseId, i) => {
    const c = cases.get(caseId);
    const state = { assignee: null, escalationLevel: 0, escalatedTo: [], deadlineAt: null, overdue: false, formerChiefs: [] };
    const message = {
      caseId, code: c.code, type: 'case.commented', status: 'registered', actor: { id: operatorRow[0].id, role: 'operator' }, ...state,
      location: { lng: Number(c.lng), lat: Number(c.lat) }, gridCode: c.grid_cell_code, streetCode: c.street_code, categoryCode: c.category_code,
    };
    await writers.query(
      `WITH order_lock AS (SELECT pg_advisory_xact_lock(1466368001) AS locked),
       e AS (INSERT INTO case_event (case_id, type, actor_id, actor_role, actor_name, from_status, to_status, note, state, at)
             SELECT $1, 'case.commented', $2, 'operator', 'bench', 'registered', 'registered', $3, $4, clock_timestamp() FROM order_lock RETURNING seq, at)
       INSERT INTO outbox (topic, name, payload)
       SELECT 'feed', 'case.event', $5::jsonb || jsonb_build_object('seq', e.seq, 'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) FROM e`,
      [caseId, operatorRow[0].id, `巡查记录 ${i} patrol note`, state, message],
    );
    await redis.publish(keys.outboxHints, '1');
  };

  // The wall, as the leader, at 1920×1080.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  const context = await browser.newContext({ baseURL: base, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/login');
  await page.fill('input[name=username]', 'leader');
  await page.fill('input[name=password]', 'demo1234');
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.pathname !== '/login');
  await page.goto('/wall');
  await page.waitForSelector('.wall-head .feed-badge.live', { timeout: 120_000 });
  await page.waitForSelector('[data-testid=wall-ranking-streets] tr[data-group-id]', { timeout: 120_000 });
  await page.evaluate(() => (globalThis.__noReload = true));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const received = () => page.$eval('[data-testid=wall-received]', (e) => Number(e.getAttribute('data-received')));
  const sample = async (minute) => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { minute, at: new Date().toISOString().slice(11, 19), heapMb: +(m.JSHeapUsedSize / 2 ** 20).toFixed(2), nodes: m.Nodes, listeners: m.JSEventListeners, received: await received() };
  };

  // Everything before this seq was there before the measurement; the wall must receive every later one in its scope.
  await sleep(5000);
  const { rows: seqRows } = await db.query(`SELECT coalesce(max(seq), 0)::bigint AS last FROM case_event`);
  const seq0 = Number(seqRows[0].last);
  const received0 = await received();
  const samples = [await sample(0)];
  log(`measuring ${minutes} min at ${rate} events/s: ${JSON.stringify(samples[0])}`);

  const total = Math.round(rate * minutes * 60);
  const busy0 = { machine: machineBusy(), at: nowMs() };
  const t0 = nowMs();
  let sent = 0;
  let errors = 0;
  const inflight = new Set();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    const p = writeEvent(caseIds[i % caseIds.length], i).then(() => sent++, (e) => (errors++, errors < 5 && log(`write failed: ${e.message}`)));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    // a sample at each whole minute (the producer waits for it: the page is not measured mid-write)
    if ((i + 1) % (rate * 60) === 0) {
      const s = await sample((i + 1) / (rate * 60));
      samples.push(s);
      log(JSON.stringify(s));
    }
  }
  await Promise.all(inflight);
  const machineCores = +((machineBusy() - busy0.machine) / ((nowMs() - busy0.at) / 1000)).toFixed(2);
  await writers.end();

  // Drain: every event written since seq0 reaches the wall. A page behind (a loaded machine) is
  // waited for while it still makes progress; a minute without any, and what is missing is dropped.
  const { rows: countRows } = await db.query(`SELECT count(*)::int AS n FROM case_event WHERE seq > $1`, [seq0]);
  const expected = countRows[0].n;
  let got = (await received()) - received0;
  const behindAtEnd = expected - got;
  for (let last = { got, at: Date.now() }; got < expected && Date.now() - last.at < 60_000; ) {
    await sleep(1000);
    got = (await received()) - received0;
    if (got > last.got) last = { got, at: Date.now() };
  }
  log(`drained: ${got} of ${expected} (${behindAtEnd} behind when the producer stopped)`);
  const noReload = await page.evaluate(() => globalThis.__noReload === true);

  // The slope from minute 1: at minute 0 the page is idle, its live list still empty.
  const loaded = samples.slice(1);
  const xs = loaded.map((s) => s.minute);
  const heapSlopeMbPerHour = +(slope(xs, loaded.map((s) => s.heapMb)) * 60).toFixed(2);
  const nodesSlopePerHour = +(slope(xs, loaded.map((s) => s.nodes)) * 60).toFixed(1);
  const flat = loaded.length < 3 ? null : heapSlopeMbPerHour < FLAT_MB_PER_HOUR && nodesSlopePerHour < 100;
  const dropped = expected - got;
  const result = {
    bench: 'wall',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg().map((n) => +n.toFixed(2)), busyCores: machineCores },
    load: { rate, minutes, sent, errors },
    events: { expected, received: got, dropped, behindAtEnd, reloaded: !noReload },
    heapMb: samples.map((s) => s.heapMb),
    nodes: samples.map((s) => s.nodes),
    listeners: samples.map((s) => s.listeners),
    heapSlopeMbPerHour,
    flatBelowMbPerHour: FLAT_MB_PER_HOUR,
    minuteClock: samples.map((s) => s.at),
    nodesSlopePerHour,
    pageErrors,
    verdict: flat === null ? 'too short to judge (fewer than 3 samples under load: run 3 minutes or more)' : flat && dropped === 0 && errors === 0 && noReload ? 'flat, nothing dropped' : `${flat ? 'flat' : 'GROWING'}${dropped ? `, ${dropped} DROPPED` : ''}${errors ? `, ${errors} write errors` : ''}${noReload ? '' : ', RELOADED'}`,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (!(flat && dropped === 0 && errors === 0 && noReload)) process.exitCode = 1;
} finally {
  await cleanup();
}
