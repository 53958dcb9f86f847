import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '@wangge/database';

/** True when a Redis at host:port answers PING with PONG (no password) within `timeoutMs`. */
export function pingRedis(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

/** `redis-server` is not on the PATH. */
export class RedisServerNotFoundError extends Error {
  constructor() {
    super('redis-server was not found on the PATH');
    this.name = 'RedisServerNotFoundError';
  }
}

export interface LocalRedisOptions {
  /** Directory of the append-only file. */
  dir: string;
  /** Preferred port on 127.0.0.1; when omitted or taken, the system picks a free one. */
  port?: number;
  /** Receives redis-server's own log lines. */
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface LocalRedis {
  url: string;
  port: number;
  dir: string;
  /** SIGTERM (Redis flushes its append-only file and exits), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGTERM without waiting: for a launcher that exits at once. */
  kill(): void;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * Starts a redis-server for this machine only: bound to 127.0.0.1, append-only persistence under
 * `dir`, no RDB snapshots, and `noeviction` (BullMQ needs every key it writes). Resolves when it
 * answers PING. Runs in its own process group, so a Ctrl-C in the terminal reaches only the
 * launcher, which stops Redis after the apps.
 */
export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const port = await freePort(options.port ?? 0);
  const log = options.log ?? (() => undefined);
  const child = spawn(
    'redis-server',
    [
      '--bind', '127.0.0.1',
      '--port', String(port),
      '--dir', dir,
      '--appendonly', 'yes',
      '--save', '',
      '--maxmemory-policy', 'noeviction',
      '--protected-mode', 'yes',
      '--daemonize', 'no',
      '--loglevel', 'warning',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => line.trim() && log(line));
  }

  const failure = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new RedisServerNotFoundError() : err));
    child.once('exit', (code, signal) => reject(new Error(`redis-server exited during start (${signal ?? `code ${code}`})`)));
  });
  failure.catch(() => undefined);

  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  const ready = (async () => {
    while (!(await pingRedis('127.0.0.1', port, 500))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const stop = async (timeoutMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const done = exited(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await done;
    clearTimeout(timer);
  };

  try {
    await Promise.race([ready, failure]);
  } catch (err) {
    await stop(2000);
    throw err;
  }
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  return { url: `redis://127.0.0.1:${port}`, port, dir, stop, kill };
}
