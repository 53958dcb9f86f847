// Benchmark: intake throughput. C concurrent HTTP clients (a load generator in its own process,
// support/report-load.mjs) post valid reports, each with its own Idempotency-Key, to a real intake
// process for T seconds (after a warm-up): mostly anonymous citizen reports, some warden reports in
// the warden's own cells (auto-registered, so they also queue a route-case job). A report counts when
// its 201 arrived, i.e. when it is durable (case, event and outbox rows committed). Afterwards: every
// 201 has its case_file row, and the outbox relay (inside intake, moving rows to BullMQ and the feed
// stream) is timed until the outbox is empty. Then `../shared/bench/raw-limit.sh T C` measures the
// raw PostGIS write limit of this machine in the same run. Prints one JSON line, with the ratio and
// intake's peak resident memory.
//
// Scale-out: BENCH_SCALE=n runs n intake, n dispatcher and n feed processes over the one Redis and
// PostgreSQL (the load generator spreads its connections over the intakes); BENCH_SCALE=1 is the
// same pipeline with one of each, to compare. Without BENCH_SCALE: one intake alone.
//
//   usage: node test/bench/intake.bench.mjs [seconds] [clients]     (defaults 15 s, 16 clients)
//   env:   BENCH_PG_URL (server; database `wangge_bench_intake` is created and dropped), BENCH_POOL
//          (intake DB_POOL_SIZE, default 10), BENCH_WARMUP (s, default 3), BENCH_WARDEN_SHARE (0.1),
//          BENCH_PORT (3991), BENCH_REDIS_URL (default: a private redis-server for the run, so that the
//          run's jobs, whose ids `outbox-<id>` restart at 1 in every fresh database, never meet the
//          jobs of other runs or of tests in the shared Redis), BENCH_RAW_LIMIT (path of raw-limit.sh),
//          BENCH_PROFILE=1 (print to stderr what intake's backends were doing, sampled every 10 ms),
//          BENCH_SCALE (see above), BENCH_BATCH_MAX / BENCH_BATCH_CONCURRENCY (intake's REPORT_BATCH_*),
//          BENCH_INTAKE_NODE_ARGS (node flags for intake instead of its production ones),
//          CPU_PROFILE_DIR=<dir> (a CPU profile of each intake over the measured run, by the preload
//          support/cpu-profile.cjs as bench:notify takes its profiles, into <dir>, which is emptied first;
//          `window.json` there names the run's reports: `node test/bench/cpu-profile-summary.mjs <dir>`).
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuProfiling } from './support/cpu-profiling.mjs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { children, cleanupOnExit, run, sleep, start, stop } from './support/processes.mjs';
import { redisKeysOf } from './support/redis-keys.mjs';
import { benchRedis, freePort, machineBusy, processCpu, processRssMb, waitHealthy } from './support/system.mjs';

const seconds = Number(process.argv[2] ?? process.env.BENCH_SECONDS ?? 15);
const clients = Number(process.argv[3] ?? process.env.BENCH_CLIENTS ?? 16);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const poolSize = Number(process.env.BENCH_POOL ?? 10);
const wardenShare = Number(process.env.BENCH_WARDEN_SHARE ?? 0.1);
const port = Number(process.env.BENCH_PORT ?? 3991);
const rawLimit = process.env.BENCH_RAW_LIMIT ?? fileURLToPath(new URL('../../../shared/bench/raw-limit.sh', import.meta.url));
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const profile = process.env.BENCH_PROFILE === '1';
const scale = process.env.BENCH_SCALE ? Number(process.env.BENCH_SCALE) : 0;
const DB = 'wangge_bench_intake';
const dbUrl = new URL(server);
dbUrl.pathname = `/${DB}`;

const admin = new pg.Client({ connectionString: server });
let db = null;
let rawLimitRunning = false;

/** Kills what this run started and drops its database; safe to call twice (finally and Ctrl-C). */
const cleanup = cleanupOnExit(async () => {
  await Promise.all(children.map((c) => stop(c)));
  // raw-limit.sh drops its database on exit; if it was cut short, make sure.
  if (rawLimitRunning) await admin.query('DROP DATABASE IF EXISTS raw_limit_bench WITH (FORCE)').catch(() => undefined);
  await db?.end().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});




