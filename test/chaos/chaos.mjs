// The failure suite (`npm run chaos`; `npm run chaos -- --short` in CI). Five scenarios, one after
// another, against the built processes on a private PostgreSQL cluster and a private Redis (see
// support/world.mjs), each under a steady open-loop load of reports (support/load.mjs) with feed
// clients connected throughout (support/feed-watchers.mjs):
//   1. dispatcher-sigkill  the dispatcher is SIGKILLed mid-load and a new one started
//   2. redis-stop          Redis is stopped for 10 s mid-load, then started again
//   3. postgres-restart    PostgreSQL is stopped (fast shutdown) mid-load, then started again
//   4. feed-sigkill        one of two feed nodes is SIGKILLed; its clients move to the other and resume
//   5. slow-consumer       a feed client stops reading, is cut off with a reason and resumes
// Each ends by counting from the database (support/tally.mjs): accepted reports found, cases
// dispatched, case.dispatched events per case, case events per case, and every feed client's
// events against case_event in its view. Prints one line per scenario and a JSON summary line;
// exits 1 when any scenario fails. docs/chaos.md describes it.
//
//   usage: node test/chaos/chaos.mjs [--short] [--only name,name]
//   env:   CHAOS_RATE (reports/s, default 30), CHAOS_SECONDS (load per scenario; default 30, 12 short)
import { randomBytes } from 'node:crypto';
import { compareSeqs, FeedWatcher, SlowPollingClient } from './support/feed-watchers.mjs';
import { loadTargets, ReportLoad } from './support/load.mjs';
import { seqsInScope, tallyReports, waitDispatched } from './support/tally.mjs';
import { deadProcesses, killApp, login, sleep, startApp, startWorld, stopWorld, tails, withDb } from './support/world.mjs';

const args = process.argv.slice(2);
const short = args.includes('--short');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const rate = Number(process.env.CHAOS_RATE ?? 30);
const loadSeconds = Number(process.env.CHAOS_SECONDS ?? (short ? 12 : 30));
const REDIS_DOWN_S = 10;
const POSTGRES_DOWN_S = short ? 4 : 8;
/** The feed cuts off a connection with more unsent events than this (FEED_MAX_BUFFERED_EVENTS). */
const FEED_MAX_BUFFERED = 200;
const run = randomBytes(3).toString('hex');
const started = Date.now();
const log = (text) => process.stderr.write(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${text}\n`);

let world = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: cleaning up\n`);
    stopWorld(world ?? {}).finally(() => process.exit(130));
  });
}

/** The feed clients every scenario keeps connected: both nodes, both ways of resuming, two views. */
function watcherPlan(w, tokens, wardenCells) {
  const { A, B } = w.feedUrls;
  return [
    { name: 'operator@A', urls: [A, B], token: tokens.operator, mode: 'auth', scope: { kind: 'district' } },
    { name: 'leader@A', urls: [A, B], token: tokens.leader, mode: 'resume', scope: { kind: 'district' } },
    { name: 'warden1@A', urls: [A, B], token: tokens.warden1, mode: 'auth', scope: { kind: 'cells', cells: wardenCells } },
    { name: 'operator@B', urls: [B, A], token: tokens.operator, mode: 'resume', scope: { kind: 'district' } },
    { name: 'warden1@B', urls: [B, A], token: tokens.warden1, mode: 'resume', scope: { kind: 'cells', cells: wardenCells } },
  ];
}

/**
 * One scenario: feed clients connect, the load runs `seconds`, `fault` runs alongside it (given the
 * load and the clients), then the load's last answers, the dispatches and the clients' catch-up are
 * awaited and everything is counted. `check` adds the scenario's own conditions.
 */
