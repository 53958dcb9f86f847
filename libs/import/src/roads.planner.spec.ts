import { describe, expect, it } from 'vitest';
import type { RawFeature } from './geojson.parser';
import { readRoadFeatures } from './road-features.parser';
import { planRoads } from './roads.planner';

const line = { type: 'LineString', coordinates: [[114, 34.5], [114.001, 34.5]] };
const feature = (index: number, properties: Record<string, unknown>, geometry: { type: string } = line, osmId: string | null = null): RawFeature => ({
  index,
  malformed: null,
  geometryType: geometry.type,
  geometry,
  properties,
  osmId,
});
const read = (features: RawFeature[]) => readRoadFeatures({ name: 'roads.geojson', index: 0 }, features, 'wgs84');

describe('readRoadFeatures', () => {
  it('skips what an OpenStreetMap export carries besides named highways, without calling it an error', () => {
    const { roads, issues, ignored } = read([
      feature(0, { '@id': 'way/1', highway: 'primary', name: '文治路', 'name:en': 'Wenzhi Road', oneway: 'yes' }, line, 'way/1'),
      feature(1, { '@id': 'way/2', highway: 'service' }, line, 'way/2'),
      feature(2, { '@id': 'node/3', highway: 'traffic_signals' }, { type: 'Point', coordinates: [114, 34.5] } as { type: string }, 'node/3'),
      feature(3, { '@id': 'way/4', building: 'yes', name: '大厦' }, { type: 'Polygon', coordinates: [] } as { type: string }, 'way/4'),
      feature(4, { '@id': 'way/5', waterway: 'river', name: '金水河' }, line, 'way/5'),
      feature(5, { '@id': 'relation/6', type: 'route', name: '文治路' }, { type: 'MultiLineString', coordinates: [] } as { type: string }, 'relation/6'),
    ]);
    expect(issues).toEqual([]);
    expect(roads).toEqual([expect.objectContaining({ label: 'features[0] (name 文治路, way/1)', name: '文治路', roadId: null, segmentId: 'way/1' })]);
    expect(ignored.map((i) => [i.feature, i.problem])).toEqual([
      ['features[1] (way/2)', 'unnamed way'],
      ['features[2] (node/3)', 'OSM node (a point), not a road line'],
      ['features[3] (name 大厦, way/4)', 'OSM area (a polygon), not a road line'],
      ['features[4] (name 金水河, way/5)', 'OSM way without a highway tag, not a road'],
      ['features[5] (name 文治路, relation/6)', 'OSM relation, not a road way (its ways are imported one by one)'],
    ]);
  });

  it('refuses, in a file of its own, a line without a name and a feature that is not a line', () => {
    const { roads, issues, ignored } = read([feature(0, { roadId: 'R9' }), feature(1, { name: '文治路' }, { type: 'Point', coordinates: [114, 34.5] } as { type: string })]);
    expect(roads).toEqual([]);
    expect(ignored).toEqual([]);
    expect(issues.map((i) => [i.feature, i.problem])).toEqual([
      ['features[0]', 'missing property name'],
      ['features[1] (name 文治路)', 'wrong geometry type Point (expected LineString or MultiLineString)'],
    ]);
  });
});

describe('planRoads', () => {
  it('groups by roadId, else by name, and names segments in file order', () => {
    const multi = { type: 'MultiLineString', coordinates: [line.coordinates, line.coordinates] };
    const { roads } = read([
      feature(0, { name: '文治路' }),
      feature(1, { name: '紫荆山路', roadId: 'ZJS', segmentId: 'ZJS-1' }),
      feature(2, { name: '文治路' }, multi),
      feature(3, { name: '紫荆山路', roadId: 'ZJS', segmentId: 'ZJS-2' }, multi),
    ]);
    const plan = planRoads(roads);
    expect(plan.issues).toEqual([]);
    expect(plan.parts.map((p) => [p.roadRef, p.roadName, p.ref])).toEqual([
      ['文治路', '文治路', '文治路#1'],
      ['ZJS', '紫荆山路', 'ZJS-1'],
      ['文治路', '文治路', '文治路#2'],
      ['文治路', '文治路', '文治路#3'],
      ['ZJS', '紫荆山路', 'ZJS-2#1'],
      ['ZJS', '紫荆山路', 'ZJS-2#2'],
    ]);
  });

  it('refuses a roadId with two names and a repeated segmentId', () => {
    const { roads } = read([
      feature(0, { name: '紫荆山路', roadId: 'ZJS', segmentId: 'S1' }),
      feature(1, { name: '紫荆山南路', roadId: 'ZJS', segmentId: 'S2' }),
      feature(2, { name: '紫荆山路', roadId: 'ZJS', segmentId: 'S1' }),
    ]);
    const plan = planRoads(roads);
    expect(plan.parts.map((p) => p.ref)).toEqual(['S1']);
    expect(plan.issues.map((i) => [i.feature, i.problem])).toEqual([
      ['features[1] (name 紫荆山南路)', 'roadId ZJS is named "紫荆山路" by features[0] (name 紫荆山路), here "紫荆山南路"'],
      ['features[2] (name 紫荆山路)', 'segmentId S1 repeats features[0] (name 紫荆山路)'],
    ]);
    expect([...plan.listedRefs]).toEqual(['S1', 'S2']);
  });
});
