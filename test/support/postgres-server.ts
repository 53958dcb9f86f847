import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverPort } from './redis-server';

/** Options of a private PostgreSQL cluster. */
export interface PostgresServerOptions {
  /** Where initdb, pg_ctl and postgres are; default TEST_PG_BIN, else the newest /usr/lib/postgresql/<major>/bin, else `pg_config --bindir`. */
  binDir?: string;
}

/**
 * A PostgreSQL cluster of a test's (or the chaos suite's) own: initdb into a temp directory, a free
 * port of 127.0.0.1, trust authentication for user `postgres`. PostGIS comes from the system-wide
 * installation, so `CREATE EXTENSION postgis` works in it. It can be stopped and started again on
 * the SAME port (clients reconnect to the same URL), which the machine's shared server must never
 * be. Run as root, the cluster runs as the `postgres` user (PostgreSQL refuses root). Always
 * `close()` it; an immediate shutdown also runs if the process exits without that.
 */
export interface PostgresServer {
  readonly port: number;
  /** Whether the postmaster is running. */
  readonly running: boolean;
  /** postgres://postgres@127.0.0.1:<port>/<database> (default database `postgres`). */
  url(database?: string): string;
  /** Starts the cluster (again) and waits until it accepts connections. */
  start(): Promise<void>;
  /**
   * Stops it and waits: `fast` (the default: sessions terminated with 57P01, open transactions rolled
   * back, a clean checkpoint), `immediate` (a crash: recovery from the WAL at the next start), `smart`.
   */
  stop(mode?: 'fast' | 'immediate' | 'smart'): Promise<void>;
  /** stop() then start(). */
  restart(mode?: 'fast' | 'immediate' | 'smart'): Promise<void>;
  /** The last lines of the server's log, to explain a failure. */
  log(): string;
  /** Stops it for good (immediate) and removes its directory. Safe to call twice. */
  close(): Promise<void>;
}

const live = new Set<() => void>();
let exitHookInstalled = false;

/** The directory of initdb / pg_ctl / postgres: the newest major version installed. */
export function postgresBinDir(): string {
  if (process.env.TEST_PG_BIN) return process.env.TEST_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors.length > 0) return join(root, majors[0], 'bin');
  }
  return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
}

/** As root, run PostgreSQL's programs as the `postgres` user; otherwise as ourselves. */
function asServerUser(): { wrap(bin: string, args: string[]): [string, string[]]; chown(dir: string): void } {
  if (process.getuid?.() !== 0) return { wrap: (bin, args) => [bin, args], chown: () => undefined };
  return {
    wrap: (bin, args) => ['runuser', ['-u', 'postgres', '--', bin, ...args]],
    chown: (dir) => void execFileSync('chown', ['-R', 'postgres:postgres', dir]),
  };
}

/** Runs a command to its end without blocking the event loop (a load generator keeps going meanwhile). */
function run(command: [string, string[]], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command[1], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (err) => reject(new Error(`${what}: ${err.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${what} exited ${code}:\n${output}`))));
  });
}

/** Creates a cluster in a new temp directory, starts it on a free port and waits until it accepts connections. */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = options.binDir ?? postgresBinDir();
  const user = asServerUser();
  const dir = mkdtempSync(join(tmpdir(), 'wangge-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  writeFileSync(logFile, '');
  user.chown(dir);
  await run(user.wrap(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']), 'initdb');
  const port = await serverPort();
  // A scratch cluster: no fsync (the machine does not crash in these runs; the server does, and
  // its WAL still brings back every commit), one socket directory of its own.
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
    '-c shared_buffers=64MB',
  ].join(' ');
  let running = false;
  let closed = false;
  const pgCtl = (args: string[], what: string) => run(user.wrap(join(bin, 'pg_ctl'), ['-D', data, ...args]), what);

  function immediateStop(): void {
    if (!running) return;
    running = false;
    spawnSync(...user.wrap(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
  }
  live.add(immediateStop);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const stop of live) stop();
    });
  }

  async function start(): Promise<void> {
    if (closed) throw new Error('postgres: closed');
    if (running) return;
    // -w: wait until it accepts connections (after recovery, when it had crashed).
    await pgCtl(['-l', logFile, '-o', serverOptions, '-t', '60', '-w', 'start'], `pg_ctl start (port ${port})`);
    running = true;
  }

  async function stop(mode: 'fast' | 'immediate' | 'smart' = 'fast'): Promise<void> {
    if (!running) return;
    running = false;
    await pgCtl(['-m', mode, '-t', '60', '-w', 'stop'], `pg_ctl stop -m ${mode}`);
  }

  await start();
  return {
    port,
    get running() {
      return running;
    },
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop,
    async restart(mode) {
      await stop(mode);
      await start();
    },
    log: () => readFileSync(logFile, 'utf8').slice(-4000),
    async close() {
      if (closed) return;
      closed = true;
      immediateStop();
      live.delete(immediateStop);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
