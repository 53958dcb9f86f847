import { describe, expect, it } from 'vitest';
import { dispatchAccuracyRows, dispatchTotals } from './dispatch-accuracy';

describe('准确派遣率 rows', () => {
  const rows = dispatchAccuracyRows([
    { id: 'system', name: 'system / 系统', role: 'system', dispatches: 10, returned: 1, wrong: 0, return_types: ['duplicate'] },
    { id: 'op-a', name: '受理员甲', role: 'operator', dispatches: 4, returned: 3, wrong: 2, return_types: ['wrong_place', 'other', 'needs_department'] },
    { id: 'op-b', name: null, role: 'operator', dispatches: 2, returned: 1, wrong: 1, return_types: ['wrong_category'] },
  ]);

  it('rate = (dispatches − wrong) / dispatches; lowest rate first, then more dispatches', () => {
    expect(rows.map((r) => [r.dispatcher.id, r.accurateDispatchRate])).toEqual([
      ['op-a', 0.5],
      ['op-b', 0.5],
      ['system', 1],
    ]);
  });

  it('names fall back to the id; wrong dispatches by type', () => {
    expect(rows.find((r) => r.dispatcher.id === 'op-b')?.dispatcher.name).toBe('op-b');
    expect(rows.find((r) => r.dispatcher.id === 'op-a')?.byType).toEqual({ wrong_place: 1, needs_department: 1 });
    expect(rows.find((r) => r.dispatcher.id === 'system')?.byType).toEqual({});
  });

  it('totals over the rows; no dispatches: no rate', () => {
    expect(dispatchTotals(rows)).toEqual({ dispatches: 16, returned: 5, wrongDispatches: 3, accurateDispatchRate: 13 / 16, byType: { wrong_place: 1, needs_department: 1, wrong_category: 1 } });
    expect(dispatchTotals([]).accurateDispatchRate).toBeNull();
  });
});
