/**
 * The synthetic geometry of the demo district: a rectangle of unit grid cells cut into one
 * contiguous rectangle per street, each cut again into one rectangle per community. Everything is
 * whole cells, so the cells tile the district exactly and neighbours share edges.
 */

/** A rectangle of whole cells; `col`/`row` of its north-west cell (row 0 is the northern edge). */
export interface CellRect {
  col: number;
  row: number;
  columns: number;
  rows: number;
}

/**
 * Where the cells lie on the earth. Coordinates are integers in units of 1e-7 degree, so that a
 * corner's longitude `(west + col * dx) / 1e7` is computed the same way, bit for bit, in TypeScript
 * and in SQL, and two cells sharing an edge share its coordinates exactly.
 */
export interface GridFrame {
  /** Longitude of the western edge, 1e-7 degree. */
  west: number;
  /** Latitude of the northern edge, 1e-7 degree. */
  north: number;
  /** Cell width in 1e-7 degree of longitude (100 m at the frame's latitude). */
  dx: number;
  /** Cell height in 1e-7 degree of latitude (100 m). */
  dy: number;
  columns: number;
  rows: number;
}

export const COORDINATE_SCALE = 1e7;

/**
 * 160 x 125 cells of 100 m = 20,000 cells, 16 km x 12.5 km, from 113.655 E / 34.775 N to the
 * south-east: it covers (113.68 E, 34.74 N), near the old town of Guancheng.
 */
export const DEMO_FRAME: GridFrame = {
  west: 1_136_550_000,
  north: 347_750_000,
  dx: 10_946,
  dy: 8_993,
  columns: 160,
  rows: 125,
};

/** The most cells a community may have: the cell sequence has 3 digits. */
export const MAX_CELLS_PER_COMMUNITY = 999;

export function cornerLng(frame: GridFrame, col: number): number {
  return (frame.west + col * frame.dx) / COORDINATE_SCALE;
}

export function cornerLat(frame: GridFrame, row: number): number {
  return (frame.north - row * frame.dy) / COORDINATE_SCALE;
}

export function cellCount(rect: CellRect): number {
  return rect.columns * rect.rows;
}

export function containsCell(rect: CellRect, col: number, row: number): boolean {
  return col >= rect.col && col < rect.col + rect.columns && row >= rect.row && row < rect.row + rect.rows;
}

/** 1-based sequence of a cell inside its community: west to east, then north to south. */
export function cellSequence(rect: CellRect, col: number, row: number): number {
  if (!containsCell(rect, col, row)) throw new RangeError(`cell ${col},${row} is outside the block`);
  return (row - rect.row) * rect.columns + (col - rect.col) + 1;
}

/** Boundaries of consecutive pieces of `length` proportional to `weights`, rounded cumulatively. */
function cuts(start: number, length: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const bounds = [start];
  let cumulative = 0;
  for (const w of weights) {
    cumulative += w;
    bounds.push(start + Math.round((length * cumulative) / total));
  }
  bounds[bounds.length - 1] = start + length;
  return bounds;
}

function tryBands(rect: CellRect, weights: readonly number[], bands: number): CellRect[] | null {
  const total = weights.reduce((a, b) => a + b, 0);
  const groups: number[][] = Array.from({ length: bands }, () => []);
  let cumulative = 0;
  weights.forEach((w, i) => {
    const band = Math.min(bands - 1, Math.floor((bands * (cumulative + w / 2)) / total));
    groups[band].push(i);
    cumulative += w;
  });
  if (groups.some((g) => g.length === 0)) return null;

  const bandWeights = groups.map((g) => g.reduce((sum, i) => sum + weights[i], 0));
  const rowCuts = cuts(rect.row, rect.rows, bandWeights);
  const result: CellRect[] = new Array<CellRect>(weights.length);
  for (let b = 0; b < bands; b++) {
    const rows = rowCuts[b + 1] - rowCuts[b];
    if (rows < 1) return null;
    const colCuts = cuts(rect.col, rect.columns, groups[b].map((i) => weights[i]));
    for (let k = 0; k < groups[b].length; k++) {
      const columns = colCuts[k + 1] - colCuts[k];
      if (columns < 1) return null;
      result[groups[b][k]] = { col: colCuts[k], row: rowCuts[b], columns, rows };
    }
  }
  return result;
}

