import { formatGridCode, parseGridCode, type GridCodeParts } from '@wangge/domain';
import { toWgs84 } from './coordinates';
import { readGeometry, textProperty, type MultiPolygonGeometry, type PolygonGeometry, type RawFeature } from './geojson.parser';
import { featureLabel, issue, type Issue, type RecordRef } from './import-issue';
import type { CoordSystem } from './import.types';

/** A grid cell feature whose properties and geometry passed the checks that need no database. */
export interface CellFeature extends RecordRef {
  code: string;
  streetCode: string;
  communityCode: string;
  streetName: string | null;
  communityName: string | null;
  /** WGS84. */
  geometry: PolygonGeometry | MultiPolygonGeometry;
}

export interface CellReadOptions {
  districtCode: string;
  coord: CoordSystem;
}

/** Reads the features of a cells file: `code` (15 digits in the district), optional names, a polygon. */
export function readCellFeatures(
  file: { name: string; index: number },
  features: RawFeature[],
  options: CellReadOptions,
): { cells: CellFeature[]; issues: Issue[] } {
  const cells: CellFeature[] = [];
  const issues: Issue[] = [];
  for (const f of features) {
    const code = textProperty(f.properties, 'code');
    const codeText = code.ok ? code.value : null;
    const ref: RecordRef = {
      file: file.name,
      fileIndex: file.index,
      at: f.index,
      label: featureLabel(f.index, codeText ? `code ${codeText}` : null),
    };
    if (f.malformed) {
      issues.push(issue(ref, f.malformed));
      continue;
    }
    const problems: string[] = [];
    let parts: GridCodeParts | null = null;
    if (!code.ok) problems.push(code.problem);
    else if (codeText === null) problems.push('missing property code');
    else {
      parts = parseGridCode(codeText);
      if (!parts) problems.push(`code ${codeText} is not a 15-digit grid cell code (6 district + 3 street + 3 community + 3 cell digits, cell 001-999)`);
      else if (parts.districtCode !== options.districtCode) problems.push(`code ${codeText} is not in district ${options.districtCode}`);
    }
    const streetName = textProperty(f.properties, 'streetName');
    if (!streetName.ok) problems.push(streetName.problem);
    const communityName = textProperty(f.properties, 'communityName');
    if (!communityName.ok) problems.push(communityName.problem);
    const geometry = readGeometry(f.geometry, ['Polygon', 'MultiPolygon']);
    if (!geometry.ok) problems.push(geometry.problem);

    if (problems.length > 0 || !parts || !geometry.ok || !streetName.ok || !communityName.ok) {
      issues.push(...problems.map((p) => issue(ref, p)));
      continue;
    }
    cells.push({
      ...ref,
      code: formatGridCode(parts.communityCode, parts.sequence),
      streetCode: parts.streetCode,
      communityCode: parts.communityCode,
      streetName: streetName.value,
      communityName: communityName.value,
      geometry: toWgs84(geometry.value as PolygonGeometry | MultiPolygonGeometry, options.coord),
    });
  }
  return { cells, issues };
}
