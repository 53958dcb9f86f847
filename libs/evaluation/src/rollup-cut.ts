import type { DataSource } from 'typeorm';

/** Where a lib keeps the offset its daily rollups are cut at, and the statements that rebuild them at another ($1). */
export interface RollupCut {
  cutSql: string;
  rebuildSql: readonly string[];
}

/**
 * Daily rollups are cut at TIME_ZONE's offset (docs/evaluation.md): when they were cut at another
 * (a changed TIME_ZONE), they are rebuilt from their facts, in one transaction, before they answer.
 * The field rollups (places' inspections, campaigns' milestones) keep their cut this way.
 */
export async function keepRollupsCutAt(db: DataSource, cut: RollupCut, offsetMinutes: number): Promise<void> {
  const [row]: { offset_minutes: number }[] = await db.query(cut.cutSql);
  if (row?.offset_minutes === offsetMinutes) return;
  await db.transaction(async (m) => {
    for (const sql of cut.rebuildSql) await m.query(sql, sql.includes('$1') ? [offsetMinutes] : []);
  });
}