/**
 * Cuts a rectangle into one contiguous rectangle per weight, areas proportional to the weights,
 * in reading order: horizontal bands from north to south, pieces from west to east inside a band.
 * The number of bands is chosen so that the pieces come out close to square. The pieces tile the
 * rectangle exactly. Throws when the rectangle is too small for that many pieces.
 */
export function partitionRect(rect: CellRect, weights: readonly number[]): CellRect[] {
  const n = weights.length;
  if (n === 0) return [];
  if (weights.some((w) => !(w > 0) || !Number.isFinite(w))) throw new RangeError('weights must be positive');
  if (cellCount(rect) < n) throw new RangeError(`cannot cut ${cellCount(rect)} cells into ${n} pieces`);
  const ideal = Math.min(n, Math.max(1, Math.round(Math.sqrt((n * rect.rows) / rect.columns))));
  for (let offset = 0; offset < 2 * n; offset++) {
    const bands = offset % 2 === 0 ? ideal - offset / 2 : ideal + (offset + 1) / 2;
    if (bands < 1 || bands > n || bands > rect.rows) continue;
    const pieces = tryBands(rect, weights, bands);
    if (pieces) return pieces;
  }
  throw new RangeError(`cannot cut a ${rect.columns}x${rect.rows} block into ${n} pieces`);
}

export interface CommunityInput {
  code: string;
  weight: number;
}

export interface StreetInput {
  code: string;
  communities: readonly CommunityInput[];
}

export interface CommunityBlock {
  code: string;
  streetCode: string;
  rect: CellRect;
}

export interface StreetBlock {
  code: string;
  rect: CellRect;
}

export interface DistrictLayout {
  frame: GridFrame;
  streets: StreetBlock[];
  communities: CommunityBlock[];
  /** The community block a cell belongs to. */
  communityAt(col: number, row: number): CommunityBlock;
}

/**
 * Lays the streets out on the frame (each street's share of the cells proportional to the total
 * weight of its communities), then its communities inside each street. Deterministic.
 */
export function layOutDistrict(frame: GridFrame, streets: readonly StreetInput[]): DistrictLayout {
  const whole: CellRect = { col: 0, row: 0, columns: frame.columns, rows: frame.rows };
  const streetWeights = streets.map((s) => s.communities.reduce((sum, c) => sum + c.weight, 0));
  const streetRects = partitionRect(whole, streetWeights);
  const streetBlocks: StreetBlock[] = streets.map((s, i) => ({ code: s.code, rect: streetRects[i] }));
  const communities: CommunityBlock[] = [];
  streets.forEach((street, i) => {
    const rects = partitionRect(streetRects[i], street.communities.map((c) => c.weight));
    street.communities.forEach((c, k) => {
      if (cellCount(rects[k]) > MAX_CELLS_PER_COMMUNITY) {
        throw new RangeError(`community ${c.code} would have ${cellCount(rects[k])} cells (at most ${MAX_CELLS_PER_COMMUNITY})`);
      }
      communities.push({ code: c.code, streetCode: street.code, rect: rects[k] });
    });
  });

  // Index every cell to its block once, for constant-time lookups.
  const owner = new Int32Array(frame.columns * frame.rows).fill(-1);
  communities.forEach((block, index) => {
    const { col, row, columns, rows } = block.rect;
    for (let r = row; r < row + rows; r++) owner.fill(index, r * frame.columns + col, r * frame.columns + col + columns);
  });
  return {
    frame,
    streets: streetBlocks,
    communities,
    communityAt(col, row) {
      if (col < 0 || col >= frame.columns || row < 0 || row >= frame.rows) throw new RangeError(`cell ${col},${row} is outside the frame`);
      return communities[owner[row * frame.columns + col]];
    },
  };
}

/** FNV-1a: a small stable hash, for deterministic variation. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Relative size of a community: villages (NBS sequence 200 and up, 村委会) are rural and larger,
 * urban communities (居委会) smaller; a stable ±25 % variation keeps the map from looking stamped.
 */
export function communityWeight(code: string): number {
  const village = Number(code.slice(9)) >= 200;
  const variation = 0.75 + (stableHash(code) % 1000) / 2000;
  return (village ? 2.5 : 1) * variation;
}
