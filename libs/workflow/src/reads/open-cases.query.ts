import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { OPEN_STATUSES } from '@wangge/domain';

/**
 * Which of some cases are still open (not closed, rejected, merged or cancelled): a place is
 * non-compliant while a case one of its inspections opened is open (libs/places).
 */
@Injectable()
export class OpenCasesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async openAmong(caseIds: readonly string[], m: EntityManager = this.db.manager): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const rows: { id: string }[] = await m.query(`SELECT id FROM case_file WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[])`, [caseIds, OPEN_STATUSES]);
    return new Set(rows.map((r) => r.id));
  }

  /** Which of some cases were closed by their deadline (the inspections' "failed items fixed on time", libs/places). */
  async closedOnTimeAmong(caseIds: readonly string[], m: EntityManager = this.db.manager): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM case_file WHERE id = ANY($1::uuid[]) AND status = 'closed' AND closed_at IS NOT NULL AND (deadline_at IS NULL OR closed_at <= deadline_at)`,
      [caseIds],
    );
    return new Set(rows.map((r) => r.id));
  }
}
