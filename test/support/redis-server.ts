import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of a test's own Redis. */
export interface RedisServerOptions {
  /** Keep data across `stop()` / `start()` (append-only file, fsync on every write, in a temp dir). Default: no persistence. */
  persist?: boolean;
  /** The binary; default `redis-server` on the PATH (or TEST_REDIS_SERVER). */
  binary?: string;
}

/**
 * A `redis-server` of a test's own, on a free port of 127.0.0.1, so a test can stop and restart it
 * (on the SAME port: clients reconnect to the same URL) and count what is in it exactly. Always
 * `close()` it in afterAll; the process is also killed if the test process exits without that.
 */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** Starts the server (again) on the same port and waits until it answers, as itself. */
  start(): Promise<void>;
  /** Stops the server and waits for the process to exit. SIGKILL simulates a crash. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open but nothing answers, like a hung Redis. */
  pause(): void;
  /** Thaws a paused server (SIGCONT). */
  resume(): void;
  /** stop() then start(). */
  restart(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Stops the server for good and removes its directory. Safe to call twice. */
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether nobody listens on 127.0.0.1:port right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The lowest port the kernel hands out by itself (listen(0), outgoing connections). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32768;
  } catch {
    return 32768;
  }
}

/** Port slices below the ephemeral range, one per Vitest worker. */
const SLICE_BASE = 20000;
const SLICES = 8;

/**
 * A free port for a server that a test stops and starts again on the same port (its clients keep
 * the URL). A port from listen(0) is not safe for that: while the server is down, the kernel may
 * give the same port to any other listen(0) or outgoing connection, or another test's server may be
 * started on it. So: a port below the kernel's ephemeral range, in a slice of its own per Vitest
 * worker (two test files running at once never draw from the same slice).
 */
export async function serverPort(): Promise<number> {
  const width = Math.floor((ephemeralLow() - SLICE_BASE) / SLICES);
  if (width < 100) return freePort();
  const worker = Number(process.env.VITEST_POOL_ID ?? 1) % SLICES;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = SLICE_BASE + worker * width + randomInt(width);
    if (await isFree(port)) return port;
  }
  return freePort();
}

/** The `process_id` a Redis on this port reports (INFO server), or null when none answers. */
export function redisPid(port: number, timeoutMs = 500): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let answer = '';
    const done = (pid: number | null) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.on('error', () => done(null));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      const pid = /process_id:(\d+)/.exec(answer);
      if (pid) done(Number(pid[1]));
      else if (answer.startsWith('-')) done(null);
    });
    socket.connect(port, '127.0.0.1', () => socket.write('*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n'));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a redis-server of the test's own and waits until it answers, as itself (INFO shows its pid). */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  installExitHook();
  const binary = options.binary ?? process.env.TEST_REDIS_SERVER ?? 'redis-server';
  const dir = mkdtempSync(join(tmpdir(), 'wangge-redis-'));
  const port = await serverPort();
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--daemonize', 'no',
    '--logfile', '',
    '--databases', '1',
    ...(options.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ];
  let child: ChildProcess | null = null;
  let closed = false;

  async function start(): Promise<void> {
    if (closed) throw new Error('redis-server: closed');
    if (child) return;
    // The port was free when chosen; after a stop() it is ours again (Redis binds with SO_REUSEADDR).
    for (let attempt = 0; ; attempt++) {
      const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
      };
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
      let exited = false;
      proc.once('exit', () => {
        exited = true;
        live.delete(proc);
      });
      const spawnError = new Promise<Error>((resolve) => proc.once('error', resolve));
      live.add(proc);
      const deadline = Date.now() + 10_000;
      while (!exited && Date.now() < deadline) {
        const failed = await Promise.race([spawnError, sleep(0).then(() => null)]);
        if (failed) throw new Error(`redis-server: cannot start ${binary}: ${failed.message}`);
        const pid = await redisPid(port);
        if (pid === proc.pid) {
          child = proc;
          return;
        }
        // Another Redis answers on our port (it took it while ours was down): say so, never talk to it.
        if (pid !== null && exited) throw new Error(`redis-server: port ${port} is held by another Redis (pid ${pid}):\n${output}`);
        await sleep(50);
      }
      proc.kill('SIGKILL');
      if (exited && /Address already in use/i.test(output) && attempt < 20) {
        await sleep(250);
        continue;
      }
      throw new Error(`redis-server on port ${port} did not answer PING:\n${output}`);
    }
  }

  async function stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const proc = child;
    if (!proc) return;
    child = null;
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGCONT'); // a paused server would not act on SIGTERM
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    live.delete(proc);
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null;
    },
    start,
    stop,
    pause() {
      if (!child) throw new Error('redis-server: not running');
      child.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async restart(signal) {
      await stop(signal);
      await start();
    },
    async close() {
      if (closed) return;
      await stop('SIGKILL');
      closed = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
