import { readCellFeatures, type CellFeature } from './cell-features.parser';
import { readChiefLines, type ChiefLine } from './chief-lines.parser';
import { readFeatureCollection, type Parsed, type RawFeature } from './geojson.parser';
import { fileRef, issue, type Issue } from './import-issue';
import type { CoordSystem, ImportFile, ImportKind } from './import.types';
import { readRoadFeatures, type RoadFeature } from './road-features.parser';

/** A file after the checks that need no database. */
export interface ParsedFile {
  name: string;
  index: number;
  kind: ImportKind | null;
  records: number;
  cells: CellFeature[];
  roads: RoadFeature[];
  chiefLines: ChiefLine[];
  issues: Issue[];
  /** Records skipped without being errors (unnamed OpenStreetMap ways and the like). */
  ignored: Issue[];
}

export interface ParseOptions {
  districtCode: string;
  coord: CoordSystem;
  maxBytes?: number;
}

const POLYGONAL = ['Polygon', 'MultiPolygon'];
const LINEAR = ['LineString', 'MultiLineString'];

/** Decodes a file, tells its kind (unless given) and reads its records. */
export function parseImportFile(file: ImportFile, index: number, options: ParseOptions): ParsedFile {
  const parsed: ParsedFile = { name: file.name, index, kind: file.kind ?? null, records: 0, cells: [], roads: [], chiefLines: [], issues: [], ignored: [] };
  const whole = fileRef(file.name, index);
  const refuse = (problem: string): ParsedFile => ({ ...parsed, issues: [issue(whole, problem)] });

  const bytes = typeof file.content === 'string' ? Buffer.byteLength(file.content, 'utf8') : file.content.length;
  if (options.maxBytes !== undefined && bytes > options.maxBytes) {
    return refuse(`the file has ${bytes} bytes, more than the limit of ${options.maxBytes} (IMPORT_MAX_BYTES)`);
  }
  const text = decode(file.content);
  if (!text.ok) return refuse(text.problem);

  const me = { name: file.name, index };
  if (file.kind === 'chiefs' || (file.kind === undefined && !looksLikeJson(file.name, text.value))) {
    const { lines, issues, records } = readChiefLines(me, text.value);
    return { ...parsed, kind: 'chiefs', records, chiefLines: lines, issues };
  }

  const collection = readFeatureCollection(text.value);
  if (!collection.ok) return refuse(collection.problem);
  const features = collection.value;
  const kind = file.kind ?? detectGeoJsonKind(features);
  if (typeof kind !== 'string') return { ...refuse(kind.problem), records: features.length };
  if (kind === 'cells') {
    const { cells, issues } = readCellFeatures(me, features, options);
    return { ...parsed, kind, records: features.length, cells, issues };
  }
  const { roads, issues, ignored } = readRoadFeatures(me, features, options.coord);
  return { ...parsed, kind: 'roads', records: features.length, roads, issues, ignored };
}

/** UTF-8 text without a byte order mark; other encodings (GBK from Excel) are refused by name. */
export function decode(content: string | Buffer): Parsed<string> {
  let text: string;
  if (typeof content === 'string') text = content;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      return { ok: false, problem: 'not UTF-8 text: save the file as UTF-8 (in Excel: "CSV UTF-8")' };
    }
  }
  return { ok: true, value: text.replace(/^\uFEFF/, '') };
}

function looksLikeJson(name: string, text: string): boolean {
  return /\.(geo)?json$/i.test(name) || /^\s*[{[]/.test(text);
}

/** Polygons are cells, lines are roads; an OpenStreetMap export with both is roads (its areas are skipped). */
export function detectGeoJsonKind(features: RawFeature[]): ImportKind | { problem: string } {
  const polygons = features.filter((f) => f.geometryType !== null && POLYGONAL.includes(f.geometryType)).length;
  const lines = features.filter((f) => f.geometryType !== null && LINEAR.includes(f.geometryType)).length;
  if (features.length === 0) return { problem: 'the FeatureCollection has no features' };
  if (lines > 0 && (polygons === 0 || features.some((f) => f.osmId !== null))) return 'roads';
  if (polygons > 0 && lines === 0) return 'cells';
  if (polygons > 0) {
    return { problem: `the file holds both polygons (${polygons}) and lines (${lines}): give its kind (cells or roads)` };
  }
  return { problem: 'no polygon or line features: neither cells (Polygon, MultiPolygon) nor roads (LineString, MultiLineString)' };
}
