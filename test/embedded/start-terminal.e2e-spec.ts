import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@wangge/database';
import { createTestDatabase, REDIS_URL } from '../support/database';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/apps/cli/src/main.js');
const READY_TIMEOUT_MS = 180_000;
const PROCESSES = ['start', 'intake', 'feed', 'dispatcher'];
/** A readable line: time, process, level, message. */
const PRETTY_LINE = /^\d\d:\d\d:\d\d (\S+)\s+(TRACE|DEBUG|INFO|WARN|ERROR|FATAL) /;

function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  for (const project of ['intake', 'dispatcher', 'feed', 'cli']) {
    execFileSync('npx', ['nest', 'build', project], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

/** The lines of `npm start`'s output that are not the banner (between its two rules of `=`). */
function logLines(output: string): string[] {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const first = lines.findIndex((l) => /^={20,}$/.test(l));
  const last = lines.findLastIndex((l) => /^={20,}$/.test(l));
  return first < 0 ? lines : [...lines.slice(0, first), ...lines.slice(last + 1)];
}

const isJson = (line: string) => {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
};

interface Run {
  output: string;
  trackingToken: string;
}

/**
 * `npm start` (the built CLI's `start`) on a copy of the demo database, as a person runs it in a
 * terminal: its output captured from the banner's first line to the stop after Ctrl-C. Between,
 * an anonymous report, its tracked read (the token in the query), and a refused tracked read.
 */
async function runStart(env: Record<string, string>): Promise<Run> {
  const db = await createTestDatabase('start_terminal');
  const dataDir = mkdtempSync(join(tmpdir(), 'wangge-terminal-'));
  const ports = { intake: await freePort(0), feed: await freePort(0), dispatcher: await freePort(0) };
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '' };
  Object.assign(childEnv, {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL,
    DATA_DIR: dataDir,
    MEDIA_DIR: join(dataDir, 'media'),
    INTAKE_PORT: String(ports.intake),
    FEED_PORT: String(ports.feed),
    DISPATCHER_PORT: String(ports.dispatcher),
    ...env,
  });
  let output = '';
  const child = spawn(process.execPath, [CLI, 'start'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!output.includes('Stop: Ctrl-C')) {
      if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no banner after ${READY_TIMEOUT_MS / 1000} s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const base = `http://127.0.0.1:${ports.intake}`;
    const reported = await fetch(`${base}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ categoryCode: 'E0102', description: '暴露垃圾 garbage', location: { lng: 113.68, lat: 34.74 } }),
    });
    expect(reported.status).toBe(201);
    const { id, trackingToken } = (await reported.json()) as { id: string; trackingToken: string };
    expect((await fetch(`${base}/api/v1/cases/${id}?trackingToken=${trackingToken}`)).status).toBe(200);
    // A read with the token that is refused (another case): a warning, logged whatever the format.
    expect((await fetch(`${base}/api/v1/cases/00000000-0000-4000-8000-000000000000?trackingToken=${trackingToken}`)).status).toBeGreaterThanOrEqual(400);
    // The request lines are written as the answers go out; the stop below comes after them.
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    expect(await exitOf(child), output).toBe(0);
    return { output, trackingToken };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exitOf(child);
    }
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  }
}

describe('npm start: a terminal for people', () => {
  beforeAll(() => ensureBuilt(), 600_000);

  it('shows the banner and one readable line per notable event, no JSON, no tracking token', { timeout: READY_TIMEOUT_MS + 60_000 }, async () => {
    const { output, trackingToken } = await runStart({});
    expect(output).toContain('Wangge 网格 is running');
    const lines = logLines(output);
    expect(lines.filter(isJson), output).toEqual([]);
    expect(lines.filter((l) => !PRETTY_LINE.test(l)), output).toEqual([]);
    // Every process says it started; Nest's line per module and route is gone (150 lines before).
    for (const name of PROCESSES) expect(lines.some((l) => PRETTY_LINE.exec(l)?.[1] === name && / INFO /.test(l)), `${name} in:\n${output}`).toBe(true);
    expect(lines.find((l) => / intake\s+INFO\s+intake listening on http:\/\/localhost:\d+/.test(l)), output).toBeDefined();
    expect(output).not.toMatch(/InstanceLoader|RouterExplorer|Mapped \{/);
    expect(lines.length, output).toBeLessThan(40);
    // The refused tracked read is a warning, its token redacted.
    expect(lines.find((l) => / WARN {2}GET \/api\/v1\/cases\/00000000-0000-4000-8000-000000000000\?trackingToken=\[redacted\] → 4\d\d/.test(l)), output).toBeDefined();
    expect(output).not.toContain(trackingToken);
  });

  it('writes JSON lines with LOG_FORMAT=json, each naming its process, with the tracked read and no token', { timeout: READY_TIMEOUT_MS + 60_000 }, async () => {
    const { output, trackingToken } = await runStart({ LOG_FORMAT: 'json' });
    expect(output).toContain('Wangge 网格 is running');
    const lines = logLines(output);
    expect(lines.filter((l) => !isJson(l)), output).toEqual([]);
    const entries = lines.map((l) => JSON.parse(l) as { level: number; service: string; msg: string; req?: { url: string } });
    for (const name of PROCESSES) expect(entries.some((e) => e.service === name), `${name} in:\n${output}`).toBe(true);
    const reads = entries.filter((e) => e.req?.url.includes('trackingToken'));
    expect(reads.map((e) => e.req?.url.replace(/cases\/[0-9a-f-]+/, 'cases/:id')), output).toEqual([
      'cases/:id?trackingToken=[redacted]',
      'cases/:id?trackingToken=[redacted]',
    ].map((u) => `/api/v1/${u}`));
    expect(output).not.toContain(trackingToken);
  });

  it('honours LOG_LEVEL=warn in every process: no info line from the launcher nor from the apps', { timeout: READY_TIMEOUT_MS + 60_000 }, async () => {
    const { output } = await runStart({ LOG_LEVEL: 'warn' });
    expect(output).toContain('Wangge 网格 is running');
    const lines = logLines(output);
    expect(lines.filter((l) => / (INFO|DEBUG|TRACE) /.test(l)), output).toEqual([]);
    expect(lines.filter((l) => !PRETTY_LINE.test(l)), output).toEqual([]);
    expect(lines.find((l) => / intake\s+WARN {2}GET \/api\/v1\/cases\/0{8}-/.test(l)), output).toBeDefined();
  });
});
