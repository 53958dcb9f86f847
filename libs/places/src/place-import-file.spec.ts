import { describe, expect, it } from 'vitest';
import { readPlacesFile } from './place-import-file';

describe('readPlacesFile', () => {
  it('reads a CSV with a BOM, Chinese kind names, columns in any order and optional ones left out', () => {
    const file = readPlacesFile('places.csv', Buffer.from('\uFEFFname,lat,lng,kind,code\r\n东区工地,34.75,113.62,工地,GD-1\r\n人民市场,34.76,113.63,market,\r\n', 'utf8'));
    expect(file.problems).toEqual([]);
    expect(file.format).toBe('csv');
    expect(file.rows).toEqual([
      { label: 'line 2 (东区工地)', kind: 'site', name: '东区工地', geometry: { type: 'Point', coordinates: [113.62, 34.75] }, address: null, ownerName: null, ownerPhone: null, responsible: null, code: 'GD-1' },
      { label: 'line 3 (人民市场)', kind: 'market', name: '人民市场', geometry: { type: 'Point', coordinates: [113.63, 34.76] }, address: null, ownerName: null, ownerPhone: null, responsible: null, code: null },
    ]);
  });

  it('names the row and the field of each problem', () => {
    const file = readPlacesFile('bad.csv', 'kind,name,lng,lat\n花园,甲,113.6,34.7\nsite,,abc,34.7\n');
    expect(file.rows).toEqual([]);
    expect(file.problems.map((p) => `${p.feature}: ${p.problem.split(' (')[0]}`)).toEqual([
      'line 2 (甲): kind: unknown kind "花园"',
      'line 3: lng: "abc" is not a longitude',
      'line 3: name: missing',
    ]);
  });

  it('refuses a header without the required columns, and GBK text', () => {
    expect(readPlacesFile('a.csv', 'kind,name,x\n').problems[0].problem).toMatch(/^missing column lng, lat; unknown column x/);
    expect(readPlacesFile('a.csv', Buffer.from([0xb9, 0xa4, 0xb5, 0xd8])).problems[0].problem).toMatch(/not UTF-8/);
  });

  it('reads GeoJSON points and polygons; a line is a problem of its feature', () => {
    const ring = [[113.6, 34.7], [113.61, 34.7], [113.61, 34.71], [113.6, 34.7]];
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { kind: 'enterprise', name: '化工厂', ownerName: '张三', ownerPhone: '13800000000', responsible: 'warden1' } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: ring }, properties: { kind: 'site', name: '路' } },
      ],
    });
    const file = readPlacesFile('x.geojson', text);
    expect(file.format).toBe('geojson');
    expect(file.rows).toMatchObject([{ label: 'features[0] (化工厂)', kind: 'enterprise', ownerName: '张三', ownerPhone: '13800000000', responsible: 'warden1', geometry: { type: 'Polygon' } }]);
    expect(file.problems).toEqual([{ file: 'x.geojson', feature: 'features[1] (路)', problem: 'geometry: a place is a Point or a Polygon (not LineString)' }]);
  });
});
