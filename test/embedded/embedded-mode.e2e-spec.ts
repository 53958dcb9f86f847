import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FeedClient } from '../feed/helpers/feed-client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isPortFree } from '@wangge/database';
import { REDIS_URL } from '../support/database';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/apps/cli/src/main.js');
/** First start: PGlite's initdb, PostGIS, migrations, the demo district, three apps. */
const READY_TIMEOUT_MS = 300_000;

/** The launcher needs the built apps; a checkout without dist/ gets them built once. */
function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  for (const project of ['intake', 'dispatcher', 'feed', 'cli']) {
    execFileSync('npx', ['nest', 'build', project], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing after \`nest build\`: run \`npm run build\``);
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((r) => child.once('exit', (code) => r(code)));
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy after ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Cases each start reports and registers; every one must be dispatched. */
const CASES = 12;

/**
 * `npm start` with nothing configured but Redis: the embedded PostgreSQL, a generated JWT secret,
 * migrations and the demo district, the three apps, then a clean stop on Ctrl-C. Twice, each time
 * with a fresh data directory over the same Redis, which is never flushed: the second database
 * numbers its outbox rows and events from where the first began, and must not take the first's
 * jobs (still in Redis) for its own.
 */
describe('npm start in embedded mode', () => {
  const dataDirs: string[] = [];
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exitOf(child);
    }
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function startOnce(round: number): Promise<{ prefix: string }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'wangge-start-'));
    dataDirs.push(dataDir);
    output = '';
    const ports = { intake: await freePort(0), feed: await freePort(0), dispatcher: await freePort(0), pg: await freePort(0) };
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    delete env.JWT_SECRET;
    Object.assign(env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      MEDIA_DIR: join(dataDir, 'media'),
      // The shared Redis as it is, other suites' keys and all.
      REDIS_URL,
      INTAKE_PORT: String(ports.intake),
      FEED_PORT: String(ports.feed),
      DISPATCHER_PORT: String(ports.dispatcher),
      EMBEDDED_PG_PORT: String(ports.pg),
      DEMO_PASSWORD: 'demo1234',
      // The loop from an empty case table (the demo's history is seed-demo's, test/demo/demo-history.int-spec.ts).
      DEMO_HISTORY_DAYS: '0',
    });

    const started = Date.now();
    child = spawn(process.execPath, [CLI, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const base = `http://127.0.0.1:${ports.intake}`;
    await waitForHealth(`${base}/health`, child, () => output);
    await expect.poll(() => output, { timeout: 30_000 }).toContain('Wangge 网格 is running');
    expect(output).toContain(`http://localhost:${ports.intake}/docs`);
    expect(output).toMatch(/operator\s+operator/);
    // The banner names the database's own Redis keys, and /health says the same.
    const prefix = /Redis keys 键前缀\s+(wangge:\{[0-9a-f]{12}\})/.exec(output)?.[1];
    expect(prefix, output).toBeDefined();
    const health = (await (await fetch(`${base}/health`)).json()) as { info: { redis: { keyPrefix: string; db: number } } };
    expect(health.info.redis).toMatchObject({ keyPrefix: prefix, db: 0 });
    process.stdout.write(`embedded mode (start ${round}) ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: 'demo1234' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const locate = await fetch(`${base}/api/v1/locate?lng=113.68&lat=34.74`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(locate.status).toBe(200);
    const located = (await locate.json()) as { gridCell: { code: string } | null };
    expect(located.gridCell?.code).toMatch(/^410104\d{9}$/);

    // The command center's live feed, on the feed process of the same platform.
    const feed = new FeedClient(`http://127.0.0.1:${ports.feed}`, { token: accessToken, afterSeq: 0 });
    await feed.connected();

    // The closed loop runs on the embedded database too: citizens report, the operator registers,
    // the dispatcher routes each case to its chief; the feed shows each step.
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const ids: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const reported = await fetch(`${base}/api/v1/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ categoryCode: 'E0102', description: `暴露垃圾 garbage ${round}.${i}`, location: { lng: 113.68 + i * 0.0004, lat: 34.74 } }),
      });
      expect(reported.status).toBe(201);
      const { id } = (await reported.json()) as { id: string };
      const registered = await fetch(`${base}/api/v1/cases/${id}/register`, { method: 'POST', headers: auth, body: '{}' });
      expect(registered.status, `${await registered.text()}\n${output.slice(-3000)}`).toBe(200);
      ids.push(id);
    }
    // The dispatcher routes them (on a loaded machine the embedded database answers slowly: up to a minute).
    const statuses = new Map<string, string>();
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      for (const id of ids) {
        if (statuses.get(id) !== 'dispatched') statuses.set(id, ((await (await fetch(`${base}/api/v1/cases/${id}`, { headers: auth })).json()) as { status: string }).status);
      }
      if (ids.every((id) => statuses.get(id) === 'dispatched')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const stuck = ids.filter((id) => statuses.get(id) !== 'dispatched');
    expect(stuck, `not dispatched within a minute (start ${round}):\n${output.slice(-20000)}`).toEqual([]);
    for (const id of ids) {
      await feed.until(() => feed.events.some((e) => e.caseId === id && e.type === 'case.dispatched'), 15_000, 'the dispatch on the feed');
      expect(feed.events.filter((e) => e.caseId === id).map((e) => e.type)).toEqual(['case.reported', 'case.registered', 'case.dispatched']);
    }
    feed.close();

    const stopAt = Date.now();
    child.kill('SIGINT');
    const code = await Promise.race([exitOf(child), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    expect(code, output).toBe(0);
    process.stdout.write(`embedded mode (start ${round}) stopped in ${((Date.now() - stopAt) / 1000).toFixed(1)} s\n`);
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(true);
    expect(existsSync(join(dataDir, 'pg.lock'))).toBe(false);
    for (const port of [ports.intake, ports.feed, ports.dispatcher, ports.pg]) expect(await isPortFree(port)).toBe(true);
    return { prefix: prefix! };
  }

  it(
    'starts everything, answers an authenticated locate, dispatches every registered report, and stops cleanly on SIGINT; twice, on a fresh data directory over the same Redis',
    { timeout: 2 * (READY_TIMEOUT_MS + 120_000) },
    async () => {
      ensureBuilt();
      const first = await startOnce(1);
      const second = await startOnce(2);
      expect(second.prefix).not.toBe(first.prefix);
    },
  );
});
