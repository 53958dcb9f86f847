import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../apps/cli/src/commands/import.command';
import { startIntake, type RunningApp } from '../support/apps';
import { runCliCommand } from '../support/cli';
import { brokenCells, BROKEN_CELLS, OPEN_RING_PROBLEM, UNNAMED_PROBLEM, UNNAMED_WAYS, unnamedRoads } from './problem-files';

const TOTAL = UNNAMED_WAYS + BROKEN_CELLS;

describe('import problems a person can act on: 758 unnamed road ways and 3 broken cells', () => {
  let intake: RunningApp;
  let admin: string;
  let dir: string;

  const post = (body: unknown, query = '') =>
    fetch(`${intake.baseUrl}/api/v1/admin/import${query}`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const files = [
    { name: 'roads.geojson', content: unnamedRoads() },
    { name: 'cells.geojson', content: brokenCells() },
  ];

  beforeAll(async () => {
    intake = await startIntake('import_problems');
    admin = await intake.bearer('admin');
    dir = mkdtempSync(join(tmpdir(), 'wangge-import-problems-'));
  });
  afterAll(async () => {
    await intake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the endpoint answers two groups with their counts and first five examples, beside every record in details', async () => {
    const res = await post({ files });
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: string;
      details: unknown[];
      groups: { problem: string; count: number; examples: { file: string; feature: string; problem: string }[] }[];
    };
    expect(body.error).toBe('import_rejected');
    expect(body.details).toHaveLength(TOTAL);
    expect(body.groups.map((g) => [g.problem, g.count, g.examples.length])).toEqual([
      [UNNAMED_PROBLEM, UNNAMED_WAYS, 5],
      [OPEN_RING_PROBLEM, BROKEN_CELLS, BROKEN_CELLS],
    ]);
    expect(body.groups[0].examples[0]).toEqual({ file: 'roads.geojson', feature: 'features[0]', problem: UNNAMED_PROBLEM });
    expect(body.groups[1].examples.map((e) => e.feature)).toEqual([1, 2, 3].map((n) => `features[${n - 1}] (code 41010400195000${n})`));
  });

  it('answers every problem as CSV with ?format=csv, still 422 and nothing written', async () => {
    const res = await post({ files }, '?format=csv');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('import-problems.csv');
    // UTF-8 with a byte-order mark: spreadsheet programs read the Chinese right.
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe('\uFEFFfile,record,problem,group');
    expect(lines).toHaveLength(TOTAL + 1);
    expect(lines.filter((l) => l.endsWith(`,${UNNAMED_PROBLEM}`))).toHaveLength(UNNAMED_WAYS);
    expect((await post({ files, skipInvalid: true, dryRun: true }, '?format=csv')).status).toBe(200);
  });

  it('names a bad format', async () => {
    const res = await post({ files }, '?format=xml');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: { field: string }[] }).details.map((d) => d.field)).toEqual(['format']);
  });

  it('the skipped records of an import that skips them are grouped the same way', async () => {
    const res = await post({ files, skipInvalid: true, dryRun: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { skipped: unknown[]; skippedGroups: { problem: string; count: number }[] };
    expect(body.skipped).toHaveLength(TOTAL);
    expect(body.skippedGroups.map((g) => [g.problem, g.count])).toEqual([
      [UNNAMED_PROBLEM, UNNAMED_WAYS],
      [OPEN_RING_PROBLEM, BROKEN_CELLS],
    ]);
  });

  it('the CLI prints the two groups with examples, not a line per problem, and writes them all beside the first file', async () => {
    const roads = join(dir, 'roads.geojson');
    const cells = join(dir, 'cells.geojson');
    writeFileSync(roads, files[0].content);
    writeFileSync(cells, files[1].content);
    const { code, err } = await runCliCommand(importCommand, [roads, cells], { DATABASE_URL: intake.databaseUrl });
    expect(code).toBe(1);
    const lines = err.split('\n').filter((l) => l !== '');
    expect(lines[0]).toMatch(/^import refused: 761 problems, nothing was written/);
    expect(lines.slice(1)).toEqual([
      '2 kinds of problem · 2 类问题:',
      `  ${UNNAMED_WAYS} × ${UNNAMED_PROBLEM}`,
      ...[0, 1, 2, 3, 4].map((i) => `      roads.geojson: features[${i}]: ${UNNAMED_PROBLEM}`),
      `      … and ${UNNAMED_WAYS - 5} more · 另有 ${UNNAMED_WAYS - 5} 条`,
      `  ${BROKEN_CELLS} × ${OPEN_RING_PROBLEM}`,
      ...[1, 2, 3].map((n) => `      cells.geojson: features[${n - 1}] (code 41010400195000${n}): ${OPEN_RING_PROBLEM}`),
      `the full list (${TOTAL} problems) · 完整列表: ${roads}.problems.csv`,
    ]);
    const csv = readFileSync(`${roads}.problems.csv`, 'utf8').split('\r\n').filter((l) => l !== '');
    expect(csv).toHaveLength(TOTAL + 1);
    expect(csv[1]).toBe(`roads.geojson,features[0],${UNNAMED_PROBLEM},${UNNAMED_PROBLEM}`);
  });
});
