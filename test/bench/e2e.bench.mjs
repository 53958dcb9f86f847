// Benchmark: end to end, from a warden's report to the people who act on it. Warden reports (each
// registers itself and queues a `route-case` job through the outbox) are sent to a real intake at a
// steady rate, open loop, while a real dispatcher routes and dispatches them and a real feed process
// pushes every case event to socket.io clients connected to `/feed` like the console's: the command
// center (one district-wide `leader` connection) and every chief of the demo roster (one connection
// each, `chief:<id>` room). Per report, from the moment its HTTP 201 arrived:
//   - chief: until the connection of the chief the `case.dispatched` event names as assignee received
//     that event;
//   - center: until the command center's connection received it.
// Also from the moment the report was sent (what the warden lives through when intake is the queue).
// After the load it waits (bounded) until every answered case has reached its chief, then reports
// what it saw, including how many reached their chief while the load was still running. Prints one
// JSON line.
//
//   usage: node test/bench/e2e.bench.mjs [rate] [seconds]     (defaults 200 reports/s, 30 s)
//   env:   BENCH_RATE, BENCH_SECONDS (as the arguments), BENCH_WARMUP (s at the same rate before the
//          measured part, not counted; default 3), BENCH_WAIT (s to wait for the last answers and
//          dispatches, 150), BENCH_PG_URL (server; database `wangge_bench_e2e` is created and dropped),
//          BENCH_OUTBOX_POLL_MS (OUTBOX_POLL_MS of intake and dispatcher, default 100),
//          CPU_PROFILE_DIR=<dir> (a CPU profile of intake, dispatcher and feed over the measured part,
//          support/cpu-profiling.mjs; summarise with test/bench/cpu-profile-summary.mjs <dir>),
//          DISPATCHER_CONCURRENCY, DB_POOL_SIZE, FEED_* (passed through to the processes when set).
//   A private redis-server is started for the run (its queues and stream meet no other process).
import os from 'node:os';
import pg from 'pg';
import { io } from 'socket.io-client';
import { children, cleanupOnExit, sleep, start, stop } from './support/processes.mjs';
import { benchRedis, freePort, machineBusy, nowMs, processCpu, waitHealthy } from './support/system.mjs';
import { commits, openLoop, pct, postgresCpu, postgresPids, redisCpu, reportSender, seedWardenRun, signIn, summary } from './support/warden-reports.mjs';
import { cpuProfiling } from './support/cpu-profiling.mjs';

const rate = Number(process.argv[2] ?? process.env.BENCH_RATE ?? 200);
const seconds = Number(process.argv[3] ?? process.env.BENCH_SECONDS ?? 30);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const waitSeconds = Number(process.env.BENCH_WAIT ?? 150);
const outboxPollMs = Number(process.env.BENCH_OUTBOX_POLL_MS ?? 100);
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'wangge_bench_e2e';
const dbUrl = new URL(server);
dbUrl.pathname = `/${DB}`;

const admin = new pg.Client({ connectionString: server });
let db = null;
let redis = null;
let sender = null;
const sockets = [];
let aborted = false;

