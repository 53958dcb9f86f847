// The platform the failure suite breaks: a private PostgreSQL cluster (initdb in a temp directory,
// a free port; PostGIS from the system) holding a fresh demo database, a private redis-server
// (append-only, so a stop and start keeps its queues, as a production Redis would), and the BUILT
// processes (dist/apps/...): one intake, one dispatcher, two feed nodes. The cluster and Redis
// helpers are the tests' own (test/support/*.ts), loaded through the tests' TypeScript loader.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { children, run, sleep, start, stop } from '../../bench/support/processes.mjs';
import { freePort, waitHealthy } from '../../bench/support/system.mjs';

const require = createRequire(import.meta.url);
require('../../support/ts-register.cjs');
const { startPostgresServer } = require('../../support/postgres-server.ts');
const { startRedisServer } = require('../../support/redis-server.ts');

const DATABASE = 'wangge_chaos';
const NODE = process.execPath;

/** Starts everything; `settings` are extra environment variables of every process. */
export async function startWorld(settings = {}) {
  const world = { processes: {}, killed: new Set(), pg: null, redis: null };
  world.pg = await startPostgresServer();
  world.redis = await startRedisServer({ persist: true });
  const admin = new pg.Client({ connectionString: world.pg.url() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  world.databaseUrl = world.pg.url(DATABASE);
  const ports = { intake: await freePort(), dispatcher: await freePort(), feedA: await freePort(), feedB: await freePort() };
  world.env = {
    PATH: process.env.PATH,
    // Not production: this world is the demo district, logged into with its demo passwords, which
    // production refuses (seed-demo, intake's start, the login; domain.md section 7).
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: world.databaseUrl,
    REDIS_URL: world.redis.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    INTAKE_PORT: String(ports.intake),
    DISPATCHER_PORT: String(ports.dispatcher),
    // Anonymous reports come from many (forwarded) addresses; the per-address limit is not under test.
    REPORT_RATE_LIMIT: '100000',
    // Every warden report registers itself (none is held back as a possible duplicate of a neighbour).
    DUPLICATE_RADIUS_M: '0',
    ...settings,
  };
  world.ports = ports;
  world.intakeUrl = `http://127.0.0.1:${ports.intake}`;
  world.feedUrls = { A: `http://127.0.0.1:${ports.feedA}`, B: `http://127.0.0.1:${ports.feedB}` };
  // seed-demo runs the migrations first, then builds the demo district.
  await run(NODE, ['dist/apps/cli/src/main.js', 'seed-demo', '--history-days', '0'], world.env);
  await Promise.all([startApp(world, 'intake'), startApp(world, 'dispatcher'), startApp(world, 'feedA'), startApp(world, 'feedB')]);
  return world;
}

/** Starts (or starts again, on the same port) one of the processes and waits until /health answers. */
export async function startApp(world, name) {
  const app = name.startsWith('feed') ? 'feed' : name;
  const env = { ...world.env, ...(app === 'feed' ? { FEED_PORT: String(world.ports[name]) } : {}) };
  const child = start(NODE, [`dist/apps/${app}/src/main.js`], env);
  world.processes[name] = child;
  world.killed.delete(name);
  await waitHealthy(name, child, `http://127.0.0.1:${world.ports[name]}/health`);
  return child;
}

/** SIGKILL: a crash, nothing of the process runs after it. */
export function killApp(world, name) {
  const child = world.processes[name];
  world.killed.add(name);
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      resolve();
    }
  });
}

/** A client of the chaos database (a new one each time: the server may have been restarted since). */
export async function withDb(world, fn) {
  const client = new pg.Client({ connectionString: world.databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Signs users in through the API, each from its own (forwarded) address, as the login throttle is per client. */
export async function login(world, usernames) {
  const tokens = {};
  for (const [i, username] of usernames.entries()) {
    const res = await fetch(`${world.intakeUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${Math.floor(i / 250)}.${(i % 250) + 1}` },
      body: JSON.stringify({ username, password: 'demo1234' }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    tokens[username] = (await res.json()).accessToken;
  }
  return tokens;
}

/** The processes that have exited without being killed on purpose. */
export function deadProcesses(world) {
  return Object.entries(world.processes)
    .filter(([name, c]) => !world.killed.has(name) && (c.exitCode !== null || c.signalCode !== null))
    .map(([name]) => name);
}

/** The last output of every process, to explain a failure. */
export function tails(world) {
  return Object.entries(world.processes)
    .map(([name, child]) => `--- ${name} (pid ${child.pid}${child.exitCode !== null ? `, exited ${child.exitCode}` : ''}):\n${child.tail.slice(-2500)}`)
    .join('\n');
}

/** Stops every process, Redis and the cluster, and removes their directories. Safe to call twice. */
export async function stopWorld(world) {
  await Promise.all(children.map((c) => stop(c)));
  await world.redis?.close().catch(() => undefined);
  await world.pg?.close().catch(() => undefined);
}

export { sleep };
