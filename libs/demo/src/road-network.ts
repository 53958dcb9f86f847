import type { GridFrame } from './grid-layout';

/** A corner of the cell grid: `col` 0..columns from west to east, `row` 0..rows from north to south. */
export interface GridPoint {
  col: number;
  row: number;
}

export interface SegmentPlan {
  /** `<road ref>-<seq>`, e.g. `R09-3`. */
  ref: string;
  /** 1, 2, … along the road: west to east, or north to south. */
  seq: number;
  from: GridPoint;
  to: GridPoint;
  /** The cell beside the middle of the segment (south or east of it): its community answers for it. */
  besideCell: GridPoint;
}

export interface RoadPlan {
  /** `R01`, `R02`, … */
  ref: string;
  name: string;
  direction: 'east-west' | 'north-south';
  segments: SegmentPlan[];
}

/** Real roads of 管城回族区, the east-west ones from north to south. */
export const EAST_WEST_ROADS = ['商城路', '东大街', '郑汴路', '商都路', '陇海路', '航海东路', '长江东路', '南三环', '文治路', '南四环'] as const;

/** Real roads of 管城回族区, the north-south ones from west to east. */
export const NORTH_SOUTH_ROADS = [
  '京广路', '紫荆山路', '塔湾路', '二里岗南街', '城东路', '未来路', '中州大道',
  '通站路', '港湾路', '107辅道', '金岱路', '豫兴路', '四港联动大道',
] as const;

/** Segments are 5 cells (500 m) long; the last one of a road takes what is left. */
export const SEGMENT_CELLS = 5;

/** `count` lines spread evenly over `length` cells, on cell edges, never on the outer edge. */
function evenLines(count: number, length: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.round(((i + 0.5) * length) / count));
}

/** [start, end) cell ranges of about SEGMENT_CELLS along a road of `length` cells. */
function segmentRanges(length: number): [number, number][] {
  const count = Math.max(1, Math.round(length / SEGMENT_CELLS));
  return Array.from({ length: count }, (_, i) => [i * SEGMENT_CELLS, i === count - 1 ? length : (i + 1) * SEGMENT_CELLS]);
}

/**
 * Straight roads on cell edges, from one side of the district to the other, about 1.2 km apart,
 * each cut into segments of about 500 m. Cells whose centre is more than 200 m from every road
 * make up about half of the district (the locate tests need such cells).
 */
export function planRoads(frame: GridFrame): RoadPlan[] {
  const roads: RoadPlan[] = [];
  const ref = () => `R${String(roads.length + 1).padStart(2, '0')}`;
  const rows = evenLines(EAST_WEST_ROADS.length, frame.rows);
  EAST_WEST_ROADS.forEach((name, i) => {
    const row = rows[i];
    const roadRef = ref();
    roads.push({
      ref: roadRef,
      name,
      direction: 'east-west',
      segments: segmentRanges(frame.columns).map(([a, b], k) => ({
        ref: `${roadRef}-${k + 1}`,
        seq: k + 1,
        from: { col: a, row },
        to: { col: b, row },
        besideCell: { col: Math.floor((a + b) / 2), row },
      })),
    });
  });
  const cols = evenLines(NORTH_SOUTH_ROADS.length, frame.columns);
  NORTH_SOUTH_ROADS.forEach((name, i) => {
    const col = cols[i];
    const roadRef = ref();
    roads.push({
      ref: roadRef,
      name,
      direction: 'north-south',
      segments: segmentRanges(frame.rows).map(([a, b], k) => ({
        ref: `${roadRef}-${k + 1}`,
        seq: k + 1,
        from: { col, row: a },
        to: { col, row: b },
        besideCell: { col, row: Math.floor((a + b) / 2) },
      })),
    });
  });
  return roads;
}
