// What benchmarks read off this machine: free ports, readiness, and CPU and memory from /proc.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { sleep, start } from './processes.mjs';

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with the servers' Date.now()). */
export const nowMs = () => performance.timeOrigin + performance.now();

/** A TCP port nobody listens on, for a process a benchmark starts. */
export async function freePort() {
  // Below the kernel's ephemeral range: a port from listen(0) may be handed to an outgoing connection
  // (another process's PostgreSQL or Redis socket) in the seconds before the process that was given
  // it listens, which then fails with EADDRINUSE (seen: a bench:e2e run whose dispatcher never started).
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  for (let attempt = 0; attempt < 100 && low > 21000; attempt++) {
    const port = 20000 + randomInt(low - 20000);
    if (await listenable(port)) return port;
  }
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
    s.once('error', reject);
  });
}

/** Whether nothing listens on 127.0.0.1:port now. */
function listenable(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Waits until `url` answers 2xx (30 s), or fails with the child's output. */
export async function waitHealthy(name, child, url) {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    if (i > 150 || child.exitCode !== null) throw new Error(`${name} did not start:\n${child.tail}`);
    await sleep(200);
  }
}

const HZ = 100;

/** Core-seconds a process has used. */
export function processCpu(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / HZ;
  } catch {
    return 0;
  }
}

/** Busy core-seconds of the whole machine. */
export function machineBusy() {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3] - f[4]) / HZ;
}

/** Resident memory of a process, in MiB (0 once it is gone). */
export function processRssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

/**
 * The run's Redis: `url` if given, otherwise a redis-server of the run's own on a free port (nothing
 * on disk; stopped with the run's children), so the run's jobs and stream never meet other runs'.
 * Returns its URL and a client that answered a PING.
 */
export async function benchRedis(url) {
  if (!url) {
    const port = await freePort();
    start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], process.env);
    url = `redis://127.0.0.1:${port}`;
  }
  const client = new Redis(url, { maxRetriesPerRequest: 2, retryStrategy: (n) => (n > 50 ? null : 100) });
  client.on('error', () => undefined);
  await client.ping();
  return { url, client };
}
