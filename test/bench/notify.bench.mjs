// Benchmark: notification delivery. Warden reports (auto-registered, routed and dispatched by a real
// dispatcher process) are sent to a real intake process at a steady rate, open loop; each dispatch
// raises `task.assigned`, which a webhook channel delivers to a local receiver in this process.
//   Phase 1: delivery latency = the webhook's arrival (this process's clock) − the case's
//            `case.dispatched` event `at` (the dispatcher's clock; one machine), p50/p99.
//   Phase 2: every notification endpoint hangs (the good channel disabled, HANG_CHANNELS channels that
//            take the request and never answer): the same load, and the transitions' latency
//            (registered → dispatched, from case_event) and the reports' HTTP answers, against phase 1.
// Prints one JSON line.
//
//   usage: node test/bench/notify.bench.mjs [rate] [seconds]      (defaults 50 dispatches/s, 20 s per phase)
//   env:   BENCH_RATE, BENCH_SECONDS, BENCH_WARMUP (s before each phase, not counted; 2), BENCH_WAIT (s to
//          wait for the last dispatches and deliveries; 60), BENCH_PG_URL (server; database
//          `wangge_bench_notify` is created and dropped), BENCH_REDIS_URL (default: a private redis-server),
//          BENCH_OUTBOX_POLL_MS (100), HANG_CHANNELS (3), NOTIFY_* and DB_POOL_SIZE (passed through to the processes),
//          BENCH_SPLIT=1 (notification deliveries in a second dispatcher process, DISPATCHER_QUEUES),
//          BENCH_PROFILE=1 (per phase, sampled every 250 ms: the dispatcher's event-loop delay p99 and its
//          pool's waiting queries from its /metrics, and what the database's backends are doing),
//          CPU_PROFILE_DIR=<dir> (a CPU profile of each process over phase 1, see support/cpu-profile.cjs; summarise with test/bench/cpu-profile-summary.mjs <dir>).
import http from 'node:http';
import pg from 'pg';
import { children, cleanupOnExit, sleep, start, stop } from './support/processes.mjs';
import { benchRedis, freePort, nowMs, waitHealthy } from './support/system.mjs';
import { openLoop, reportSender, seedWardenRun, signIn, summary } from './support/warden-reports.mjs';
import { cpuProfiling } from './support/cpu-profiling.mjs';

const rate = Number(process.argv[2] ?? process.env.BENCH_RATE ?? 50);
const seconds = Number(process.argv[3] ?? process.env.BENCH_SECONDS ?? 20);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const waitSeconds = Number(process.env.BENCH_WAIT ?? 60);
const outboxPollMs = Number(process.env.BENCH_OUTBOX_POLL_MS ?? 100);
const hangChannels = Number(process.env.HANG_CHANNELS ?? 3);
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'wangge_bench_notify';
const dbUrl = new URL(server);
dbUrl.pathname = `/${DB}`;

const admin = new pg.Client({ connectionString: server });
const round = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null || v === undefined ? null : Math.round(v)]));
let db = null;
let sender = null;
let redis = null;
const servers = [];