async function scenario(name, { seconds = loadSeconds, fault, check = () => [] }, ctx) {
  log(`${name}: start (${rate} reports/s for ${seconds} s)`);
  const tag = `${run}-${name}`;
  const watchers = watcherPlan(world, ctx.tokens, ctx.wardenCells).map((o) => new FeedWatcher(o));
  await Promise.all(watchers.map((wt) => wt.start()));
  const load = new ReportLoad({ baseUrl: world.intakeUrl, tag, rate, targets: ctx.targets, tokens: ctx.tokens });
  load.start();
  const facts = {};
  const faulting = fault({ load, watchers, facts, seconds, tokens: ctx.tokens });
  await sleep(seconds * 1000);
  load.stop(90_000);
  await faulting;
  await load.settled();
  log(`${name}: load done (${load.stats.sent} reports, ${load.stats.attempts} requests); waiting for dispatches and feed clients`);

  const report = await withDb(world, async (db) => {
    await waitDispatched(db, load, short ? 60_000 : 90_000);
    const { rows } = await db.query(`SELECT coalesce(max(seq), 0)::int AS last FROM case_event`);
    const upTo = rows[0].last;
    const feed = [];
    for (const wt of [...watchers, ...(facts.extraWatchers ?? [])]) {
      const expected = await seqsInScope(db, wt.scope, wt.from, upTo);
      if (expected.length > 0) await wt.reach(expected[expected.length - 1], 30_000);
      feed.push({ name: wt.name, nodes: wt.nodes.size, reconnects: wt.reconnects, closings: wt.closings, ...compareSeqs(wt.received, expected, wt.from, upTo) });
    }
    if (facts.slow) {
      // The slow client: what it read before it was cut off, then what its resumed connection got.
      const { client, resumed } = facts.slow;
      const expected = await seqsInScope(db, { kind: 'district' }, client.from, upTo);
      if (expected.length > 0) await resumed.reach(expected[expected.length - 1], 30_000);
      feed.push({ name: 'slow@A', nodes: 1, reconnects: 1, closings: client.closing ? { [client.closing.reason]: 1 } : {}, ...compareSeqs([...client.seen, ...resumed.received], expected, client.from, upTo) });
    }
    return { tally: await tallyReports(db, load, tag), feed };
  });
  for (const wt of [...watchers, ...(facts.extraWatchers ?? []), ...(facts.slow ? [facts.slow.resumed] : [])]) wt.stop();

  const { tally, feed } = report;
  const gaps = feed.reduce((s, f) => s + f.gaps, 0);
  const duplicates = feed.reduce((s, f) => s + f.duplicates + f.outOfOrder + f.foreign, 0);
  const unexpected = [...load.stats.unexpected.values()].reduce((a, b) => a + b, 0);
  const unanswered = load.reports.filter((r) => r.status !== 201).length;
  const dead = deadProcesses(world);
  const problems = [
    ...(tally.lost > 0 ? [`${tally.lost} lost`] : []),
    ...(tally.doubled > 0 ? [`${tally.doubled} doubled`] : []),
    ...(gaps > 0 ? [`feed: ${gaps} events missed`] : []),
    ...(duplicates > 0 ? [`feed: ${duplicates} events doubled or out of order`] : []),
    ...(unexpected > 0 ? [`unexpected answers: ${JSON.stringify(Object.fromEntries(load.stats.unexpected))}`] : []),
    ...(unanswered > 0 ? [`${unanswered} reports never answered 201`] : []),
    ...(tally.accepted === 0 ? ['no report accepted'] : []),
    ...(dead.length > 0 ? [`processes down: ${dead.join(', ')}`] : []),
    ...check({ load, facts, feed, tally }),
  ];
  const pass = problems.length === 0;
  const result = {
    scenario: name,
    accepted: tally.accepted,
    lost: tally.lost,
    doubled: tally.doubled,
    dispatched: tally.dispatched,
    to_dispatch: tally.toDispatch,
    cases: tally.cases,
    stored_unanswered: tally.storedUnanswered,
    events_per_case: tally.eventsPerCase,
    requests: load.stats.attempts,
    transport_errors: load.stats.transportErrors,
    unavailable_503: load.stats.unavailable,
    feed_clients: feed.length,
    feed_events: feed.reduce((s, f) => s + f.received, 0),
    feed_gaps: gaps,
    feed_duplicates: duplicates,
    feed,
    ...facts.figures,
    pass,
    ...(pass ? {} : { problems, detail: tally.detail }),
  };
  console.log(
    `chaos: ${name} accepted=${tally.accepted} lost=${tally.lost} doubled=${tally.doubled} dispatched=${tally.dispatched}/${tally.toDispatch} ` +
      `feed_clients=${feed.length} feed_events=${result.feed_events} feed_gaps=${gaps} feed_duplicates=${duplicates} ${pass ? 'pass' : 'fail'}`,
  );
  if (!pass) {
    log(`${name}: ${problems.join('; ')}`);
    process.stderr.write(`${tails(world)}\n`);
  }
  return result;
}

