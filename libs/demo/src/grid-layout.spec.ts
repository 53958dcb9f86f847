import { describe, expect, it } from 'vitest';
import {
  cellCount,
  cellSequence,
  communityWeight,
  cornerLat,
  cornerLng,
  DEMO_FRAME,
  layOutDistrict,
  MAX_CELLS_PER_COMMUNITY,
  partitionRect,
  type CellRect,
  type StreetInput,
} from './grid-layout';

/** Which piece covers each cell of `rect` (-1: none); throws on overlap. */
function coverage(rect: CellRect, pieces: CellRect[]): Int32Array {
  const owner = new Int32Array(rect.columns * rect.rows).fill(-1);
  pieces.forEach((p, index) => {
    for (let r = p.row; r < p.row + p.rows; r++) {
      for (let c = p.col; c < p.col + p.columns; c++) {
        const i = (r - rect.row) * rect.columns + (c - rect.col);
        if (c < rect.col || c >= rect.col + rect.columns || r < rect.row || r >= rect.row + rect.rows) throw new Error(`piece ${index} leaves the rectangle`);
        if (owner[i] !== -1) throw new Error(`pieces ${owner[i]} and ${index} overlap at ${c},${r}`);
        owner[i] = index;
      }
    }
  });
  return owner;
}

describe('partitionRect', () => {
  it.each([
    [{ col: 0, row: 0, columns: 160, rows: 125 }, [3, 1, 2, 5, 1, 1, 4, 2, 2, 1, 3, 1, 1, 2]],
    [{ col: 7, row: 3, columns: 20, rows: 41 }, [1, 1, 1]],
    [{ col: 0, row: 0, columns: 5, rows: 5 }, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    [{ col: 2, row: 2, columns: 1, rows: 9 }, [2, 1, 3]],
    [{ col: 0, row: 0, columns: 30, rows: 4 }, [1]],
  ])('tiles %j exactly with one contiguous rectangle per weight', (rect, weights) => {
    const pieces = partitionRect(rect, weights);
    expect(pieces).toHaveLength(weights.length);
    const owner = coverage(rect, pieces);
    expect(owner.every((o) => o >= 0)).toBe(true);
    expect(pieces.reduce((n, p) => n + cellCount(p), 0)).toBe(cellCount(rect));
  });

  it('gives each piece about its share of the cells', () => {
    const weights = [1, 2, 3, 4, 5, 6, 7, 8];
    const rect = { col: 0, row: 0, columns: 120, rows: 90 };
    const total = weights.reduce((a, b) => a + b, 0);
    partitionRect(rect, weights).forEach((p, i) => {
      expect(cellCount(p) / cellCount(rect)).toBeCloseTo(weights[i] / total, 1);
    });
  });

  it('orders the pieces for reading: bands north to south, west to east inside a band', () => {
    const pieces = partitionRect({ col: 0, row: 0, columns: 100, rows: 100 }, Array<number>(9).fill(1));
    for (let i = 1; i < pieces.length; i++) {
      const [a, b] = [pieces[i - 1], pieces[i]];
      expect(b.row > a.row || (b.row === a.row && b.col > a.col)).toBe(true);
    }
    expect(pieces[0]).toMatchObject({ col: 0, row: 0 });
  });

  it('is deterministic and refuses impossible cuts', () => {
    const rect = { col: 0, row: 0, columns: 40, rows: 30 };
    expect(partitionRect(rect, [1, 2, 3])).toEqual(partitionRect(rect, [1, 2, 3]));
    expect(partitionRect(rect, [])).toEqual([]);
    expect(() => partitionRect({ col: 0, row: 0, columns: 2, rows: 2 }, [1, 1, 1, 1, 1])).toThrow(RangeError);
    expect(() => partitionRect(rect, [1, 0])).toThrow(RangeError);
  });
});

describe('cell numbering', () => {
  const block = { col: 10, row: 20, columns: 4, rows: 3 };

  it('numbers cells from 1, west to east, then north to south', () => {
    expect(cellSequence(block, 10, 20)).toBe(1);
    expect(cellSequence(block, 13, 20)).toBe(4);
    expect(cellSequence(block, 10, 21)).toBe(5);
    expect(cellSequence(block, 13, 22)).toBe(12);
    expect(() => cellSequence(block, 14, 20)).toThrow(RangeError);
  });

  it('places corners on exact 1e-7 degree values, so neighbours share edges bit for bit', () => {
    expect(cornerLng(DEMO_FRAME, 0)).toBe(113.655);
    expect(cornerLat(DEMO_FRAME, 0)).toBe(34.775);
    expect(cornerLng(DEMO_FRAME, 1)).toBe(113.6560946);
    expect(cornerLat(DEMO_FRAME, 125)).toBe(34.6625875);
    // 100 m: 0.0010946 degree of longitude and 0.0008993 of latitude at 34.74 N.
    expect((cornerLng(DEMO_FRAME, 1) - cornerLng(DEMO_FRAME, 0)) * 111_320 * Math.cos((34.74 * Math.PI) / 180)).toBeCloseTo(100, 0);
  });

  it('covers (113.68 E, 34.74 N)', () => {
    expect(cornerLng(DEMO_FRAME, 0)).toBeLessThan(113.675);
    expect(cornerLng(DEMO_FRAME, DEMO_FRAME.columns)).toBeGreaterThan(113.685);
    expect(cornerLat(DEMO_FRAME, 0)).toBeGreaterThan(34.745);
    expect(cornerLat(DEMO_FRAME, DEMO_FRAME.rows)).toBeLessThan(34.735);
  });
});

describe('layOutDistrict', () => {
  const streets: StreetInput[] = Array.from({ length: 14 }, (_, s) => ({
    code: `410104${String(s + 1).padStart(3, '0')}`,
    communities: Array.from({ length: 3 + ((s * 7) % 18) }, (_, c) => {
      const code = `410104${String(s + 1).padStart(3, '0')}${String(c < 12 ? c + 1 : c + 190).padStart(3, '0')}`;
      return { code, weight: communityWeight(code) };
    }),
  }));
  const layout = layOutDistrict(DEMO_FRAME, streets);

  it('gives every street a rectangle and every community a block inside its street, tiling the frame', () => {
    const whole = { col: 0, row: 0, columns: DEMO_FRAME.columns, rows: DEMO_FRAME.rows };
    expect(coverage(whole, layout.streets.map((s) => s.rect)).every((o) => o >= 0)).toBe(true);
    expect(coverage(whole, layout.communities.map((c) => c.rect)).every((o) => o >= 0)).toBe(true);
    for (const c of layout.communities) {
      const street = layout.streets.find((s) => s.code === c.streetCode);
      expect(street).toBeDefined();
      if (!street) continue;
      expect(c.rect.col).toBeGreaterThanOrEqual(street.rect.col);
      expect(c.rect.row).toBeGreaterThanOrEqual(street.rect.row);
      expect(c.rect.col + c.rect.columns).toBeLessThanOrEqual(street.rect.col + street.rect.columns);
      expect(c.rect.row + c.rect.rows).toBeLessThanOrEqual(street.rect.row + street.rect.rows);
      expect(cellCount(c.rect)).toBeLessThanOrEqual(MAX_CELLS_PER_COMMUNITY);
    }
  });

  it('finds the community of a cell', () => {
    for (const c of [layout.communities[0], layout.communities[40], layout.communities.at(-1)]) {
      if (!c) continue;
      expect(layout.communityAt(c.rect.col, c.rect.row)).toBe(c);
      expect(layout.communityAt(c.rect.col + c.rect.columns - 1, c.rect.row + c.rect.rows - 1)).toBe(c);
    }
    expect(() => layout.communityAt(DEMO_FRAME.columns, 0)).toThrow(RangeError);
  });

  it('refuses a community of more than 999 cells', () => {
    const one: StreetInput[] = [{ code: '410104001', communities: [{ code: '410104001001', weight: 1 }] }];
    expect(() => layOutDistrict(DEMO_FRAME, one)).toThrow(/at most 999/);
  });

  it('makes villages larger than urban communities, stably', () => {
    expect(communityWeight('410104011201')).toBeGreaterThan(communityWeight('410104001001') * 1.4);
    expect(communityWeight('410104001001')).toBe(communityWeight('410104001001'));
  });
});
