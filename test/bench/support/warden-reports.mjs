// The load of bench:dispatch and bench:e2e: warden reports sent to a real intake at a steady rate, open
// loop (each request leaves at its scheduled time whatever the earlier answers did), each at a point
// inside one of the warden's own cells, so that it registers itself and queues a `route-case` job.
// Also the percentiles and the CPU readings of PostgreSQL and Redis both benches print.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { run, sleep } from './processes.mjs';
import { nowMs, processCpu } from './system.mjs';

export const pct = (values, p) => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1);
};
export const summary = (values) => ({ p50: pct(values, 0.5), p90: pct(values, 0.9), p99: pct(values, 0.99), max: pct(values, 1) });

/** The bench database's backends and the server's own workers (WAL writer...), not other databases'. */
export async function postgresPids(admin, database) {
  const { rows } = await admin.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 OR (backend_type <> 'client backend' AND datname IS NULL)`,
    [database],
  );
  return rows.map((r) => r.pid);
}
/** Transactions committed in the bench database so far (statistics are flushed within a second or so). */
export async function commits(admin, database) {
  const { rows } = await admin.query(`SELECT xact_commit::float8 n FROM pg_stat_database WHERE datname = $1`, [database]);
  return rows[0].n;
}
export const postgresCpu = (pids) => pids.reduce((sum, pid) => sum + processCpu(pid), 0);
export async function redisCpu(redis) {
  const info = await redis.info('cpu');
  const v = (k) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return v('used_cpu_sys') + v('used_cpu_user');
}

/**
 * Every warden's cells, each as a point inside it, and the categories that register themselves.
 * Report i goes to cell i mod n with category ⌊i / n⌋: a cell never sees the same category twice and
 * cells are ~100 m apart, so no report is held back as a possible duplicate (DUPLICATE_RADIUS_M 50).
 */
export async function wardenTargets(db) {
  const { rows: cells } = await db.query(
    `SELECT u.username, ST_X(p) lng, ST_Y(p) lat
       FROM app_user u JOIN warden_cell w ON w.user_id = u.id JOIN grid_cell gc ON gc.code = w.cell_code,
            ST_PointOnSurface(gc.geom) p
      WHERE u.username ~ '^warden[0-9]+$' ORDER BY md5(gc.code)`,
  );
  const { rows } = await db.query(
    `SELECT code FROM category c WHERE active AND auto_register AND EXISTS (SELECT 1 FROM category_standard s WHERE s.category_code = c.code) ORDER BY code`,
  );
  return { cells, categories: rows.map((r) => r.code), wardens: [...new Set(cells.map((c) => c.username))].sort() };
}

/**
 * A warden-report run's setting: the environment of its processes (`ports`, e.g. {intake, dispatcher,
 * feed}: each as `<NAME>_PORT`), its fresh database `dbUrl` migrated and seeded with the demo district,
 * a client of it, and the reports' targets, checked to be enough for `total` reports.
 */
export async function seedWardenRun({ dbUrl, redisUrl, ports, outboxPollMs, total }) {
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [`${name.toUpperCase()}_PORT`, String(port)])),
    LOG_LEVEL: 'warn',
    REPORT_RATE_LIMIT: '100000',
    OUTBOX_POLL_MS: String(outboxPollMs),
  };
  // seed-demo runs the migrations first, then builds the demo district.
  await run(process.execPath, ['dist/apps/cli/src/main.js', 'seed-demo', '--history-days', '0'], env);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const targets = await wardenTargets(db);
  if (total > targets.cells.length * targets.categories.length) {
    await db.end();
    throw new Error(`${total} reports need more than ${targets.cells.length} cells × ${targets.categories.length} categories`);
  }
  return { env, db, ...targets };
}

/** Signs users in through the API, `concurrency` at a time, each from its own (forwarded) address: the login throttle is per client. */
export async function signIn(base, usernames, { concurrency = 1, password = 'demo1234', network = '10.1' } = {}) {
  const tokens = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < usernames.length) {
        const i = next++;
        const username = usernames[i];
        const res = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `${network}.${Math.floor(i / 250)}.${(i % 250) + 1}` },
          body: JSON.stringify({ username, password }),
        });
        if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
        tokens[username] = (await res.json()).accessToken;
      }
    }),
  );
  return tokens;
}

const DESCRIPTIONS = ['路边有暴露垃圾 / garbage on the kerb', '井盖缺失 / missing manhole cover', '路灯不亮 / street light out', '占道经营 / street stall on the pavement'];

/**
 * Sends warden reports over keep-alive `node:http` (up to 1,024 in flight: in_flight_max above that
 * means some waited in the client). `post(i, measured)` sends report i; `sent` holds one record per
 * report: { i, measured, sentAt, answeredAt, status, caseId }.
 */
export function reportSender({ port, cells, categories, tokens }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  const sent = [];
  const errors = new Map();
  const state = { inFlight: 0, inFlightMax: 0 };
  const jitter = () => (Math.random() - 0.5) * 2e-5; // ~1 m: stays inside the ~100 m cell
  const fail = (key) => errors.set(key, (errors.get(key) ?? 0) + 1);
  function post(i, measured) {
    const cell = cells[i % cells.length];
    const body = JSON.stringify({
      categoryCode: categories[Math.floor(i / cells.length) % categories.length],
      description: DESCRIPTIONS[i % DESCRIPTIONS.length],
      location: { lng: cell.lng + jitter(), lat: cell.lat + jitter() },
      source: 'app',
    });
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${tokens[cell.username]}` };
    const rec = { i, measured, sentAt: nowMs(), answeredAt: null, status: 0, caseId: null };
    sent.push(rec);
    state.inFlightMax = Math.max(state.inFlightMax, ++state.inFlight);
    const req = http.request({ agent, host: '127.0.0.1', port, method: 'POST', path: '/api/v1/cases', headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        rec.answeredAt = nowMs();
        state.inFlight--;
        rec.status = res.statusCode;
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode === 201) rec.caseId = JSON.parse(text).id;
        else fail(`${res.statusCode} ${text.slice(0, 300)}`);
      });
    });
    req.on('error', (err) => {
      rec.answeredAt = nowMs();
      state.inFlight--;
      fail(String(err));
    });
    req.end(body);
  }
  /** Waits until every request has its answer, or `waitMs` has passed. */
  async function answered(waitMs) {
    const since = Date.now();
    while (sent.some((r) => r.answeredAt === null) && Date.now() - since < waitMs) await sleep(20);
  }
  return { post, sent, errors, state, answered, destroy: () => agent.destroy() };
}

/**
 * Open loop: report i leaves at begin + i / rate; a late timer sends what is due at once (and says how
 * late). The first `warmupCount` are not measured; `onMeasure()` runs when the measured part starts.
 * Resolves with { t0 (when the measured part started), lags, lagMax } once the last is sent.
 */
export function openLoop({ rate, warmupCount, measuredCount, send, onMeasure = () => undefined, aborted = () => false }) {
  return new Promise((resolve) => {
    const begin = nowMs();
    const lags = [];
    let lagMax = 0;
    let t0 = 0;
    let i = 0;
    const tick = () => {
      const now = nowMs();
      while (!aborted() && i < warmupCount + measuredCount && begin + (i * 1000) / rate <= now) {
        const lag = now - (begin + (i * 1000) / rate);
        if (i >= warmupCount) {
          lags.push(lag);
          lagMax = Math.max(lagMax, lag);
        }
        if (i === warmupCount) {
          t0 = now;
          onMeasure();
        }
        send(i, i >= warmupCount);
        i++;
      }
      if (aborted() || i >= warmupCount + measuredCount) return resolve({ t0, lags, lagMax });
      setTimeout(tick, Math.max(0, begin + (i * 1000) / rate - nowMs()));
    };
    tick();
  });
}
