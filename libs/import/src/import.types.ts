/** What a file holds: unit grid cells (polygons), roads (lines) or road chiefs (CSV). */
export const IMPORT_KINDS = ['cells', 'roads', 'chiefs'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Coordinate systems a file may be in; anything but wgs84 is converted to WGS84 on the way in. */
export const COORD_SYSTEMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type CoordSystem = (typeof COORD_SYSTEMS)[number];

export interface ImportFile {
  name: string;
  content: string | Buffer;
  /** Detected from the content when absent (GeoJSON polygons = cells, lines = roads, CSV = chiefs). */
  kind?: ImportKind;
}

export interface ImportOptions {
  /** The deployment's district: every cell code must start with it. */
  districtCode: string;
  /** Load the good records and report the bad ones instead of refusing the whole import. */
  skipInvalid?: boolean;
  /** The coordinate system of the files (default wgs84). */
  coord?: CoordSystem;
  /** Largest accepted file, in bytes (config.importMaxBytes). */
  maxBytes?: number;
}

/** One bad record: `feature` names it, e.g. `features[12] (code 410104001001003)` or `line 7 (username zhangsan)`. */
export interface ImportProblem {
  file: string;
  feature: string;
  problem: string;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

export interface ImportFileSummary {
  name: string;
  /** Null when the file could not be read at all. */
  kind: ImportKind | null;
  /** Features (GeoJSON) or data lines (CSV) in the file. */
  records: number;
}

export interface ImportReport {
  files: ImportFileSummary[];
  /** One per cell feature. */
  cells: ImportCounts;
  /** One per road segment (a MultiLineString gives one per part); `skipped` counts features. */
  roads: ImportCounts;
  /** One per chief (username); `skipped` counts CSV lines. */
  chiefs: ImportCounts;
  /** Rows the import created besides the counted ones. */
  created: { streets: number; communities: number; roads: number; users: number };
  /** Segments of imported roads that the files no longer list. */
  removed: { segments: number };
  /** Records not loaded: unnamed OpenStreetMap ways, OSM nodes and areas, and bad records under skipInvalid. */
  skipped: ImportProblem[];
}

export function emptyCounts(): ImportCounts {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0 };
}
