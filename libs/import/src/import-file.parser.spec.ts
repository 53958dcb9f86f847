import { describe, expect, it } from 'vitest';
import { decode, detectGeoJsonKind, parseImportFile } from './import-file.parser';
import type { RawFeature } from './geojson.parser';

const raw = (geometryType: string | null, osmId: string | null = null): RawFeature => ({
  index: 0,
  malformed: null,
  geometryType,
  geometry: null,
  properties: {},
  osmId,
});
const options = { districtCode: '410104', coord: 'wgs84' as const };

describe('detectGeoJsonKind', () => {
  it('takes polygons for cells and lines for roads', () => {
    expect(detectGeoJsonKind([raw('Polygon'), raw('MultiPolygon')])).toBe('cells');
    expect(detectGeoJsonKind([raw('LineString'), raw('MultiLineString'), raw('Point')])).toBe('roads');
  });

  it('takes an OpenStreetMap export with lines and areas for roads, refuses a plain mix', () => {
    expect(detectGeoJsonKind([raw('LineString', 'way/1'), raw('Polygon', 'way/2')])).toBe('roads');
    expect(detectGeoJsonKind([raw('LineString'), raw('Polygon')])).toEqual({ problem: expect.stringMatching(/both polygons \(1\) and lines \(1\)/) });
    expect(detectGeoJsonKind([raw('Point')])).toEqual({ problem: expect.stringMatching(/no polygon or line features/) });
    expect(detectGeoJsonKind([])).toEqual({ problem: 'the FeatureCollection has no features' });
  });
});

describe('parseImportFile', () => {
  it('reads CSV as chiefs and GeoJSON by its geometry; an explicit kind wins', () => {
    expect(parseImportFile({ name: 'c.csv', content: 'username,name,phone,level,scope\n' }, 0, options).kind).toBe('chiefs');
    const lines = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"LineString","coordinates":[[114,34],[114.1,34]]}}]}';
    expect(parseImportFile({ name: 'x.json', content: lines }, 0, options)).toMatchObject({ kind: 'roads', records: 1, issues: [] });
    const asCells = parseImportFile({ name: 'x.json', content: lines, kind: 'cells' }, 0, options);
    expect(asCells.kind).toBe('cells');
    expect(asCells.issues.map((i) => i.problem)).toEqual(['missing property code', 'wrong geometry type LineString (expected Polygon or MultiPolygon)']);
  });

  it('refuses a file over the size limit and text that is not UTF-8, as a whole', () => {
    expect(parseImportFile({ name: 'big.csv', content: 'x'.repeat(2000) }, 3, { ...options, maxBytes: 1024 }).issues).toEqual([
      { file: 'big.csv', feature: '(file)', problem: 'the file has 2000 bytes, more than the limit of 1024 (IMPORT_MAX_BYTES)', fileIndex: 3, at: -1 },
    ]);
    const gbk = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]); // 张三 in GBK
    expect(decode(gbk)).toEqual({ ok: false, problem: expect.stringMatching(/not UTF-8 text/) });
    expect(decode(Buffer.from('\uFEFFusername', 'utf8'))).toEqual({ ok: true, value: 'username' });
  });
});