/** Kills what this run started and drops its database; safe to call twice (finally and Ctrl-C). */
const cleanup = cleanupOnExit(async () => {
  aborted = true;
  for (const s of sockets) s.disconnect();
  sender?.destroy();
  redis?.disconnect();
  await Promise.all(children.map((c) => stop(c)));
  await db?.end().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

/**
 * A feed connection as the console makes it (WebSocket, `auth.afterSeq` kept current so that a
 * reconnect resumes without a gap). `onEvent(event, at)` gets every `case.event` with its arrival time.
 */
function connectFeed(url, token, onEvent, tally) {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/feed`, { auth: { token }, transports: ['websocket'], reconnectionDelay: 200, timeout: 30_000 });
    sockets.push(socket);
    socket.io.on('open', () => (socket.receiveBuffer = []));
    socket.on('case.event', (e) => {
      onEvent(e, nowMs());
      socket.auth = { token, afterSeq: e.seq };
    });
    socket.on('feed.closing', ({ reason }) => (tally.closings[reason] = (tally.closings[reason] ?? 0) + 1));
    socket.on('disconnect', (reason) => {
      if (!aborted) tally.disconnects[reason] = (tally.disconnects[reason] ?? 0) + 1;
    });
    socket.once('feed.ready', () => resolve(socket));
    socket.once('connect_error', (err) => (socket.connected ? undefined : reject(new Error(`feed connect: ${err.message}`))));
  });
}

try {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const { url: redisUrl, client } = await benchRedis();
  redis = client;

  const [intakePort, dispatcherPort, feedPort] = [await freePort(), await freePort(), await freePort()];
  const total = Math.ceil(rate * (warmup + seconds));
  const ports = { intake: intakePort, dispatcher: dispatcherPort, feed: feedPort };
  const seeded = await seedWardenRun({ dbUrl: dbUrl.toString(), redisUrl, ports, outboxPollMs, total });
  const { env, cells, categories, wardens } = seeded;
  db = seeded.db;
  const { rows: chiefs } = await db.query(`SELECT c.id, u.username FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE u.active ORDER BY c.id`);

  const profiles = cpuProfiling(seconds);
  const intake = start(process.execPath, ['dist/apps/intake/src/main.js'], { ...env, ...profiles.env('intake', env) });
  const dispatcher = start(process.execPath, ['dist/apps/dispatcher/src/main.js'], { ...env, ...profiles.env('dispatcher', env) });
  const feed = start(process.execPath, ['dist/apps/feed/src/main.js'], { ...env, ...profiles.env('feed', env) });
  const base = `http://127.0.0.1:${intakePort}`;
  const feedUrl = `http://127.0.0.1:${feedPort}`;
  await waitHealthy('intake', intake, `${base}/health`);
  await waitHealthy('dispatcher', dispatcher, `http://127.0.0.1:${dispatcherPort}/health`);
  await waitHealthy('feed', feed, `${feedUrl}/health`);

  const tokens = await signIn(base, [...wardens, 'leader', ...chiefs.map((c) => c.username)], { concurrency: 4 });

  // What the sockets saw: the command center every case's first `case.dispatched` (and whom it
  // names), each chief's connection the dispatches of cases it received.
  const tally = { closings: {}, disconnects: {} };
  const center = new Map(); // caseId → { at, assignee }
  const centerTypes = {};
  await connectFeed(feedUrl, tokens.leader, (e, at) => {
    centerTypes[e.type] = (centerTypes[e.type] ?? 0) + 1;
    if (e.type === 'case.dispatched' && !center.has(e.caseId)) center.set(e.caseId, { at, assignee: e.assignee?.id ?? null });
  }, tally);
  const atChief = new Map(); // chief id → Map caseId → arrival
  let chiefEvents = 0;
  for (let k = 0; k < chiefs.length; k += 25) {
    await Promise.all(
      chiefs.slice(k, k + 25).map((chief) => {
        const seen = new Map();
        atChief.set(chief.id, seen);
        return connectFeed(feedUrl, tokens[chief.username], (e, at) => {
          chiefEvents++;
          if (e.type === 'case.dispatched' && !seen.has(e.caseId)) seen.set(e.caseId, at);
        }, tally);
      }),
    );
  }
  await sleep(1500); // past FEED_RESUME_GRACE_MS: every connection is live

  sender = reportSender({ port: intakePort, cells, categories, tokens });
  let cpu0 = null;
  let cpuPg = null;
  const loaded = openLoop({
    rate,
    warmupCount: Math.round(rate * warmup),
    measuredCount: Math.round(rate * seconds),
    send: sender.post,
    aborted: () => aborted,
    onMeasure: () => {
      profiles.begin();
      cpu0 = { client: process.cpuUsage(), intake: processCpu(intake.pid), dispatcher: processCpu(dispatcher.pid), feed: processCpu(feed.pid), machine: machineBusy() };
      cpuPg = (async () => {
        const pids = await postgresPids(admin, DB);
        return { pids, postgres: postgresCpu(pids), redis: await redisCpu(redis), commits: await commits(admin, DB) };
      })();
    },
  });
  const { t0, lags, lagMax } = await loaded;
  const loadEnd = nowMs();
  const profilesWritten = profiles.written(3);
  const elapsed = (loadEnd - t0) / 1000;
  const pg0 = await cpuPg;
  const clientCpu = process.cpuUsage(cpu0.client);
  const cpu = {
    machine: (machineBusy() - cpu0.machine) / elapsed,
    client: (clientCpu.user + clientCpu.system) / 1e6 / elapsed,
    intake: (processCpu(intake.pid) - cpu0.intake) / elapsed,
    dispatcher: (processCpu(dispatcher.pid) - cpu0.dispatcher) / elapsed,
    feed: (processCpu(feed.pid) - cpu0.feed) / elapsed,
    postgres: (postgresCpu(pg0.pids) - pg0.postgres) / elapsed,
    redis: ((await redisCpu(redis)) - pg0.redis) / elapsed,
  };
  cpu.other = cpu.machine - cpu.client - cpu.intake - cpu.dispatcher - cpu.feed - cpu.postgres - cpu.redis;
  const commitsDuringLoad = (await commits(admin, DB)) - pg0.commits;

  // Every answer, then every answered case at its chief (or give up after BENCH_WAIT seconds).
  const stopped = Date.now();
  await sender.answered(waitSeconds * 1000);
  const answered = sender.sent.filter((r) => r.caseId);
  const reached = (r) => {
    const c = center.get(r.caseId);
    return c?.assignee != null && atChief.get(c.assignee)?.has(r.caseId);
  };
  while (!answered.every(reached) && Date.now() - stopped < waitSeconds * 1000) await sleep(100);
  const drainSeconds = (Date.now() - stopped) / 1000;
  await sleep(300);

  const measured = answered.filter((r) => r.measured);
  const chiefMs = [], centerMs = [], sentToChiefMs = [], httpMs = [];
  let atCenter = 0, atItsChief = 0, withinLoad = 0, noAssignee = 0, noSocket = 0;
  for (const r of sender.sent) if (r.measured && r.answeredAt !== null) httpMs.push(r.answeredAt - r.sentAt);
  for (const r of measured) {
    const c = center.get(r.caseId);
    if (!c) continue;
    atCenter++;
    centerMs.push(c.at - r.answeredAt);
    if (c.assignee === null) {
      noAssignee++;
      continue;
    }
    const seen = atChief.get(c.assignee);
    if (!seen) {
      noSocket++;
      continue;
    }
    const at = seen.get(r.caseId);
    if (at === undefined) continue;
    atItsChief++;
    if (at <= loadEnd) withinLoad++;
    chiefMs.push(at - r.answeredAt);
    sentToChiefMs.push(at - r.sentAt);
  }
  const { rows: [statuses] } = await db.query(
    `SELECT count(*) FILTER (WHERE status IN ('registered', 'reported'))::int waiting, count(*)::int cases FROM case_file WHERE id = ANY($1::uuid[])`,
    [measured.map((r) => r.caseId)],
  );
  const measuredCount = Math.round(rate * seconds);
  const r2 = (x) => +x.toFixed(2);
  const chief = summary(chiefMs);
  const errorCount = [...sender.errors.values()].reduce((a, b) => a + b, 0);
  await profilesWritten;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'e2e',
      date: new Date().toISOString(),
      machine: { host: os.hostname(), cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      rate_target: rate,
      rate_achieved: +(measuredCount / elapsed).toFixed(1),
      seconds,
      warmup,
      sockets: { center: 1, chiefs: chiefs.length },
      reports: measuredCount,
      answered_201: measured.length,
      p50_ms: chief.p50,
      p99_ms: chief.p99,
      max_ms: chief.max,
      chief_from_201_ms: { ...chief, n: chiefMs.length, negative: chiefMs.filter((x) => x < 0).length },
      center_from_201_ms: { ...summary(centerMs), n: centerMs.length },
      chief_from_send_ms: summary(sentToChiefMs),
      http_201_ms: summary(httpMs),
      dispatched_seen_at_center: atCenter,
      dispatched_at_chief: atItsChief,
      at_chief_within_load: withinLoad,
      missing_at_chief: measured.length - atItsChief,
      missing_detail: { not_yet_dispatched: statuses.waiting, dispatched_without_assignee: noAssignee, assignee_without_socket: noSocket },
      all_at_chief_s_after_load: r2(drainSeconds),
      all_reached: atItsChief === measured.length,
      chief_events_received: chiefEvents,
      center_events_received: centerTypes,
      feed_disconnects: tally.disconnects,
      feed_closings: tally.closings,
      errors: errorCount,
      ...(errorCount > 0 ? { error_samples: Object.fromEntries([...sender.errors].slice(0, 5)) } : {}),
      unanswered: sender.sent.filter((r) => r.measured && r.answeredAt === null).length,
      in_flight_max: sender.state.inFlightMax,
      send_lag_ms: { p99: pct(lags, 0.99), max: r2(lagMax) },
      outbox_poll_ms: outboxPollMs,
      pg_commits_per_report: r2(commitsDuringLoad / measuredCount),
      cpu_cores: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, r2(v)])),
    })}\n`,
  );
  if (errorCount > 0 || atItsChief < measured.length) {
    process.stderr.write(`intake (tail):\n${intake.tail.slice(-2000)}\ndispatcher (tail):\n${dispatcher.tail.slice(-2000)}\nfeed (tail):\n${feed.tail.slice(-2000)}\n`);
  }
  if (cpu.other > 0.25) process.stderr.write(`warning: other work on this machine used ${r2(cpu.other)} cores during the run; the figures are disturbed\n`);
} finally {
  await cleanup();
}
