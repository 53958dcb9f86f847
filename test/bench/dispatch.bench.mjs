// Benchmark: dispatch latency. Warden reports (auto-registered at intake, which writes a `route-case`
// job through the outbox) are sent to a real intake process at a steady rate, open loop (each request
// leaves at its scheduled time whatever the earlier answers did), while a real dispatcher process routes
// and dispatches them. A case's latency is its `case.dispatched` event's `at` minus its
// `case.registered` event's `at` (both from case_event; both stamped by the processes' clocks on this
// one machine). Also measured: HTTP 201 (as the client saw it) → the `case.dispatched` message on the
// live-feed stream (as the client saw it), and where a case's time goes, from the routing job's
// BullMQ timestamps: registered → job added (outbox relay), added → taken (queue wait), taken →
// dispatch stamped (routing reads), stamped → job done (dispatch transaction and its commit).
// After the load it waits until every case is dispatched (or gives up and says how many were not).
// Prints one JSON line.
//
//   usage: node test/bench/dispatch.bench.mjs [rate] [seconds]     (defaults 200 reports/s, 30 s)
//   env:   BENCH_RATE, BENCH_SECONDS (as the arguments), BENCH_WARMUP (s at the same rate before the
//          measured part, not counted; default 3), BENCH_WAIT (s to wait for the last answers and
//          dispatches, 120),
//          BENCH_PG_URL (server; database `wangge_bench_dispatch` is created and dropped),
//          BENCH_REDIS_URL (default: a private redis-server for the run, so its queues meet no other
//          dispatcher and its job ids `outbox-<id>`, which restart at 1 in a fresh database, no old job),
//          BENCH_OUTBOX_POLL_MS (OUTBOX_POLL_MS of both processes, default 100),
//          DISPATCHER_CONCURRENCY, DB_POOL_SIZE (passed through to both processes when set),
//          BENCH_PROFILE=1 (samples pg_stat_activity every 10 ms: what each process's backends wait on).
import { Queue } from 'bullmq';
import pg from 'pg';
import { children, cleanupOnExit, sleep, start, stop } from './support/processes.mjs';
import { redisKeysOf } from './support/redis-keys.mjs';
import { benchRedis, freePort, machineBusy, nowMs, processCpu, waitHealthy } from './support/system.mjs';
import { commits as commitsOf, openLoop, pct, postgresCpu, postgresPids as pidsOf, redisCpu as redisCpuOf, reportSender, seedWardenRun, signIn, summary } from './support/warden-reports.mjs';

const rate = Number(process.argv[2] ?? process.env.BENCH_RATE ?? 200);
const seconds = Number(process.argv[3] ?? process.env.BENCH_SECONDS ?? 30);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const waitSeconds = Number(process.env.BENCH_WAIT ?? 120);
const outboxPollMs = Number(process.env.BENCH_OUTBOX_POLL_MS ?? 100);
const profile = process.env.BENCH_PROFILE === '1';
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'wangge_bench_dispatch';
const dbUrl = new URL(server);
dbUrl.pathname = `/${DB}`;

const admin = new pg.Client({ connectionString: server });
let db = null;
let sender = null;
let redis = null;
let feedReader = null;
let routing = null;
let aborted = false;