const cleanup = cleanupOnExit(async () => {
  sender?.destroy();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  redis?.disconnect();
  await Promise.all(children.map((c) => stop(c)));
  await db?.end().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

async function listen(handler) {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${s.address().port}`;
}

async function call(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The cases' registered and dispatched times (case_event), by case id. */
async function transitions(ids) {
  const { rows } = await db.query(
    `SELECT case_id, min(at) FILTER (WHERE type = 'case.registered') registered, min(at) FILTER (WHERE type = 'case.dispatched') dispatched
       FROM case_event WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`,
    [ids],
  );
  return new Map(rows.map((r) => [r.case_id, { registered: r.registered?.getTime() ?? null, dispatched: r.dispatched?.getTime() ?? null }]));
}

try {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const { url: redisUrl, client } = await benchRedis(process.env.BENCH_REDIS_URL);
  redis = client;
  const intakePort = await freePort();
  const dispatcherPort = await freePort();
  const perPhase = Math.ceil(rate * (warmup + seconds));
  const progress = (what) => process.stderr.write(`${new Date().toISOString()} ${what}\n`);
  progress('seeding the demo district');
  const seeded = await seedWardenRun({ dbUrl: dbUrl.toString(), redisUrl, ports: { intake: intakePort, dispatcher: dispatcherPort }, outboxPollMs, total: perPhase * 2 });
  const { env, cells, categories, wardens } = seeded;
  db = seeded.db;

  // The receivers: one that answers at once (arrival time per case), one that never answers.
  const arrivals = new Map();
  let hung = 0;
  const goodUrl = await listen((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = nowMs();
      const body = JSON.parse(Buffer.concat(chunks).toString());
      if (body.event === 'task.assigned' && !arrivals.has(body.subject.caseId)) arrivals.set(body.subject.caseId, at);
      res.writeHead(200).end('ok');
    });
  });
  const hangUrl = await listen(() => {
    hung++;
  });

  const profiling = process.env.BENCH_PROFILE === '1';
  const cpu = cpuProfiling(seconds);
  const intake = start(process.execPath, ['dist/apps/intake/src/main.js'], { ...env, ...cpu.env('intake', env) });
  // BENCH_SPLIT=1: deliveries in a dispatcher process of their own (DISPATCHER_QUEUES), as docker/compose.yml runs them.
  const split = process.env.BENCH_SPLIT === '1';
  const dispatcher = start(process.execPath, ['dist/apps/dispatcher/src/main.js'], { ...env, ...cpu.env('dispatcher', env), ...(split ? { DISPATCHER_QUEUES: 'routing,clocks,bulletins,maintenance' } : {}) });
  if (split) {
    const notifierPort = await freePort();
    const notifier = start(process.execPath, ['dist/apps/dispatcher/src/main.js'], { ...env, ...cpu.env('notifier', env), DISPATCHER_QUEUES: 'notifications', DISPATCHER_PORT: String(notifierPort) });
    await waitHealthy('notifier', notifier, `http://127.0.0.1:${notifierPort}/health`);
  }
  const base = `http://127.0.0.1:${intakePort}`;
  await waitHealthy('intake', intake, `${base}/health`);
  await waitHealthy('dispatcher', dispatcher, `http://127.0.0.1:${dispatcherPort}/health`);
  const adminToken = (await signIn(base, ['admin'], { network: '10.9' })).admin;
  const good = await call(base, 'POST', '/api/v1/admin/notification-channels', adminToken, {
    kind: 'webhook',
    name: 'bench receiver',
    target: `${goodUrl}/hook`,
    events: ['task.assigned'],
    secret: 'bench-secret-123',
  });
  const tokens = await signIn(base, wardens);
  sender = reportSender({ port: intakePort, cells, categories, tokens });

  async function phase(offset) {
    const first = sender.sent.length;
    const sampler = profiling ? sample(`http://127.0.0.1:${dispatcherPort}/metrics`) : null;
    await openLoop({ rate, warmupCount: Math.round(rate * warmup), measuredCount: Math.round(rate * seconds), send: (i, measured) => sender.post(offset + i, measured) });
    await sender.answered(waitSeconds * 1000);
    const records = sender.sent.slice(first).filter((r) => r.measured);
    const ids = records.filter((r) => r.caseId).map((r) => r.caseId);
    const stopped = Date.now();
    let times = await transitions(ids);
    while ([...times.values()].filter((t) => t.dispatched).length < ids.length && Date.now() - stopped < waitSeconds * 1000) {
      await sleep(200);
      times = await transitions(ids);
    }
    return { records, ids, times, profile: await sampler?.stop() };
  }

  /** Every 250 ms until stopped: the dispatcher's event-loop delay and pool queue, and the backends' states and waits. */
  function sample(metricsUrl) {
    const lag = [];
    const poolWaiting = [];
    const backends = new Map();
    let samples = 0;
    let running = true;
    const gauge = (text, name) => {
      const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
      return m ? Number(m[1]) : null;
    };
    const loop = (async () => {
      while (running) {
        const [text, { rows }] = await Promise.all([
          fetch(metricsUrl).then((r) => r.text()).catch(() => ''),
          db.query(
            `SELECT state, coalesce(wait_event_type || ':' || wait_event, 'cpu') AS wait, count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'
              GROUP BY 1, 2`,
          ),
        ]);
        const p99 = gauge(text, '\\w*nodejs_eventloop_lag_p99_seconds');
        if (p99 !== null) lag.push(p99 * 1000);
        const waiting = /wangge_db_pool_connections\{state="waiting"\} ([0-9.]+)/.exec(text);
        if (waiting) poolWaiting.push(Number(waiting[1]));
        for (const r of rows) backends.set(`${r.state} ${r.wait}`, (backends.get(`${r.state} ${r.wait}`) ?? 0) + r.n);
        samples++;
        await sleep(250);
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        const perSample = Object.fromEntries([...backends].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, Number((n / samples).toFixed(2))]));
        return { samples, dispatcherLoopDelayP99Ms: round(summary(lag)), dispatcherPoolWaiting: round(summary(poolWaiting)), backendsPerSample: perSample };
      },
    };
  }

  // Phase 1: the receiver answers.
  progress('phase 1: the receiver answers');
  cpu.begin();
  const p1 = await phase(0);
  const settle = Date.now();
  while (p1.ids.some((id) => !arrivals.has(id)) && Date.now() - settle < waitSeconds * 1000) await sleep(100);
  const delivery = p1.ids.filter((id) => arrivals.has(id) && p1.times.get(id)?.dispatched).map((id) => arrivals.get(id) - p1.times.get(id).dispatched);

  // Phase 2: every endpoint hangs.
  progress('phase 2: every endpoint hangs');
  await call(base, 'PATCH', `/api/v1/admin/notification-channels/${good.id}`, adminToken, { enabled: false });
  for (let i = 0; i < hangChannels; i++) {
    await call(base, 'POST', '/api/v1/admin/notification-channels', adminToken, { kind: 'webhook', name: `hangs ${i}`, target: `${hangUrl}/hang${i}`, events: ['task.assigned'], secret: 'bench-secret-123' });
  }
  const p2 = await phase(perPhase);

  const transition = (p) => summary(p.ids.map((id) => p.times.get(id)).filter((t) => t?.registered && t.dispatched).map((t) => t.dispatched - t.registered));
  const answers = (p) => summary(p.records.filter((r) => r.answeredAt).map((r) => r.answeredAt - r.sentAt));
  const { rows: statuses } = await db.query(`SELECT status, count(*)::int n FROM notification_delivery WHERE kind <> 'inbox' GROUP BY status ORDER BY status`);
  console.log(
    JSON.stringify({
      bench: 'notify',
      rate,
      seconds,
      split: process.env.BENCH_SPLIT === '1',
      delivery: { count: delivery.length, of: p1.ids.length, ms: round(summary(delivery)) },
      transitionMs: { endpointsAnswer: round(transition(p1)), endpointsHang: round(transition(p2)) },
      reportAnswerMs: { endpointsAnswer: round(answers(p1)), endpointsHang: round(answers(p2)) },
      dispatched: { endpointsAnswer: p1.ids.filter((id) => p1.times.get(id)?.dispatched).length, endpointsHang: p2.ids.filter((id) => p2.times.get(id)?.dispatched).length, of: p2.ids.length },
      hangingRequests: hung,
      ...(profiling ? { profile: { endpointsAnswer: p1.profile, endpointsHang: p2.profile } } : {}),
      deliveries: Object.fromEntries(statuses.map((r) => [r.status, r.n])),
      errors: Object.fromEntries(sender.errors),
    }),
  );
} finally {
  await cleanup();
}
