import { describe, expect, it } from 'vitest';
import { DEMO_FRAME } from './grid-layout';
import { EAST_WEST_ROADS, NORTH_SOUTH_ROADS, planRoads, SEGMENT_CELLS } from './road-network';

describe('planRoads', () => {
  const roads = planRoads(DEMO_FRAME);

  it('lays 20-30 real roads, east-west and north-south, with unique refs', () => {
    expect(roads.length).toBeGreaterThanOrEqual(20);
    expect(roads.length).toBeLessThanOrEqual(30);
    expect(new Set(roads.map((r) => r.ref)).size).toBe(roads.length);
    expect(new Set(roads.map((r) => r.name)).size).toBe(roads.length);
    expect(roads[0].ref).toBe('R01');
    for (const name of ['通站路', '南三环', '文治路', '紫荆山路', '航海东路', '未来路', '城东路', '东大街', '陇海路', '商都路', '郑汴路', '中州大道', '京广路', '二里岗南街', '长江东路']) {
      expect(roads.map((r) => r.name)).toContain(name);
    }
    expect(roads.filter((r) => r.direction === 'east-west')).toHaveLength(EAST_WEST_ROADS.length);
    expect(roads.filter((r) => r.direction === 'north-south')).toHaveLength(NORTH_SOUTH_ROADS.length);
  });

  it('cuts each road into contiguous segments of about 500 m numbered from 1, inside the frame', () => {
    for (const road of roads) {
      road.segments.forEach((s, i) => {
        expect(s.seq).toBe(i + 1);
        expect(s.ref).toBe(`${road.ref}-${i + 1}`);
        if (i > 0) expect(s.from).toEqual(road.segments[i - 1].to);
        const length = Math.abs(s.to.col - s.from.col) + Math.abs(s.to.row - s.from.row);
        expect(length).toBeGreaterThanOrEqual(SEGMENT_CELLS - 2);
        expect(length).toBeLessThanOrEqual(SEGMENT_CELLS + 2);
        for (const p of [s.from, s.to, s.besideCell]) {
          expect(p.col).toBeGreaterThanOrEqual(0);
          expect(p.row).toBeGreaterThanOrEqual(0);
          expect(p.col).toBeLessThanOrEqual(DEMO_FRAME.columns);
          expect(p.row).toBeLessThanOrEqual(DEMO_FRAME.rows);
        }
        expect(s.besideCell.col).toBeLessThan(DEMO_FRAME.columns);
        expect(s.besideCell.row).toBeLessThan(DEMO_FRAME.rows);
      });
      const first = road.segments[0].from;
      const last = road.segments[road.segments.length - 1].to;
      if (road.direction === 'east-west') expect([first.col, last.col]).toEqual([0, DEMO_FRAME.columns]);
      else expect([first.row, last.row]).toEqual([0, DEMO_FRAME.rows]);
    }
  });

  it('keeps roads about 1.2 km apart and off the district edge', () => {
    const lines = (dir: string) => roads.filter((r) => r.direction === dir).map((r) => (dir === 'east-west' ? r.segments[0].from.row : r.segments[0].from.col));
    for (const [dir, size] of [['east-west', DEMO_FRAME.rows], ['north-south', DEMO_FRAME.columns]] as const) {
      const at = lines(dir);
      expect(Math.min(...at)).toBeGreaterThan(0);
      expect(Math.max(...at)).toBeLessThan(size);
      for (let i = 1; i < at.length; i++) {
        expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(10);
        expect(at[i] - at[i - 1]).toBeLessThanOrEqual(14);
      }
    }
  });

  it('leaves about half of the cells with their centre more than 200 m from every road', () => {
    const rows = roads.filter((r) => r.direction === 'east-west').map((r) => r.segments[0].from.row);
    const cols = roads.filter((r) => r.direction === 'north-south').map((r) => r.segments[0].from.col);
    let far = 0;
    for (let row = 0; row < DEMO_FRAME.rows; row++) {
      for (let col = 0; col < DEMO_FRAME.columns; col++) {
        // Distances in cells (100 m) from the centre to the nearest road line.
        const dRow = Math.min(...rows.map((r) => Math.abs(row + 0.5 - r)));
        const dCol = Math.min(...cols.map((c) => Math.abs(col + 0.5 - c)));
        if (dRow > 2 && dCol > 2) far++;
      }
    }
    expect(far / (DEMO_FRAME.rows * DEMO_FRAME.columns)).toBeGreaterThan(0.4);
  });
});
