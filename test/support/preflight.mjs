#!/usr/bin/env node
/**
 * The first step of `npm test`: makes this machine ready for every test, or stops at once with one
 * line that says what to install.
 *
 * On a machine of our kind (Debian, run as root, PostgreSQL and Redis on this machine) it starts
 * PostgreSQL and Redis when they are stopped and installs what is missing with apt-get: PostGIS for
 * the server's major version, Redis, Chromium (the console's browser tests) and a CJK font (so the
 * Chinese pages render as text). Without root, on another OS, or when TEST_PG_URL / TEST_REDIS_URL
 * name another machine's servers, it changes nothing: it checks and names what is missing.
 *
 * The script is a loop: probe the machine, decide the one next step (pure: `decide`), run it,
 * probe again. A step that does not cure what it was for stops the run instead of repeating.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '']);
const APT = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq'];

/** How a server URL reads in a message: host:port and the variable it came from. */
function where(server, variable) {
  return `${server.host}:${server.port}${server.fromEnv ? ` (${variable})` : ''}`;
}

function install(pkg, say, cures) {
  return { step: { say, aptUpdate: true, commands: [[...APT, pkg]], cures } };
}

/**
 * The one line that stops the run when this machine cannot fix `what` itself: as root on Debian
 * the command is given as is; elsewhere, the package and the Debian command for reference.
 */
function missing(facts, what, debianCommand, otherOs) {
  if (!facts.debian) return { stop: `${what}: ${otherOs} (on Debian: ${debianCommand}), then run npm test again` };
  return { stop: `${what}: as root run \`${debianCommand}\`, then run npm test again` };
}

/**
 * The next step for these facts: `{ ok: true }` when the machine is ready, `{ step }` to run, or
 * `{ stop: line }` when it cannot go on. Pure, so a table test covers every branch.
 */
export function decide(facts) {
  const { postgres: pg, redis } = facts;
  const mayChange = facts.debian && facts.root;

  if (!pg.reachable) {
    if (!pg.local) return { stop: `cannot reach PostgreSQL at ${where(pg, 'TEST_PG_URL')}: ${pg.error}; start it or point TEST_PG_URL at a PostgreSQL with PostGIS` };
    if (!pg.down) return { stop: `PostgreSQL at ${where(pg, 'TEST_PG_URL')} refused the tests: ${pg.error}; it needs user postgres with trust (or a password in TEST_PG_URL) on ${pg.host}` };
    const cluster = pg.clusters.at(-1);
    if (!cluster) {
      const what = `PostgreSQL is not installed (nothing answers on ${where(pg, 'TEST_PG_URL')}; tests need user postgres with trust on 127.0.0.1, or TEST_PG_URL)`;
      return missing(facts, what, 'apt-get install -y postgresql', 'install PostgreSQL 15+ with PostGIS 3');
    }
    const start = ['pg_ctlcluster', '--skip-systemctl-redirect', cluster, 'main', 'start'];
    if (!mayChange) return missing(facts, `PostgreSQL is stopped (nothing answers on ${where(pg, 'TEST_PG_URL')})`, start.join(' '), 'start PostgreSQL');
    return { step: { say: `starting PostgreSQL ${cluster}`, commands: [start], waitSeconds: 30, cures: 'postgres' } };
  }

  if (!pg.postgis) {
    const pkg = `postgresql-${pg.major}-postgis-3`;
    if (!pg.local) return { stop: `PostgreSQL ${pg.major} at ${where(pg, 'TEST_PG_URL')} has no PostGIS: install ${pkg} (PostGIS 3 for PostgreSQL ${pg.major}) on that server` };
    if (!mayChange) return missing(facts, `PostGIS is missing for PostgreSQL ${pg.major} on ${where(pg, 'TEST_PG_URL')}`, `apt-get install -y ${pkg}`, `install PostGIS 3 for PostgreSQL ${pg.major}`);
    return install(pkg, `installing PostGIS for PostgreSQL ${pg.major}`, 'postgis');
  }

  if (!redis.reachable) {
    if (!redis.local) return { stop: `cannot reach Redis at ${where(redis, 'TEST_REDIS_URL')}: ${redis.error}; start it or point TEST_REDIS_URL at a Redis` };
    if (!redis.down) return { stop: `Redis at ${where(redis, 'TEST_REDIS_URL')} refused the tests: ${redis.error}` };
    if (!redis.serverInstalled) {
      if (!mayChange) return missing(facts, `Redis is not installed (nothing answers on ${where(redis, 'TEST_REDIS_URL')})`, 'apt-get install -y redis-server', 'install Redis 7+');
      return install('redis-server', 'installing Redis', 'redis-server');
    }
    const start = ['redis-server', '--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', String(redis.port), '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log'];
    if (!mayChange) {
      const shown = start.map((a) => (a === '' ? '""' : a)).join(' ');
      return missing(facts, `Redis is stopped (nothing answers on ${where(redis, 'TEST_REDIS_URL')})`, shown, 'start Redis');
    }
    return { step: { say: 'starting Redis', commands: [['mkdir', '-p', '/var/lib/redis', '/var/log/redis'], start], waitSeconds: 30, cures: 'redis' } };
  }

  if (!facts.chromium.present) {
    if (facts.chromium.custom) return { stop: `CHROMIUM_PATH=${facts.chromium.path} is not an executable: install Chromium there or unset CHROMIUM_PATH (the default is ${DEFAULT_CHROMIUM})` };
    if (!mayChange) return missing(facts, `Chromium is missing (${DEFAULT_CHROMIUM}, for the console's browser tests)`, 'apt-get install -y chromium', 'install Chromium and set CHROMIUM_PATH to it');
    return install('chromium', 'installing Chromium', 'chromium');
  }

  if (!facts.cjkFont) {
    if (!mayChange) return missing(facts, 'no CJK font (fc-list :lang=zh lists none; the console\'s pages are Chinese)', 'apt-get install -y fonts-wqy-microhei', 'install a CJK font such as WenQuanYi Micro Hei or Noto Sans CJK');
    return install('fonts-wqy-microhei', 'installing a CJK font', 'cjkFont');
  }

  return { ok: true };
}

