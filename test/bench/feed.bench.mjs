// Benchmark: the live feed's fan-out. One feed process holds N authenticated, district-wide
// connections (the command center's view: every connection receives every event); case events are
// produced at a steady rate, open loop, go through the outbox, the intake's outbox relay, the Redis
// stream and the feed, and are
// received by load-generating child processes that speak the socket.io wire protocol over raw
// WebSockets (cheap clients, so the feed is what is measured). Reported:
//   - connections held by the one feed process, how long they took to connect, its resident memory
//     idle (connected) and at its peak under load, and its CPU;
//   - fan-out latency: from the moment the event entered the Redis stream (its entry id's time) to
//     its arrival at each client, p50 / p99 / max over every (event, client) pair;
//   - end to end: from the event's own time (stamped in the transaction that wrote it) to arrival;
//   - losses: gaps, duplicates, out-of-order events, connections cut off (and why).
// Producers (BENCH_PRODUCER): `sql` (default) writes each event as the workflow's event store does
// (a `case.commented` case event under the event-order lock, and its outbox row, in one statement)
// and hints the relay: cheap, so on 2 cores the feed is what is measured; `http` makes each event a
// real comment through `POST /api/v1/cases/:id/comment` (the whole write path shares the machine).
// Prints one JSON line.
//
//   usage: node test/bench/feed.bench.mjs [clients] [rate] [seconds]     (defaults 5000, 100 events/s, 20 s)
//   env:   BENCH_CLIENTS, BENCH_RATE, BENCH_SECONDS (as the arguments), BENCH_WARMUP (s at the rate,
//          not counted; default 3), BENCH_CLIENT_PROCS (load-generating processes, default 2),
//          BENCH_PG_URL (server; database `wangge_bench_feed` is created and dropped),
//          CPU_PROFILE_DIR=<dir> (a CPU profile of the feed over the measured seconds, support/cpu-profiling.mjs;
//          summarise with test/bench/cpu-profile-summary.mjs <dir>),
//          BENCH_FEED_FLAGS (more node flags for the feed, e.g. `--max-semi-space-size=32`),
//          BENCH_PIN_CLIENTS=<cpu list> (`taskset`: the load generators run on those cores only, e.g. `1`,
//          so that they cannot take the feed's core; printed with the result),
//          FEED_MAX_BUFFERED_EVENTS and other FEED_* settings are passed through to the feed.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { children, cleanupOnExit, run, sleep, start, stop } from './support/processes.mjs';
import { redisKeysOf } from './support/redis-keys.mjs';
import { benchRedis, freePort, machineBusy, nowMs, processCpu, processRssMb, waitHealthy } from './support/system.mjs';
import { cpuProfiling } from './support/cpu-profiling.mjs';

const clientsWanted = Number(process.argv[2] ?? process.env.BENCH_CLIENTS ?? 5000);
const rate = Number(process.argv[3] ?? process.env.BENCH_RATE ?? 100);
const seconds = Number(process.argv[4] ?? process.env.BENCH_SECONDS ?? 20);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const clientProcs = Number(process.env.BENCH_CLIENT_PROCS ?? 2);
const producer = process.env.BENCH_PRODUCER ?? 'sql';
const pinClients = process.env.BENCH_PIN_CLIENTS || null;
const feedFlags = (process.env.BENCH_FEED_FLAGS ?? '').split(' ').filter(Boolean);
if (!['sql', 'http'].includes(producer)) throw new Error(`BENCH_PRODUCER must be sql or http, not ${producer}`);
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'wangge_bench_feed';
const dbUrl = new URL(server);
dbUrl.pathname = `/${DB}`;
const CLIENT = fileURLToPath(new URL('./support/feed-clients.mjs', import.meta.url));

const admin = new pg.Client({ connectionString: server });
let db = null;
let agent = null;
let redis = null;
const workers = [];

