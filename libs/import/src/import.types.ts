import type { AuditActor } from '@wangge/audit';
import type { EntityManager } from 'typeorm';

/** What a file holds: unit grid cells (polygons), roads (lines) or road chiefs (CSV). */
export const IMPORT_KINDS = ['cells', 'roads', 'chiefs'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The layers a file may replace whole (re-zoning, 调整网格). */
export const REPLACEABLE_LAYERS = ['cells', 'roads'] as const;
export type ReplaceableLayer = (typeof REPLACEABLE_LAYERS)[number];

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
  /** The files of this kind are the whole layer: live cells (or road segments) they do not list are retired. */
  replace?: ReplaceableLayer | null;
  /** Check and plan everything, report what would change, write nothing (the transaction is rolled back). */
  dryRun?: boolean;
  /**
   * The case workflow's part when the geography changes (an import with cells or roads): the open
   * cases are located again and re-routed where their chief changed, in the import's transaction.
   */
  relocator?: CaseRelocator;
  /** Who imports: an applied import is kept in the audit trail (files, counts, replaced layer, actor). */
  actor?: AuditActor;
}

/** Open cases after the layers changed (see {@link CaseRelocator}). */
export interface RelocatedCases {
  /** Open cases now in another cell (their history keeps the old one). */
  relocated: number;
  /** Open cases whose responsible chief changed: a re-route job each, through the outbox. */
  rerouted: number;
  /** Why the new layers cannot be taken (an open case outside every live cell): `feature` names the case; the import is refused. */
  problems: { feature: string; problem: string }[];
}

/**
 * Implemented by the workflow (libs/import knows nothing of cases). `prepare` runs in the import's
 * transaction before anything is written and notes what the open cases are routed to now; the step
 * it returns runs after the writes, in the same transaction.
 */
export interface CaseRelocator {
  prepare(tx: EntityManager): Promise<(tx: EntityManager) => Promise<RelocatedCases>>;
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

/** A chief's scope that names a place with no live segment or cell any more (after a re-zoning). */
export interface OrphanedScope {
  chief: { id: number; username: string; name: string; level: number };
  kind: 'road' | 'segment' | 'community' | 'street';
  /** The road's roadId, the segment's segmentId, the community or street code. */
  ref: string;
  name: string;
  problem: string;
}

export interface ImportReport {
  /** false for a dry run: the report says what the import would do; nothing was written. */
  applied: boolean;
  /** The layer the files replaced whole, if any. */
  replace: ReplaceableLayer | null;
  files: ImportFileSummary[];
  /** One per cell feature. */
  cells: ImportCounts;
  /** One per road segment (a MultiLineString gives one per part); `skipped` counts features. */
  roads: ImportCounts;
  /** One per chief (username); `skipped` counts CSV lines. */
  chiefs: ImportCounts;
  /** Rows the import created besides the counted ones. */
  created: { streets: number; communities: number; roads: number; users: number };
  /**
   * Live rows the files no longer list, retired (kept for the cases that name them): cells when
   * replacing the cells; segments of the imported roads, or of every road when replacing the roads.
   */
  retired: { cells: number; segments: number };
  /** Live cells given to the wardens of retired cells that they overlap. */
  wardenCells: { added: number };
  /** Open cases located again and re-routed because the layers changed. */
  cases: { relocated: number; rerouted: number };
  /** Chiefs' scopes left with no live segment (roads, segments) or cell (communities, streets). */
  orphanedScopes: OrphanedScope[];
  /** Records not loaded: unnamed OpenStreetMap ways, OSM nodes and areas, and bad records under skipInvalid. */
  skipped: ImportProblem[];
}

export function emptyCounts(): ImportCounts {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0 };
}
