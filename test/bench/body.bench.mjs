// Benchmark: intake under an oversized-body attack. N parallel anonymous posts of S MiB each (half
// with Content-Length, half chunked without it; alternately JSON to POST /api/v1/cases and a form to
// POST /open311/v2/requests.json) against a real intake process started with its production flags
// (384 MB heap). Samples intake's resident memory every 10 ms while the bodies are sent and prints
// one JSON line: idle and peak RSS, the answers' statuses, and whether intake still answers /health.
//
//   usage: node test/bench/body.bench.mjs [clients] [MiB]     (defaults 20 clients, 40 MiB each)
//   env:   BENCH_PG_URL (server; database `wangge_bench_body` is created and dropped), BENCH_PORT (3993),
//          BENCH_REDIS_URL (default: a private redis-server for the run).
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { children, cleanupOnExit, run, sleep, start, stop } from './support/processes.mjs';
import { benchRedis, processRssMb, waitHealthy } from './support/system.mjs';

const clients = Number(process.argv[2] ?? 20);
const mib = Number(process.argv[3] ?? 40);
const port = Number(process.env.BENCH_PORT ?? 3993);
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'wangge_bench_body';
const dbUrl = new URL(server);
dbUrl.pathname = `/${DB}`;
const admin = new pg.Client({ connectionString: server });

const cleanup = cleanupOnExit(async () => {
  await Promise.all(children.map((c) => stop(c)));
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

/** The kernel's peak resident memory of a process (VmHWM), in MiB. */
function peakRssMb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Sends one body of `bytes` bytes (a valid JSON or form body once read whole); resolves with the status, or the error. */
function attack(i, bytes) {
  const json = i % 2 === 0;
  const chunked = i % 4 >= 2;
  const head = Buffer.from(json ? '{"description":"' : 'service_code=E0102&lat=34.7&long=113.6&description=');
  const tail = Buffer.from(json ? '"}' : '');
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  const total = head.length + bytes + tail.length;
  const headers = { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', ...(chunked ? {} : { 'content-length': String(total) }) };
  return new Promise((resolve) => {
    let settled = false;
    const done = (v) => !settled && ((settled = true), resolve(v));
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: json ? '/api/v1/cases' : '/open311/v2/requests.json', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(String(res.statusCode)));
      res.on('error', () => done(String(res.statusCode)));
    });
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', (err) => setTimeout(() => done(err.code ?? err.message), 100));
    let sent = 0;
    const pump = () => {
      if (sent === 0 && !req.write(head)) return void req.once('drain', pump);
      while (sent < bytes) {
        const n = Math.min(chunk.length, bytes - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    req.on('socket', pump);
  });
}

try {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const { url: redisUrl } = await benchRedis(process.env.BENCH_REDIS_URL);
  const env = { ...process.env, DATABASE_URL: dbUrl.toString(), REDIS_URL: redisUrl, JWT_SECRET: randomBytes(32).toString('hex'), INTAKE_PORT: String(port), LOG_LEVEL: 'warn' };
  await run(process.execPath, ['dist/apps/cli/src/main.js', 'migrate'], env);
  // The flags intake runs with in production (apps/cli start, docker/entrypoint.sh).
  const intake = start(process.execPath, ['--max-semi-space-size=32', '--max-old-space-size=384', 'dist/apps/intake/src/main.js'], env);
  await waitHealthy('intake', intake, `http://127.0.0.1:${port}/health`);
  await sleep(1000);
  const idle = processRssMb(intake.pid);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, processRssMb(intake.pid), peakRssMb(intake.pid))), 10);
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: clients }, (_, i) => attack(i, mib * 1024 * 1024)));
  const seconds = (Date.now() - started) / 1000;
  await sleep(500);
  clearInterval(sampler);
  peak = Math.max(peak, peakRssMb(intake.pid));
  const alive = intake.exitCode === null && intake.signalCode === null && (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status < 500, () => false));
  const statuses = {};
  for (const a of answers) statuses[a] = (statuses[a] ?? 0) + 1;
  const out = { clients, mibEach: mib, idleRssMb: Math.round(idle), peakRssMb: Math.round(peak), seconds: Math.round(seconds * 10) / 10, statuses, intakeAlive: alive };
  if (!alive) out.intakeTail = intake.tail.slice(-600);
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await cleanup();
}
