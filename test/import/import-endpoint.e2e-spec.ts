import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';

const fixture = (name: string) => ({ name, content: readFileSync(join(__dirname, 'fixtures', name), 'utf8') });

describe('POST /api/v1/admin/import', () => {
  let intake: RunningApp;
  let admin: string;

  const post = async (body: unknown, auth = admin) => {
    const res = await fetch(`${intake.baseUrl}/api/v1/admin/import`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    intake = await startIntake('import_http');
    admin = await intake.bearer('admin');
  });
  afterAll(async () => intake?.close());

  it('imports the files for an admin and answers with the report', async () => {
    const { status, body } = await post({ files: [fixture('cells.geojson'), { ...fixture('roads.geojson'), kind: 'roads' }] });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      files: [
        { name: 'cells.geojson', kind: 'cells', records: 6 },
        { name: 'roads.geojson', kind: 'roads', records: 3 },
      ],
      cells: { created: 6, updated: 0, unchanged: 0, skipped: 0 },
      roads: { created: 4, updated: 0, unchanged: 0, skipped: 0 },
      created: { streets: 1, communities: 1, roads: 2, users: 0 },
      skipped: [],
    });
  });

  it('answers 422 import_rejected listing every bad record as file:feature, and writes nothing', async () => {
    const { status, body } = await post({ files: [fixture('cells-bowtie.geojson'), fixture('chiefs-bad-level.csv')] });
    expect(status).toBe(422);
    expect(body).toMatchObject({ statusCode: 422, error: 'import_rejected', message: expect.stringMatching(/^import refused: 3 problems/) });
    expect(body.details).toEqual([
      { field: 'cells-bowtie.geojson:features[0] (code 410104990001007)', problem: expect.stringMatching(/^invalid geometry: Self-intersection/) },
      { field: 'chiefs-bad-level.csv:line 2 (username imp_sun)', problem: expect.stringMatching(/^level "4" must be 1, 2 or 3/) },
      { field: 'chiefs-bad-level.csv:line 3 (username imp_zhou)', problem: expect.stringMatching(/^level "x" must be 1, 2 or 3/) },
    ]);
    const again = await post({ files: [fixture('cells-bowtie.geojson')], skipInvalid: true });
    expect(again).toMatchObject({ status: 200, body: { cells: { created: 1, skipped: 1 } } });
  });

  it('answers 400 naming the fields of a malformed body', async () => {
    const { status, body } = await post({ files: [{ name: 'x.csv', kind: 'people' }], coord: 'mars' });
    expect(status).toBe(400);
    expect((body.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['coord', 'files.0.content', 'files.0.kind']);
    expect((await post({ files: [] })).status).toBe(400);
    expect((await post('{"files": [')).status).toBe(400);
  });

  it('is for admins only', async () => {
    expect((await post({ files: [fixture('cells.geojson')] }, await intake.bearer('operator'))).status).toBe(403);
    expect((await post({ files: [fixture('cells.geojson')] }, '')).status).toBe(401);
  });
});