/** Whether what a step was for is fixed in these facts (to tell a step that worked from one that did not). */
export function cured(facts, cures) {
  switch (cures) {
    case 'postgres': return facts.postgres.reachable;
    case 'postgis': return facts.postgres.reachable && facts.postgres.postgis;
    case 'redis': return facts.redis.reachable;
    case 'redis-server': return facts.redis.serverInstalled;
    case 'chromium': return facts.chromium.present;
    case 'cjkFont': return facts.cjkFont;
    default: return false;
  }
}

/**
 * Runs the loop with the given probe and runner (the real ones below, or fakes in the tests).
 * Returns 0 when the machine is ready, 1 after printing the one line that says why not.
 */
export async function preflight({ probe, run, log, sleep }) {
  let aptUpdated = false;
  const done = new Set();
  for (;;) {
    let facts = await probe();
    const next = decide(facts);
    if (next.ok) return 0;
    if (next.stop) {
      log(`npm test cannot run here: ${next.stop}`);
      return 1;
    }
    const { step } = next;
    if (done.has(step.say)) {
      log(`npm test cannot run here: ${step.say} did not help (${step.commands.map((c) => c.join(' ')).join('; ')}); see its output above`);
      return 1;
    }
    done.add(step.say);
    log(`preflight: ${step.say}`);
    const commands = step.aptUpdate && !aptUpdated ? [['apt-get', 'update', '-qq'], ...step.commands] : step.commands;
    aptUpdated ||= Boolean(step.aptUpdate);
    for (const command of commands) {
      const failure = await run(command);
      if (failure) {
        log(`npm test cannot run here: \`${command.join(' ')}\` failed (${failure}) while ${step.say}`);
        return 1;
      }
    }
    // A server just started takes a moment to answer.
    for (let waited = 0; waited < (step.waitSeconds ?? 0) && !cured(facts, step.cures); waited++) {
      await sleep(1000);
      facts = await probe();
    }
  }
}

// ---- The real probes -------------------------------------------------------------------------

