// What the imports page shows of `POST /api/v1/admin/import`: the report's lines and the refused records.
import type { Lang } from '../../i18n';

export type ImportKind = 'cells' | 'roads' | 'chiefs';
export type ReplaceLayer = 'cells' | 'roads';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

export interface ImportProblem {
  file: string;
  feature: string;
  problem: string;
}

/** Problems of one kind, as the endpoint groups them: what is wrong, how many, the first few records. */
export interface ProblemGroup {
  problem: string;
  count: number;
  examples: ImportProblem[];
}

/** The report of an import (or of a dry run: `applied` false), as the endpoint answers it. */
export interface ImportReportView {
  applied: boolean;
  replace: ReplaceLayer | null;
  files: { name: string; kind: ImportKind | null; records: number }[];
  cells: ImportCounts;
  roads: ImportCounts;
  chiefs: ImportCounts;
  created: { streets: number; communities: number; roads: number; users: number };
  retired: { cells: number; segments: number };
  wardenCells: { added: number };
  cases: { relocated: number; rerouted: number };
  orphanedScopes: { chief: { username: string; name: string; level: number }; kind: string; ref: string; name: string; problem: string }[];
  skipped: ImportProblem[];
  /** The skipped records grouped by problem, the largest group first. */
  skippedGroups: ProblemGroup[];
}

/** A refused import's groups (the 422 body's `groups`); none when the body has none. */
export function refusedGroups(body: unknown): ProblemGroup[] {
  const groups = (body as { groups?: unknown } | null)?.groups;
  return Array.isArray(groups) ? (groups as ProblemGroup[]) : [];
}

/** How many records are not shown among a group's examples. */
export function moreThanShown(group: ProblemGroup): number {
  return Math.max(0, group.count - group.examples.length);
}

const LABELS = {
  cells: ['单元网格', 'grid cells'],
  roads: ['路段', 'road segments'],
  chiefs: ['路长', 'road chiefs'],
} as const;

function counts(c: ImportCounts, lang: Lang): string {
  return lang === 'zh'
    ? `新增 ${c.created}，更新 ${c.updated}，不变 ${c.unchanged}，跳过 ${c.skipped}`
    : `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped`;
}

/** The report in a few lines: counts per kind, what was created and retired, the open cases it moves. */
export function reportLines(r: ImportReportView, lang: Lang): string[] {
  const zh = lang === 'zh';
  const lines = (['cells', 'roads', 'chiefs'] as const).map((k) => `${LABELS[k][zh ? 0 : 1]}: ${counts(r[k], lang)}`);
  const { streets, communities, roads, users } = r.created;
  lines.push(zh ? `另建 街道 ${streets}，社区 ${communities}，道路 ${roads}，用户 ${users}` : `also created ${streets} streets, ${communities} communities, ${roads} roads, ${users} users`);
  const layer = r.replace ? (zh ? `（替换${r.replace === 'cells' ? '网格' : '路网'}图层）` : ` (the ${r.replace} layer replaced)`) : '';
  lines.push(zh ? `停用 单元网格 ${r.retired.cells}，路段 ${r.retired.segments}${layer}` : `retired ${r.retired.cells} cells, ${r.retired.segments} segments${layer}`);
  if (r.wardenCells.added > 0) {
    lines.push(zh ? `网格员改巡 ${r.wardenCells.added} 个新单元网格` : `${r.wardenCells.added} live cells given to the wardens of retired cells`);
  }
  lines.push(
    zh
      ? `未办结案卷：${r.cases.relocated} 件改属新网格，${r.cases.rerouted} 件将改派新的责任路长`
      : `open cases: ${r.cases.relocated} move to another cell, ${r.cases.rerouted} go to a new responsible chief`,
  );
  return lines;
}
