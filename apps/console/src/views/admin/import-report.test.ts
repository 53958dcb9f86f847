import { describe, expect, it } from 'vitest';
import { moreThanShown, refusedGroups, reportLines, type ImportReportView } from './import-report';

const counts = (created: number) => ({ created, updated: 0, unchanged: 0, skipped: 0 });
const report: ImportReportView = {
  applied: false,
  replace: 'cells',
  files: [{ name: 'cells.geojson', kind: 'cells', records: 4 }],
  cells: counts(4),
  roads: counts(0),
  chiefs: counts(0),
  created: { streets: 1, communities: 2, roads: 0, users: 0 },
  retired: { cells: 3, segments: 0 },
  wardenCells: { added: 0 },
  cases: { relocated: 2, rerouted: 1 },
  orphanedScopes: [],
  skipped: [],
  skippedGroups: [],
};

describe('the imports page', () => {
  it("reads a refused import's groups from its answer, and counts the records beyond the examples", () => {
    const group = { problem: 'missing property name', count: 758, examples: [{ file: 'roads.geojson', feature: 'features[0]', problem: 'missing property name' }] };
    expect(refusedGroups({ statusCode: 422, error: 'import_rejected', groups: [group] })).toEqual([group]);
    expect(refusedGroups({ statusCode: 422 })).toEqual([]);
    expect(refusedGroups(null)).toEqual([]);
    expect(moreThanShown(group)).toBe(757);
  });

  it('says in both languages what the import does to the layers and the open cases', () => {
    expect(reportLines(report, 'zh')).toContain('停用 单元网格 3，路段 0（替换网格图层）');
    expect(reportLines(report, 'zh')).toContain('未办结案卷：2 件改属新网格，1 件将改派新的责任路长');
    expect(reportLines(report, 'en')).toContain('retired 3 cells, 0 segments (the cells layer replaced)');
    expect(reportLines(report, 'en')[0]).toBe('grid cells: 4 created, 0 updated, 0 unchanged, 0 skipped');
  });
});