const at = (seconds, share) => sleep(seconds * share * 1000);

const SCENARIOS = {
  'dispatcher-sigkill': {
    async fault({ facts, seconds }) {
      await at(seconds, 0.4);
      await killApp(world, 'dispatcher');
      facts.figures = { dispatched_at_kill: await withDb(world, async (db) => (await db.query(`SELECT count(*)::int AS n FROM case_event WHERE type = 'case.dispatched'`)).rows[0].n) };
      log('dispatcher-sigkill: dispatcher killed (SIGKILL); starting a new one');
      const t = Date.now();
      await startApp(world, 'dispatcher');
      facts.figures.new_dispatcher_ready_ms = Date.now() - t;
    },
  },
  'redis-stop': {
    seconds: Math.max(loadSeconds, REDIS_DOWN_S + 6),
    async fault({ load, facts, seconds }) {
      await at(seconds, 0.2);
      await world.redis.stop('SIGTERM');
      const before = load.accepted().length;
      log(`redis-stop: Redis stopped for ${REDIS_DOWN_S} s`);
      await sleep(REDIS_DOWN_S * 1000);
      facts.figures = { accepted_while_redis_down: load.accepted().length - before };
      await world.redis.start();
      log('redis-stop: Redis started again');
    },
    check: ({ load, facts }) => [
      ...(facts.figures.accepted_while_redis_down === 0 ? ['no report answered 201 while Redis was down'] : []),
      ...(load.stats.unavailable > 0 ? [`${load.stats.unavailable} answers 503 while only Redis was down`] : []),
    ],
  },
  'postgres-restart': {
    async fault({ load, facts, seconds }) {
      await at(seconds, 0.3);
      const intakePid = world.processes.intake.pid;
      await world.pg.stop('fast');
      log(`postgres-restart: PostgreSQL stopped (fast) for ${POSTGRES_DOWN_S} s`);
      const before = load.stats.unavailable;
      await sleep(POSTGRES_DOWN_S * 1000);
      const health = await fetch(`${world.intakeUrl}/health`).then((r) => r.status, () => 0);
      facts.figures = { unavailable_while_down: load.stats.unavailable - before, health_while_down: health };
      await world.pg.start();
      log('postgres-restart: PostgreSQL started again');
      facts.intakePid = intakePid;
    },
    check: ({ load, facts }) => [
      ...(facts.figures.unavailable_while_down === 0 ? ['no 503 while PostgreSQL was down'] : []),
      ...(load.stats.unavailableWithoutRetryAfter > 0 ? [`${load.stats.unavailableWithoutRetryAfter} answers 503 without Retry-After or error 'unavailable'`] : []),
      ...(facts.figures.health_while_down !== 503 ? [`/health answered ${facts.figures.health_while_down} while PostgreSQL was down`] : []),
      ...(world.processes.intake.pid !== facts.intakePid ? ['the intake was restarted'] : []),
    ],
  },
  'feed-sigkill': {
    async fault({ watchers, facts, seconds }) {
      await at(seconds, 0.4);
      await killApp(world, 'feedA');
      log('feed-sigkill: feed node A killed (SIGKILL)');
      facts.onA = watchers.filter((wt) => wt.name.endsWith('@A'));
    },
    check: ({ facts, feed }) => {
      const moved = feed.filter((f) => facts.onA.some((wt) => wt.name === f.name) && f.nodes < 2);
      return moved.length > 0 ? [`clients of the killed node that did not move: ${moved.map((f) => f.name).join(', ')}`] : [];
    },
  },
  'slow-consumer': {
    async fault({ facts, tokens }) {
      const client = new SlowPollingClient(world.feedUrls.A, tokens.operator);
      await client.open();
      await client.readFor(2000);
      // Stops reading; the events pile up on the server until it cuts the connection off.
      const stoppedAt = Date.now();
      for (let i = 0; i < 6 && !client.closing; i++) {
        await sleep(Math.max(2000, ((FEED_MAX_BUFFERED * 1.5) / Math.max(1, rate * 2.5)) * 1000));
        await client.poll();
      }
      facts.figures = { slow_read_events: client.seen.length, slow_cut_after_ms: Date.now() - stoppedAt, slow_reason: client.closing?.reason ?? null };
      log(`slow-consumer: slow client ${client.closing ? `cut off (${client.closing.reason})` : 'NOT cut off'}; resuming after seq ${client.last()}`);
      const resumed = new FeedWatcher({ name: 'slow-resumed@A', urls: [world.feedUrls.A, world.feedUrls.B], token: tokens.operator, mode: 'resume', scope: { kind: 'district' }, afterSeq: client.last() });
      await resumed.start();
      facts.slow = { client, resumed };
    },
    check: ({ facts }) => [
      ...(facts.slow?.client.closing?.reason === 'slow_consumer' ? [] : ['the slow client was not told slow_consumer']),
      ...(facts.slow?.client.closedByServer ? [] : ['the slow client was not disconnected by the server']),
    ],
  },
};

