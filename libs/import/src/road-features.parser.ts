import { toWgs84 } from './coordinates';
import { readGeometry, textProperty, type LineStringGeometry, type RawFeature } from './geojson.parser';
import { featureLabel, issue, type Issue, type RecordRef } from './import-issue';
import type { CoordSystem } from './import.types';

/** A road feature whose properties and geometry passed the checks that need no database. */
export interface RoadFeature extends RecordRef {
  name: string;
  /** `roadId` when given; features sharing it (or sharing a name without one) are one road. */
  roadId: string | null;
  /** `segmentId`, else the OpenStreetMap way (`way/123`); null: numbered after the road. */
  segmentId: string | null;
  /** WGS84; a MultiLineString gives one part per line, each a segment. */
  parts: LineStringGeometry[];
}

/**
 * Reads the features of a roads file. OpenStreetMap exports (overpass-turbo, osmtogeojson) are
 * taken as they come: unnamed ways, nodes (points), areas (polygons), relations and ways without
 * a highway tag are skipped and reported, not refused. In any other file a feature without a
 * name, or that is not a line, is an error.
 */
export function readRoadFeatures(
  file: { name: string; index: number },
  features: RawFeature[],
  coord: CoordSystem,
): { roads: RoadFeature[]; issues: Issue[]; ignored: Issue[] } {
  const roads: RoadFeature[] = [];
  const issues: Issue[] = [];
  const ignored: Issue[] = [];
  for (const f of features) {
    const name = textProperty(f.properties, 'name');
    const nameText = name.ok ? name.value : null;
    const ref: RecordRef = {
      file: file.name,
      fileIndex: file.index,
      at: f.index,
      label: featureLabel(f.index, [nameText ? `name ${nameText}` : null, f.osmId].filter((x) => x !== null).join(', ') || null),
    };
    if (f.malformed) {
      issues.push(issue(ref, f.malformed));
      continue;
    }
    const osmSkip = f.osmId ? osmSkipReason(f, nameText) : null;
    if (osmSkip) {
      ignored.push(issue(ref, osmSkip));
      continue;
    }

    const problems: string[] = [];
    if (!name.ok) problems.push(name.problem);
    else if (nameText === null) problems.push('missing property name');
    const roadId = textProperty(f.properties, 'roadId');
    if (!roadId.ok) problems.push(roadId.problem);
    const segmentId = textProperty(f.properties, 'segmentId');
    if (!segmentId.ok) problems.push(segmentId.problem);
    const geometry = readGeometry(f.geometry, ['LineString', 'MultiLineString']);
    if (!geometry.ok) problems.push(geometry.problem);

    if (problems.length > 0 || nameText === null || !roadId.ok || !segmentId.ok || !geometry.ok) {
      issues.push(...problems.map((p) => issue(ref, p)));
      continue;
    }
    const wgs84 = toWgs84(geometry.value, coord);
    const parts: LineStringGeometry[] =
      wgs84.type === 'MultiLineString'
        ? wgs84.coordinates.map((coordinates) => ({ type: 'LineString', coordinates }))
        : wgs84.type === 'LineString'
          ? [wgs84]
          : [];
    roads.push({
      ...ref,
      name: nameText,
      roadId: roadId.value,
      segmentId: segmentId.value ?? (f.osmId?.startsWith('way/') ? f.osmId : null),
      parts,
    });
  }
  return { roads, issues, ignored };
}

/** Why an OpenStreetMap feature is not a road of the network, or null when it is one. */
function osmSkipReason(f: RawFeature, name: string | null): string | null {
  switch (f.geometryType) {
    case 'Point':
    case 'MultiPoint':
      return 'OSM node (a point), not a road line';
    case 'Polygon':
    case 'MultiPolygon':
      return 'OSM area (a polygon), not a road line';
  }
  if (f.osmId?.startsWith('relation/')) return 'OSM relation, not a road way (its ways are imported one by one)';
  if (name === null) return 'unnamed way';
  if (f.properties.highway === undefined || f.properties.highway === null) return 'OSM way without a highway tag, not a road';
  return null;
}