function serverOf(raw, fallback, defaultPort) {
  const url = new URL(raw ?? fallback);
  return { url, host: url.hostname, port: Number(url.port || defaultPort), local: LOCAL_HOSTS.has(url.hostname), fromEnv: raw !== undefined };
}

/** Errors that mean "nothing is listening" (start it) rather than "something answered and said no". */
function isDown(err) {
  return ['ECONNREFUSED', 'ENOENT', 'ECONNRESET', '57P03'].includes(err?.code);
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function probePostgres(env) {
  const server = serverOf(env.TEST_PG_URL, DEFAULT_PG_URL, 5432);
  const clusters = existsSync('/etc/postgresql')
    ? readdirSync('/etc/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(a) - Number(b))
    : [];
  const base = { host: server.host, port: server.port, local: server.local, fromEnv: server.fromEnv, clusters };
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: server.url.toString(), connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query(
      `SELECT current_setting('server_version_num')::int / 10000 AS major,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS postgis`,
    );
    return { ...base, reachable: true, major: String(rows[0].major), postgis: rows[0].postgis };
  } catch (err) {
    return { ...base, reachable: false, down: isDown(err), error: err instanceof Error ? err.message || err.code : String(err) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One RESP round trip: AUTH when the URL has a password, then PING; resolves with the last reply line. */
function pingRedis(server) {
  const resp = (...args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  const password = decodeURIComponent(server.url.password);
  const user = decodeURIComponent(server.url.username);
  const auth = password ? (user ? resp('AUTH', user, password) : resp('AUTH', password)) : '';
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host.replace(/^\[|\]$/g, ''), port: server.port });
    let replies = '';
    const expected = auth ? 2 : 1;
    socket.setTimeout(5000, () => socket.destroy(Object.assign(new Error('no answer within 5 s'), { code: 'ETIMEDOUT' })));
    socket.on('connect', () => socket.write(auth + resp('PING')));
    socket.on('data', (chunk) => {
      replies += chunk.toString();
      const lines = replies.split('\r\n').filter(Boolean);
      if (lines.length >= expected) {
        socket.end();
        resolve(lines);
      }
    });
    socket.on('error', reject);
  });
}

async function probeRedis(env) {
  const server = serverOf(env.TEST_REDIS_URL, DEFAULT_REDIS_URL, 6379);
  const base = { host: server.host, port: server.port, local: server.local, fromEnv: server.fromEnv, serverInstalled: onPath('redis-server') };
  try {
    const lines = await pingRedis(server);
    const failed = lines.find((l) => l.startsWith('-'));
    if (failed) return { ...base, reachable: false, down: false, error: failed.slice(1) };
    return { ...base, reachable: true };
  } catch (err) {
    return { ...base, reachable: false, down: isDown(err), error: err instanceof Error ? err.message || err.code : String(err) };
  }
}

function probeChromium(env) {
  const path = env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  try {
    accessSync(path, constants.X_OK);
    return { path, custom: env.CHROMIUM_PATH !== undefined, present: true };
  } catch {
    return { path, custom: env.CHROMIUM_PATH !== undefined, present: false };
  }
}

function probeCjkFont() {
  const listed = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return listed.status === 0 && listed.stdout.trim() !== '';
}

export async function probeMachine(env = process.env) {
  const [postgres, redis] = await Promise.all([probePostgres(env), probeRedis(env)]);
  return {
    debian: process.platform === 'linux' && existsSync('/etc/debian_version') && onPath('apt-get'),
    root: typeof process.getuid === 'function' && process.getuid() === 0,
    postgres,
    redis,
    chromium: probeChromium(env),
    cjkFont: probeCjkFont(),
  };
}

/** Runs one command with its output shown; resolves with a failure description, or undefined. */
function runCommand([command, ...args]) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error) return Promise.resolve(result.error.message);
  return Promise.resolve(result.status === 0 ? undefined : `exit ${result.status ?? result.signal}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const code = await preflight({
    probe: () => probeMachine(process.env),
    run: runCommand,
    log: (line) => console.error(line),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
  process.exit(code);
}