const cleanup = cleanupOnExit(async () => {
  agent?.destroy();
  redis?.disconnect();
  for (const w of workers) w.kill('SIGKILL');
  await Promise.all(children.map((c) => stop(c)));
  await db?.end().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

const percentile = (h, p) => {
  const total = h.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i];
    if (seen >= p * total) return i;
  }
  return h.length - 1;
};
const summary = (h) => ({ p50: percentile(h, 0.5), p90: percentile(h, 0.9), p99: percentile(h, 0.99), max: percentile(h, 1) });
const merge = (hs) => hs.reduce((acc, h) => acc.map((v, i) => v + h[i]));

function post(port, path, body, auth) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...(auth ? { authorization: auth } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.once('error', reject);
    req.end(data);
  });
}

function ask(worker, message, answerType) {
  return new Promise((resolve) => {
    const onMessage = (m) => {
      if (m.type === answerType) {
        worker.off('message', onMessage);
        resolve(m);
      }
    };
    worker.on('message', onMessage);
    worker.send(message);
  });
}

try {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const { url: redisUrl, client } = await benchRedis();
  redis = client;

  const [intakePort, feedPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redisUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    INTAKE_PORT: String(intakePort),
    FEED_PORT: String(feedPort),
    LOG_LEVEL: 'warn',
    REPORT_RATE_LIMIT: '100000',
    OUTBOX_POLL_MS: '50',
  };
  await run(process.execPath, ['dist/apps/cli/src/main.js', 'seed-demo', '--history-days', '0'], env);
  db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();

  const intake = start(process.execPath, ['dist/apps/intake/src/main.js'], env);
  const profiles = cpuProfiling(seconds);
  const feed = start(process.execPath, ['--max-old-space-size=1024', ...feedFlags, 'dist/apps/feed/src/main.js'], { ...env, ...profiles.env('feed', env) });
  await waitHealthy('intake', intake, `http://127.0.0.1:${intakePort}/health`);
  await waitHealthy('feed', feed, `http://127.0.0.1:${feedPort}/health`);
  const rssStart = processRssMb(feed.pid);
  const keys = await redisKeysOf(db);

  agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const login = async (username) => {
    const res = await fetch(`http://127.0.0.1:${intakePort}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'demo1234' }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return (await res.json()).accessToken;
  };
  const operator = await login('operator');
  const leader = await login('leader');

  // Cases to comment on: anonymous reports in distinct cells, registered by the operator.
  const { rows: cells } = await db.query(`SELECT ST_X(ST_PointOnSurface(geom)) lng, ST_Y(ST_PointOnSurface(geom)) lat FROM grid_cell ORDER BY md5(code) LIMIT 64`);
  const caseIds = [];
  for (const c of cells) {
    const res = await post(intakePort, '/api/v1/cases', { categoryCode: 'C0101', description: '井盖缺失 manhole cover missing', location: { lng: c.lng, lat: c.lat } });
    if (res.status !== 201) throw new Error(`report: ${res.status} ${res.text}`);
    const id = JSON.parse(res.text).id;
    const reg = await post(intakePort, `/api/v1/cases/${id}/register`, {}, `Bearer ${operator}`);
    if (reg.status !== 200) throw new Error(`register: ${reg.status} ${reg.text}`);
    caseIds.push(id);
  }

  // The sql producer: the event store's own statement (event-order lock, case event, outbox row).
  const { rows: caseRows } = await db.query(
    `SELECT id, code, ST_X(location) lng, ST_Y(location) lat, grid_cell_code, street_code, category_code FROM case_file WHERE id = ANY($1::uuid[])`,
    [caseIds],
  );
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

  // The clients: leader tokens (district-wide), spread over the load-generating processes.
  const per = Math.ceil(clientsWanted / clientProcs);
  for (let i = 0; i < clientProcs; i++) {
    const n = Math.min(per, clientsWanted - i * per);
    const w = fork(CLIENT, [`http://127.0.0.1:${feedPort}`, leader, String(n), redisUrl, '100', keys.feedStream], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    workers.push(w);
    if (pinClients) execFileSync('taskset', ['-a', '-p', '-c', pinClients, String(w.pid)], { stdio: 'ignore' });
    await new Promise((resolve) => w.once('message', resolve));
  }
  const cpuConnect0 = processCpu(feed.pid);
  const connecting = await Promise.all(workers.map((w) => ask(w, { type: 'connect' }, 'connected')));
  const connected = connecting.reduce((n, c) => n + c.connected, 0);
  const connectMs = Math.max(...connecting.map((c) => c.ms));
  const cpuConnect = processCpu(feed.pid) - cpuConnect0;
  await sleep(2000); // past the resume grace: every connection is live
  const rssIdle = processRssMb(feed.pid);

  // The load: one comment every 1/rate s, open loop.
  const measureFrom = Date.now() + warmup * 1000;
  for (const w of workers) w.send({ type: 'measure', from: measureFrom });
  let rssPeak = rssIdle;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, processRssMb(feed.pid))), 250);
  const total = Math.round(rate * (warmup + seconds));
  const t0 = nowMs();
  let errors = 0;
  let sent = 0;
  const inflight = [];
  let cpu0 = null;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    if (cpu0 === null && nowMs() >= t0 + warmup * 1000) profiles.begin();
    if (cpu0 === null && nowMs() >= t0 + warmup * 1000) cpu0 = { feed: processCpu(feed.pid), intake: processCpu(intake.pid), clients: workers.reduce((n, w) => n + processCpu(w.pid), 0), machine: machineBusy(), at: nowMs() };
    const caseId = caseIds[i % caseIds.length];
    const write =
      producer === 'http'
        ? post(intakePort, `/api/v1/cases/${caseId}/comment`, { note: `巡查记录 ${i} patrol note` }, `Bearer ${operator}`).then((r) => r.status === 200)
        : writeEvent(caseId, i).then(() => true);
    inflight.push(write.then((ok) => (ok ? sent++ : errors++), () => errors++));
  }
  await Promise.all(inflight);
  const elapsed = (nowMs() - cpu0.at) / 1000;
  const cpu = {
    feed: +((processCpu(feed.pid) - cpu0.feed) / elapsed).toFixed(2),
    intake: +((processCpu(intake.pid) - cpu0.intake) / elapsed).toFixed(2),
    clients: +((workers.reduce((n, w) => n + processCpu(w.pid), 0) - cpu0.clients) / elapsed).toFixed(2),
    machine: +((machineBusy() - cpu0.machine) / elapsed).toFixed(2),
  };
  const { rows: lastRows } = await db.query(`SELECT max(seq)::int AS last FROM case_event`);
  const reports = await Promise.all(workers.map((w) => ask(w, { type: 'report', lastSeq: lastRows[0].last }, 'report')));
  clearInterval(sampler);
  await writers.end();
  await profiles.written(1);

  const fanout = merge(reports.map((r) => r.fanout));
  const endToEnd = merge(reports.map((r) => r.endToEnd));
  const sum = (k) => reports.reduce((n, r) => n + r.tally[k], 0);
  const closings = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.tally.closings)) closings[k] = (closings[k] ?? 0) + v;
  const result = {
    bench: 'feed',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    clients: { wanted: clientsWanted, connected, connectSeconds: +(connectMs / 1000).toFixed(1), connectCpuSeconds: +cpuConnect.toFixed(1), processes: clientProcs, pinnedTo: pinClients },
    feedFlags,
    load: { producer, rate, seconds, warmup, events: sent, errors },
    deliveries: { counted: sum('counted'), received: sum('received'), perSecond: Math.round(sum('counted') / seconds) },
    fanoutMs: summary(fanout),
    endToEndMs: summary(endToEnd),
    losses: { gaps: sum('gaps'), duplicates: sum('duplicates'), outOfOrder: sum('outOfOrder'), behindAtEnd: sum('behind'), disconnected: sum('disconnected'), closings, unmatched: sum('unmatched') },
    feedRssMb: { start: Math.round(rssStart), idleConnected: Math.round(rssIdle), peak: Math.round(rssPeak), perConnectionKb: Math.round(((rssIdle - rssStart) * 1024) / Math.max(1, connected)) },
    cpuCores: cpu,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const other = cpu.machine - cpu.feed - cpu.intake - cpu.clients;
  if (other > 0.5) process.stderr.write(`warning: other work (PostgreSQL, Redis, anything else on this machine) used ${other.toFixed(2)} cores during the run\n`);
} finally {
  await cleanup();
}
