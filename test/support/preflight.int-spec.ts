import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@wangge/database';
import { type MachineFacts, preflight, probeMachine } from './preflight.mjs';

/**
 * The preflight (`npm test`'s first step) run for real on this machine, with the missing pieces
 * made by pointing it at servers that lack them: a real PostgreSQL server without PostGIS (PGlite
 * over TCP), a Redis port where nothing listens, a host that does not exist. Nothing is removed
 * from the machine; what root would install is recorded instead of run.
 */
const SCRIPT = resolve(__dirname, 'preflight.mjs');
const asRoot = process.getuid?.() === 0;

/**
 * Runs the script as a user who is not root (nobody, when the tests run as root). Asynchronously:
 * the PostgreSQL server of one case below answers from this process.
 */
function runScript(env: Record<string, string>, user: 'self' | 'not-root' = 'self'): Promise<{ code: number; lines: string[] }> {
  const argv = user === 'not-root' && asRoot ? ['runuser', '-u', 'nobody', '--', process.execPath, SCRIPT] : [process.execPath, SCRIPT];
  return new Promise((done) => {
    const child = execFile(argv[0], argv.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 }, (_err, _stdout, stderr) =>
      done({ code: child.exitCode ?? -1, lines: stderr.split('\n').filter(Boolean) }),
    );
  });
}

/** The real probes, as root would see them, with the commands recorded (or run, where `perform` says). */
function asRootRecorded(env: Record<string, string>, perform: (command: string[]) => string | undefined = () => undefined) {
  const ran: string[][] = [];
  const lines: string[] = [];
  const run = (command: string[]) => {
    ran.push(command);
    return Promise.resolve(perform(command));
  };
  const probe = async (): Promise<MachineFacts> => ({ ...(await probeMachine({ ...process.env, ...env })), debian: true, root: true });
  return { ran, lines, go: () => preflight({ probe, run, log: (l) => void lines.push(l), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }) };
}

describe('preflight on this machine', () => {
  it('finds everything in place and says nothing', async () => {
    const { code, lines } = await runScript({});
    expect(lines).toEqual([]);
    expect(code).toBe(0);
  });

  it('with TEST_PG_URL on another machine that cannot be reached, stops with one line and touches nothing here', async () => {
    const { code, lines } = await runScript({ TEST_PG_URL: 'postgres://postgres@db.invalid:5432/postgres' });
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^npm test cannot run here: cannot reach PostgreSQL at db.invalid:5432 \(TEST_PG_URL\): .*ENOTFOUND/)]);
  });
});

describe('preflight against a PostgreSQL server without PostGIS', () => {
  let db: PGlite;
  let server: PGLiteSocketServer;
  let url: string;
  let major: string;
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
    major = String(Math.floor(Number((await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0].v) / 10000));
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: await freePort(0), maxConnections: 4 });
    await server.start();
    url = `postgres://postgres@${server.getServerConn()}/postgres`;
  });
  afterAll(async () => {
    await server.stop();
    await db.close();
  });

  it('without root: stops with one line naming the package for the server\'s major version', async () => {
    const { code, lines } = await runScript({ TEST_PG_URL: url }, 'not-root');
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringContaining(`PostGIS is missing for PostgreSQL ${major} on ${server.getServerConn()} (TEST_PG_URL): as root run \`apt-get install -y postgresql-${major}-postgis-3\``)]);
  });

  it('as root: runs apt-get update once and installs PostGIS for that major version, then stops when it did not help', async () => {
    const root = asRootRecorded({ TEST_PG_URL: url });
    expect(await root.go()).toBe(1);
    expect(root.ran).toEqual([
      ['apt-get', 'update', '-qq'],
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', `postgresql-${major}-postgis-3`],
    ]);
    expect(root.lines.at(-1)).toMatch(/^npm test cannot run here: installing PostGIS for PostgreSQL \d+ did not help/);
  });
});

describe('preflight with Redis stopped', () => {
  let port: number;
  let dir: string;
  beforeAll(async () => {
    port = await freePort(0);
    dir = mkdtempSync(join(tmpdir(), 'wangge-preflight-redis-'));
  });
  afterAll(async () => {
    // SHUTDOWN NOSAVE to the scratch Redis this test started (never the shared one on 6379).
    await new Promise<void>((done) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => socket.end('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n'));
      socket.on('close', () => done());
      socket.on('error', () => done());
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('without root: stops with the redis-server command for that port', async () => {
    const { code, lines } = await runScript({ TEST_REDIS_URL: `redis://127.0.0.1:${port}` }, 'not-root');
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringContaining(`Redis is stopped (nothing answers on 127.0.0.1:${port} (TEST_REDIS_URL)): as root run \`redis-server --daemonize yes --bind 127.0.0.1 -::1 --port ${port} --save ""`)]);
  });

  it('as root: starts redis-server on that port and goes ahead once it answers', async () => {
    // The start command runs for real, with its data and log directories moved to a scratch folder.
    const root = asRootRecorded({ TEST_REDIS_URL: `redis://127.0.0.1:${port}` }, ([command, ...args]) => {
      if (command !== 'redis-server') return undefined;
      const started = spawnSync(command, [...args, '--dir', dir, '--logfile', join(dir, 'redis.log')], { encoding: 'utf8' });
      return started.status === 0 ? undefined : `exit ${started.status}`;
    });
    expect(await root.go()).toBe(0);
    expect(root.ran.map((c) => c[0])).toEqual(['mkdir', 'redis-server']);
    expect(root.ran[1]).toEqual(expect.arrayContaining(['--port', String(port), '--save', '']));
    expect(root.lines).toEqual(['preflight: starting Redis']);
  });
});