/** The PostgreSQL processes of this run: the bench database's backends and the server's own workers
 * (WAL writer, checkpointer...), not the backends of other databases (other people's tests). */
async function postgresPids() {
  const { rows } = await admin.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 OR (backend_type <> 'client backend' AND datname IS NULL)`,
    [DB],
  );
  return rows.map((r) => r.pid);
}
const postgresCpu = (pids) => pids.reduce((sum, pid) => sum + processCpu(pid), 0);
async function redisCpu(redis) {
  const info = await redis.info('cpu');
  const v = (k) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return v('used_cpu_sys') + v('used_cpu_user');
}

/**
 * BENCH_PROFILE=1: samples what intake's backends are doing every 10 ms during the run (state, wait
 * event, statement), to see where a report's time goes and which lock serialises them.
 */
async function sampleBackends(ms) {
  const probe = new pg.Client({ connectionString: dbUrl.toString() });
  await probe.connect();
  const counts = new Map();
  let n = 0;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const { rows } = await probe.query(
      `SELECT state, coalesce(wait_event_type || ':' || wait_event, 'cpu/io') wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) q
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    n++;
    for (const r of rows) {
      const key = r.state === 'active' ? `active  ${r.wait.padEnd(28)} ${r.q}` : `${r.state.padEnd(7)} ${' '.repeat(29)}${r.state === 'idle' ? '' : `after: ${r.q}`}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    await sleep(10);
  }
  await probe.end();
  return { n, counts };
}
function printProfile({ n, counts }) {
  process.stderr.write(`backends of intake, mean count per sample over ${n} samples:\n`);
  for (const [key, c] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 30)) process.stderr.write(`${(c / n).toFixed(2).padStart(6)}  ${key}\n`);
}

try {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);

  const { url: redisUrl, client: redis } = await benchRedis(process.env.BENCH_REDIS_URL);

  const env = {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redisUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    INTAKE_PORT: String(port),
    LOG_LEVEL: 'warn',
    REPORT_RATE_LIMIT: '100000',
    DB_POOL_SIZE: String(poolSize),
    ...(process.env.BENCH_BATCH_MAX ? { REPORT_BATCH_MAX: process.env.BENCH_BATCH_MAX } : {}),
    ...(process.env.BENCH_BATCH_CONCURRENCY ? { REPORT_BATCH_CONCURRENCY: process.env.BENCH_BATCH_CONCURRENCY } : {}),
  };
  // seed-demo runs the migrations first, then builds the demo district.
  await run(process.execPath, ['dist/apps/cli/src/main.js', 'seed-demo', '--history-days', '0'], env);

  db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  // Random points inside random grid cells, at least ~2 m from the cell's edge so that the jitter
  // added to each report never carries a point across the district's border.
  const inside = (g) => `ST_GeneratePoints(CASE WHEN ST_IsEmpty(ST_Buffer(${g}, -0.00002)) THEN ${g} ELSE ST_Buffer(${g}, -0.00002) END, 5)`;
  const { rows: citizenPoints } = await db.query(
    `SELECT ST_X(p.geom) lng, ST_Y(p.geom) lat
       FROM (SELECT geom FROM grid_cell ORDER BY random() LIMIT 4000) c, ST_Dump(${inside('c.geom')}) p`,
  );
  const { rows: wardenPoints } = await db.query(
    `SELECT u.username, ST_X(p.geom) lng, ST_Y(p.geom) lat
       FROM app_user u JOIN warden_cell w ON w.user_id = u.id JOIN grid_cell gc ON gc.code = w.cell_code,
            ST_Dump(${inside('gc.geom')}) p
      WHERE u.username ~ '^warden[0-9]+$'`,
  );
  const [{ n: casesBefore }] = (await db.query(`SELECT count(*)::int n FROM case_file`)).rows;

  const cpuProfile = cpuProfiling(seconds);
  // The processes under test: one intake alone, or BENCH_SCALE of each kind.
  const intakes = [];
  const workers = { dispatcher: [], feed: [] };
  for (let i = 0; i < Math.max(1, scale); i++) {
    const intakePort = i === 0 ? port : await freePort();
    // The flags intake runs with in production (apps/cli start, docker/entrypoint.sh), unless told otherwise.
    const nodeArgs = (process.env.BENCH_INTAKE_NODE_ARGS ?? '--max-semi-space-size=32 --max-old-space-size=384').split(' ').filter(Boolean);
    const child = start(process.execPath, [...nodeArgs, 'dist/apps/intake/src/main.js'], { ...env, ...cpuProfile.env(`intake-${i + 1}`, env), INTAKE_PORT: String(intakePort) });
    await waitHealthy(`intake ${i + 1}`, child, `http://127.0.0.1:${intakePort}/health`);
    intakes.push({ child, port: intakePort });
  }
  for (let i = 0; i < scale; i++) {
    for (const kind of ['dispatcher', 'feed']) {
      const p = await freePort();
      const child = start(process.execPath, [`dist/apps/${kind}/src/main.js`], { ...env, [`${kind.toUpperCase()}_PORT`]: String(p) });
      await waitHealthy(`${kind} ${i + 1}`, child, `http://127.0.0.1:${p}/health`);
      workers[kind].push(child);
    }
  }
  const base = `http://127.0.0.1:${port}`;

  const categories = (await (await fetch(`${base}/api/v1/categories`)).json()).map((c) => c.code);
  // Wardens sign in through the API; each from its own (forwarded) address, as the login throttle is per client.
  const wardens = [...new Set(wardenPoints.map((p) => p.username))].sort();
  const bearer = {};
  for (const [i, username] of wardens.entries()) {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.0.${i + 1}` },
      body: JSON.stringify({ username, password: 'demo1234' }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    bearer[username] = `Bearer ${(await res.json()).accessToken}`;
  }
  const pointsOf = Object.fromEntries(wardens.map((w) => [w, wardenPoints.filter((p) => p.username === w)]));

  // The load generator, in its own process; it says when its warm-up is over and, at the end, what it got.
  const loadConfig = join(tmpdir(), `wangge-report-load-${process.pid}.json`);
  writeFileSync(
    loadConfig,
    JSON.stringify({ ports: intakes.map((i) => i.port), clients, warmupMs: warmup * 1000, runMs: seconds * 1000, wardenShare, categories, citizenPoints, pointsOf, bearer }),
  );
  const loader = start(process.execPath, [fileURLToPath(new URL('./support/report-load.mjs', import.meta.url)), loadConfig], process.env);
  const lines = createInterface({ input: loader.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the load generator stopped:\n${loader.tail}`);
    return JSON.parse(value);
  };
  await nextLine(); // {"phase":"run"}
  cpuProfile.begin();

  const pgPids = await postgresPids();
  const cpuOf = (children) => children.reduce((sum, c) => sum + processCpu(c.pid), 0);
  const cpu0 = {
    client: processCpu(loader.pid),
    intake: cpuOf(intakes.map((i) => i.child)),
    dispatcher: cpuOf(workers.dispatcher),
    feed: cpuOf(workers.feed),
    postgres: postgresCpu(pgPids),
    redis: await redisCpu(redis),
    machine: machineBusy(),
  };
  const t0 = process.hrtime.bigint();
  const sampling = profile ? sampleBackends(seconds * 1000) : null;
  // Intake's resident memory, sampled through the run (the peak of any one intake process).
  let intakeRssPeak = 0;
  const rssTimer = setInterval(() => {
    for (const i of intakes) intakeRssPeak = Math.max(intakeRssPeak, processRssMb(i.child.pid));
  }, 250);
  const result = await nextLine();
  if (cpuProfile.dir) {
    writeFileSync(join(cpuProfile.dir, 'window.json'), JSON.stringify({ seconds, reports: result.reports }));
    await cpuProfile.written(intakes.length);
  }
  clearInterval(rssTimer);
  rmSync(loadConfig, { force: true });
  const samples = await sampling;
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = {
    machine: (machineBusy() - cpu0.machine) / elapsed,
    client: (processCpu(loader.pid) - cpu0.client) / elapsed,
    intake: (cpuOf(intakes.map((i) => i.child)) - cpu0.intake) / elapsed,
    dispatcher: (cpuOf(workers.dispatcher) - cpu0.dispatcher) / elapsed,
    feed: (cpuOf(workers.feed) - cpu0.feed) / elapsed,
    postgres: (postgresCpu(pgPids) - cpu0.postgres) / elapsed,
    redis: ((await redisCpu(redis)) - cpu0.redis) / elapsed,
  };
  cpu.other = cpu.machine - cpu.client - cpu.intake - cpu.dispatcher - cpu.feed - cpu.postgres - cpu.redis;
  const reports = result.reports;
  const created = result.created;
  const createdWarden = result.createdWarden;
  const errors = new Map(Object.entries(result.errors));
  const batchText = await (await fetch(`${base}/metrics`)).text();
  const metric = (name) => Number(new RegExp(`^${name} ([0-9.]+)$`, 'm').exec(batchText)?.[1] ?? NaN);
  const meanBatch = metric('wangge_report_batched_total') / metric('wangge_report_batches_total');

  // The relay's backlog when the load stops, and how long it takes to empty it.
  const stopped = Date.now();
  const [{ n: outboxAtStop }] = (await db.query(`SELECT count(*)::int n FROM outbox`)).rows;
  for (;;) {
    const [{ n }] = (await db.query(`SELECT count(*)::int n FROM outbox`)).rows;
    if (n === 0) break;
    if (Date.now() - stopped > 120_000) throw new Error(`outbox still holds ${n} rows two minutes after the load`);
    await sleep(50);
  }
  const outboxDrain = (Date.now() - stopped) / 1000;
  const [{ n: durable }] = (await db.query(`SELECT count(*)::int - $1 n FROM case_file`, [casesBefore])).rows;
  const [{ n: registered }] = (await db.query(`SELECT count(*)::int n FROM case_file WHERE status <> 'reported'`)).rows;
  const keys = await redisKeysOf(db);
  const routeJobs = await redis.eval(`return #redis.call('keys', ARGV[1])`, 0, `${keys.prefix}:routing:outbox-*`);
  const feedLength = await redis.xlen(keys.feedStream);
  redis.disconnect();
  if (samples) printProfile(samples);
  await Promise.all([...intakes.map((i) => i.child), ...workers.dispatcher, ...workers.feed].map((c) => stop(c)));

  rawLimitRunning = true;
  const raw = JSON.parse((await run('bash', [rawLimit, String(seconds), String(clients)], process.env)).trim().split('\n').pop());
  rawLimitRunning = false;

  const perS = reports / result.elapsed;
  const r2 = (x) => +x.toFixed(2);
  console.log(
    JSON.stringify({
      bench: 'intake',
      date: new Date().toISOString(),
      clients,
      seconds,
      reports,
      reports_per_s: +perS.toFixed(1),
      p50_ms: result.p50,
      p99_ms: result.p99,
      errors: [...errors.values()].reduce((a, b) => a + b, 0),
      ...(errors.size > 0 ? { error_samples: Object.fromEntries(errors) } : {}),
      created_total: created,
      durable_rows: durable,
      durable_ok: durable === created,
      warden_reports: createdWarden,
      registered_cases: registered,
      route_jobs_in_redis: routeJobs,
      feed_entries: feedLength,
      outbox_at_stop: outboxAtStop,
      outbox_drain_s: r2(outboxDrain),
      raw_limit_tps: raw.raw_limit_tps,
      raw_limit_latency_ms: raw.latency_ms,
      ratio: +(perS / raw.raw_limit_tps).toFixed(3),
      pool: poolSize,
      processes: { intake: intakes.length, dispatcher: workers.dispatcher.length, feed: workers.feed.length },
      mean_batch: +meanBatch.toFixed(1),
      intake_rss_peak_mb: Math.round(intakeRssPeak),
      cpu_cores: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, r2(v)])),
    }),
  );
  if (errors.size > 0 || durable !== created) process.exitCode = 1;
} finally {
  await cleanup();
}