const results = [];
try {
  log(`run ${run}: ${short ? 'short' : 'full'} form; starting PostgreSQL, Redis and the built processes`);
  world = await startWorld({ FEED_MAX_BUFFERED_EVENTS: String(FEED_MAX_BUFFERED) });
  const { targets, wardenCells } = await withDb(world, async (db) => {
    const t = await loadTargets(db);
    const { rows } = await db.query(`SELECT w.cell_code FROM warden_cell w JOIN app_user u ON u.id = w.user_id WHERE u.username = 'warden1'`);
    return { targets: t, wardenCells: rows.map((r) => r.cell_code) };
  });
  const wardens = [...new Set(targets.cells.map((c) => c.username))].sort();
  const tokens = await login(world, ['operator', 'leader', ...wardens]);
  log(`ready: ${targets.cells.length} warden cells, ${targets.categories.length} self-registering categories`);
  for (const [name, spec] of Object.entries(SCENARIOS)) {
    if (only && !only.includes(name)) continue;
    results.push(await scenario(name, spec, { targets, tokens, wardenCells }));
    if (name === 'feed-sigkill') {
      await startApp(world, 'feedA');
      log('feed-sigkill: feed node A started again');
    }
  }
} catch (err) {
  process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  if (world?.processes) process.stderr.write(`${tails(world)}\n`);
  process.exitCode = 1;
} finally {
  await stopWorld(world ?? {});
}
const failed = results.filter((r) => !r.pass).map((r) => r.scenario);
console.log(
  JSON.stringify({
    chaos: short ? 'short' : 'full',
    date: new Date().toISOString(),
    rate,
    load_seconds: loadSeconds,
    seconds: Math.round((Date.now() - started) / 1000),
    scenarios: results,
    pass: results.length > 0 && failed.length === 0 && process.exitCode !== 1,
  }),
);
if (failed.length > 0 || results.length === 0) process.exitCode = 1;