/** Kills what this run started and drops its database; safe to call twice (finally and Ctrl-C). */
const cleanup = cleanupOnExit(async () => {
  aborted = true;
  sender?.destroy();
  feedReader?.disconnect();
  await routing?.close().catch(() => undefined);
  redis?.disconnect();
  await Promise.all(children.map((c) => stop(c)));
  await db?.end().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

const postgresPids = () => pidsOf(admin, DB);
const commits = () => commitsOf(admin, DB);
const redisCpu = () => redisCpuOf(redis);

/** BENCH_PROFILE=1: what the processes' backends are doing, sampled every 10 ms. */
async function sampleBackends(until) {
  const probe = new pg.Client({ connectionString: dbUrl.toString() });
  await probe.connect();
  const counts = new Map();
  let n = 0;
  while (Date.now() < until && !aborted) {
    const { rows } = await probe.query(
      `SELECT application_name app, state, coalesce(wait_event_type || ':' || wait_event, 'cpu/io') wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) q
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    n++;
    for (const r of rows) {
      const app = (r.app || '?').replace('wangge-', '').padEnd(10);
      const state = r.state ?? '?'; // null while a backend starts
      const key = state === 'active' ? `${app} active  ${(r.wait ?? '?').padEnd(28)} ${r.q}` : `${app} ${state.padEnd(7)} ${' '.repeat(29)}${state === 'idle' ? '' : `after: ${r.q}`}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    await sleep(10);
  }
  await probe.end();
  return { n, counts };
}
function printProfile({ n, counts }) {
  process.stderr.write(`backends, mean count per sample over ${n} samples:\n`);
  for (const [key, c] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stderr.write(`${(c / n).toFixed(2).padStart(6)}  ${key}\n`);
}

try {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);

  const { url: redisUrl, client } = await benchRedis(process.env.BENCH_REDIS_URL);
  redis = client;

  const intakePort = await freePort();
  const dispatcherPort = await freePort();
  const total = Math.ceil(rate * (warmup + seconds));
  const seeded = await seedWardenRun({ dbUrl: dbUrl.toString(), redisUrl, ports: { intake: intakePort, dispatcher: dispatcherPort }, outboxPollMs, total });
  const { env, cells, categories, wardens } = seeded;
  db = seeded.db;

  const intake = start(process.execPath, ['dist/apps/intake/src/main.js'], env);
  const dispatcher = start(process.execPath, ['dist/apps/dispatcher/src/main.js'], env);
  const base = `http://127.0.0.1:${intakePort}`;
  await waitHealthy('intake', intake, `${base}/health`);
  await waitHealthy('dispatcher', dispatcher, `http://127.0.0.1:${dispatcherPort}/health`);

  const tokens = await signIn(base, wardens);
  const keys = await redisKeysOf(db);

  // The live feed, read from now on: when the client sees each case's dispatch.
  const seenDispatched = new Map();
  feedReader = redis.duplicate({ maxRetriesPerRequest: null });
  feedReader.on('error', () => undefined);
  const feedStart = (await redis.xrevrange(keys.feedStream, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
  const feedLoop = (async () => {
    let last = feedStart;
    while (!aborted) {
      let answer;
      try {
        answer = await feedReader.xread('COUNT', 1000, 'BLOCK', 500, 'STREAMS', keys.feedStream, last);
      } catch {
        if (aborted) return;
        await sleep(50);
        continue;
      }
      const at = nowMs();
      for (const [, entries] of answer ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const message = JSON.parse(fields[fields.indexOf('message') + 1]);
          if (message.type === 'case.dispatched' && !seenDispatched.has(message.caseId)) seenDispatched.set(message.caseId, at);
        }
      }
    }
  })();

  sender = reportSender({ port: intakePort, cells, categories, tokens });
  const { sent, errors } = sender;
  const warmupCount = Math.round(rate * warmup);
  const measuredCount = Math.round(rate * seconds);
  let cpu0 = null;
  let pgPids = [];
  const loaded = openLoop({
    rate,
    warmupCount,
    measuredCount,
    send: sender.post,
    aborted: () => aborted,
    onMeasure: () => (cpu0 = { client: process.cpuUsage(), intake: processCpu(intake.pid), dispatcher: processCpu(dispatcher.pid), machine: machineBusy() }),
  });
  // CPU of PostgreSQL and Redis from the start of the measured part (the backends exist by then).
  const cpuStart = (async () => {
    while (!cpu0 && !aborted) await sleep(5);
    pgPids = await postgresPids();
    return { postgres: postgresCpu(pgPids), redis: await redisCpu(), commits: await commits() };
  })();
  const sampling = profile
    ? sampleBackends(Date.now() + (warmup + seconds) * 1000 + 2000).catch((err) => {
        process.stderr.write(`profile sampling stopped: ${String(err)}\n`);
        return null;
      })
    : null;
  const { t0, lags, lagMax } = await loaded;
  const elapsed = (nowMs() - t0) / 1000;
  const cpuPg0 = await cpuStart;
  const clientCpu = process.cpuUsage(cpu0.client);
  const cpu = {
    machine: (machineBusy() - cpu0.machine) / elapsed,
    client: (clientCpu.user + clientCpu.system) / 1e6 / elapsed,
    intake: (processCpu(intake.pid) - cpu0.intake) / elapsed,
    dispatcher: (processCpu(dispatcher.pid) - cpu0.dispatcher) / elapsed,
    postgres: (postgresCpu(pgPids) - cpuPg0.postgres) / elapsed,
    redis: ((await redisCpu()) - cpuPg0.redis) / elapsed,
  };
  const commitsDuringLoad = (await commits()) - cpuPg0.commits;
  cpu.other = cpu.machine - cpu.client - cpu.intake - cpu.dispatcher - cpu.postgres - cpu.redis;

  // Every answer, then every case dispatched (or give up after BENCH_WAIT seconds).
  const stopped = Date.now();
  while (sent.some((r) => r.answeredAt === null) && Date.now() - stopped < waitSeconds * 1000) await sleep(20);
  // The cases counted are the ones answered by now; an answer still missing counts as unanswered.
  const answered = sent.filter((r) => r.caseId).map((r) => ({ ...r }));
  const unanswered = sent.filter((r) => r.measured && r.answeredAt === null).length;
  const createdIds = answered.map((r) => r.caseId);
  let dispatchedCount = 0;
  for (;;) {
    const [{ n }] = (await db.query(`SELECT count(*)::int n FROM case_file WHERE id = ANY($1::uuid[]) AND status <> 'registered' AND status <> 'reported'`, [createdIds])).rows;
    dispatchedCount = n;
    if (n === createdIds.length || Date.now() - stopped > waitSeconds * 1000) break;
    await sleep(100);
  }
  const drainSeconds = (Date.now() - stopped) / 1000;
  await sleep(300); // the last feed messages
  const samples = await sampling;

  const { rows: events } = await db.query(
    `SELECT c.id, c.status,
            (SELECT min(at) FROM case_event e WHERE e.case_id = c.id AND e.type = 'case.registered') registered_at,
            (SELECT min(at) FROM case_event e WHERE e.case_id = c.id AND e.type = 'case.dispatched') dispatched_at
       FROM case_file c WHERE c.id = ANY($1::uuid[])`,
    [createdIds],
  );
  const byCase = new Map(events.map((e) => [e.id, e]));

  // The routing jobs: when each was added, taken and finished (BullMQ keeps completed jobs).
  routing = new Queue('routing', { connection: { url: redisUrl }, prefix: keys.prefix });
  const jobs = [...(await routing.getCompleted(0, -1)), ...(await routing.getFailed(0, -1))];
  const jobOf = new Map();
  const failedReasons = new Map();
  let skipped = 0;
  for (const job of jobs) {
    if (job.failedReason) failedReasons.set(job.failedReason.replace(/case \S+: /, ''), (failedReasons.get(job.failedReason.replace(/case \S+: /, '')) ?? 0) + 1);
    if (job.returnvalue?.kind === 'skipped') skipped++;
    if (job.returnvalue?.kind === 'dispatched') jobOf.set(job.data.caseId, job);
  }
  const [{ n: outboxLeft }] = (await db.query(`SELECT count(*)::int n FROM outbox`)).rows;

  const measured = answered.filter((r) => r.measured);
  const lat = [];
  const e2e = [];
  const sentToFeed = [];
  const httpMs = [];
  const stage = { relay: [], queue: [], routing_reads: [], dispatch_tx: [] };
  let registered = 0;
  let dispatched = 0;
  for (const r of measured) {
    httpMs.push(r.answeredAt - r.sentAt);
    const ev = byCase.get(r.caseId);
    if (!ev?.registered_at) continue;
    registered++;
    if (!ev.dispatched_at) continue;
    dispatched++;
    const reg = new Date(ev.registered_at).getTime();
    const dis = new Date(ev.dispatched_at).getTime();
    lat.push(dis - reg);
    const seen = seenDispatched.get(r.caseId);
    if (seen) {
      e2e.push(seen - r.answeredAt);
      sentToFeed.push(seen - r.sentAt);
    }
    const job = jobOf.get(r.caseId);
    if (job) {
      stage.relay.push(job.timestamp - reg);
      stage.queue.push(job.processedOn - job.timestamp);
      stage.routing_reads.push(dis - job.processedOn);
      stage.dispatch_tx.push(job.finishedOn - dis);
    }
  }
  const created = measured.length;
  const r2 = (x) => +x.toFixed(2);
  const latency = summary(lat);
  console.log(
    JSON.stringify({
      bench: 'dispatch',
      date: new Date().toISOString(),
      rate_target: rate,
      rate_achieved: +(measuredCount / elapsed).toFixed(1),
      seconds,
      cases: created,
      dispatched,
      not_dispatched: created - dispatched,
      p50_ms: latency.p50,
      p90_ms: latency.p90,
      p99_ms: latency.p99,
      max_ms: latency.max,
      dispatcher_concurrency: Number(process.env.DISPATCHER_CONCURRENCY ?? 8),
      outbox_poll_ms: outboxPollMs,
      db_pool: Number(process.env.DB_POOL_SIZE ?? 10),
      not_registered: created - registered,
      http_201_ms: summary(httpMs),
      e2e_201_to_feed_ms: { ...summary(e2e), n: e2e.length },
      sent_to_feed_ms: summary(sentToFeed),
      unanswered,
      in_flight_max: sender.state.inFlightMax,
      stages_ms: Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, summary(v)])),
      send_lag_ms: { p99: pct(lags, 0.99), max: r2(lagMax) },
      errors: [...errors.values()].reduce((a, b) => a + b, 0),
      ...(errors.size > 0 ? { error_samples: Object.fromEntries([...errors].slice(0, 5)) } : {}),
      route_jobs: jobs.length,
      route_jobs_skipped: skipped,
      ...(failedReasons.size > 0 ? { route_jobs_failed: Object.fromEntries(failedReasons) } : {}),
      all_dispatched_s_after_load: r2(drainSeconds),
      all_cases_dispatched: dispatchedCount === createdIds.length,
      outbox_left: outboxLeft,
      pg_commits_per_report: r2(commitsDuringLoad / measuredCount),
      cpu_cores: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, r2(v)])),
    }),
  );
  if (samples) printProfile(samples);
  if (errors.size > 0 || created - dispatched > 0) {
    process.stderr.write(`intake output (tail):\n${intake.tail.slice(-3000)}\ndispatcher output (tail):\n${dispatcher.tail.slice(-3000)}\n`);
  }
  if (cpu.other > 0.25) {
    process.stderr.write(`warning: other work on this machine used ${r2(cpu.other)} cores during the run; the figures are disturbed\n`);
  }
  if (errors.size > 0 || created - dispatched > 0) process.exitCode = 1;
  void feedLoop;
} finally {
  await cleanup();
}
