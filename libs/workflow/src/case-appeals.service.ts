import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CaseShape } from '@wangge/auth';
import type { CaseStatus } from '@wangge/domain';
import type { Actor } from './actor';
import { appendCaseEvent } from './case-events.store';
import type { CaseRow } from './case-row';
import { loadCase } from './case-workflow.service';
import type { EventDraft } from './transition';

/** A case as a step of an appeal sees it, under the case's row lock. */
export interface AppealedCase {
  /** What the access model judges (who may appeal, who may decide). */
  shape: CaseShape;
  status: CaseStatus;
}

/** The case as an appeal sees it: whether there is an overdue mark to appeal. */
export interface OverdueMarkedCase extends AppealedCase {
  /** Whether the case was marked overdue (`case.overdue`) since its last dispatch, with no return after it. */
  markedOverdue: boolean;
}

/** What the appeal's owner recorded in the step: the case event's evidence. */
/** An appeal of a simulated history (the demo's), with its decision when it was decided. */
export interface PastAppeal {
  id: string;
  caseId: string;
  chiefId: number;
  streetCode: string;
  reason: string;
  createdBy: string | null;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  approved: boolean | null;
  note: string | null;
}

export interface AppealRecord {
  appealId: string;
  /** The appealing road chief; null for a department's appeal. */
  chiefId: number | null;
  /** The appealing department (the case's assignee when appealed); absent or null for a chief's. */
  departmentCode?: string | null;
}

/**
 * The appeal (申诉) of an overdue mark, as case events: `case.appealed` and `case.appeal_decided`.
 * The workflow owns the case's side of each step: it locks the case (as every case event does),
 * reads it and appends the event; the appeal's owner (evaluation's `AppealService`) checks and writes
 * its own table in the same transaction, through `record`, whose error refuses the step.
 * Needs only the DataSource.
 */
@Injectable()
export class CaseAppeals {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A chief's appeal: `record` sees the case (null when there is none) and writes the appeal; then
   * `case.appealed` with the reason. Returns what `record` returned.
   */
  async appeal(
    caseId: string,
    reason: string,
    actor: Actor,
    at: Date,
    record: (m: EntityManager, c: OverdueMarkedCase | null) => Promise<AppealRecord>,
  ): Promise<AppealRecord> {
    return this.db.transaction(async (m) => {
      const row = await lockCase(m, caseId);
      const appealed = await record(m, row && { ...appealedCase(row), markedOverdue: await markedOverdue(m, caseId) });
      if (!row) throw new Error(`appeal of case ${caseId} recorded without the case`);
      await appendCaseEvent(
        m,
        row,
        appealedDraft(row.status, reason, appealed),
        actor,
        at,
      );
      return appealed;
    });
  }

  /**
   * A decision on an appeal of the case: `record` sees the case and writes the decision; then
   * `case.appeal_decided`, approved or not, with the note.
   */
  async decide(
    caseId: string,
    actor: Actor,
    at: Date,
    record: (m: EntityManager, c: AppealedCase) => Promise<AppealRecord & { approved: boolean; note: string | null }>,
  ): Promise<void> {
    await this.db.transaction(async (m) => {
      // The case first (as every case event), then the appeal (in `record`).
      await m.query(`SELECT id FROM case_file WHERE id = $1 FOR UPDATE`, [caseId]);
      const row = await loadCase(m, caseId);
      const decision = await record(m, appealedCase(row));
      await appendCaseEvent(
        m,
        row,
        appealDecidedDraft(row.status, decision),
        actor,
        at,
      );
    });
  }
}

/** Locks the case's row and reads it; null when there is no such case. */
async function lockCase(m: EntityManager, caseId: string): Promise<CaseRow | null> {
  const locked: { id: string }[] = await m.query(`SELECT id FROM case_file WHERE id = $1 FOR UPDATE`, [caseId]);
  return locked.length === 0 ? null : loadCase(m, caseId);
}

function appealedCase(row: CaseRow): AppealedCase {
  return {
    shape: {
      id: row.id,
      streetCode: row.street_code,
      gridCellCode: row.grid_cell_code,
      assigneeChiefId: row.assignee_chief_id,
      assigneeDepartmentCode: row.assignee_department_code,
      escalatedTo: row.escalated_to,
      reporterId: row.reporter_id,
    },
    status: row.status,
  };
}

/** Whether the case was marked overdue (case.overdue) since its last dispatch, with no return after it. */
async function markedOverdue(m: EntityManager, caseId: string): Promise<boolean> {
  const [row]: { marked: boolean }[] = await m.query(
    `WITH d AS (SELECT max(seq) AS seq FROM case_event WHERE case_id = $1 AND type = 'case.dispatched')
     SELECT EXISTS (SELECT 1 FROM case_event e, d WHERE e.case_id = $1 AND e.type = 'case.overdue' AND e.seq > d.seq)
            AND NOT EXISTS (SELECT 1 FROM case_event e, d WHERE e.case_id = $1 AND e.type = 'case.returned' AND e.seq > d.seq) AS marked`,
    [caseId],
  );
  return row.marked;
}

/** Who appealed, as the events name them: the chief, or the department. */
function appellant(record: AppealRecord): Record<string, unknown> {
  return record.departmentCode ? { chiefId: null, departmentCode: record.departmentCode } : { chiefId: record.chiefId };
}

/** The event of a chief's or a department's appeal. */
export function appealedDraft(status: CaseStatus, reason: string, record: AppealRecord): EventDraft {
  return { type: 'case.appealed', from: status, to: status, reason, note: null, evidence: { appealId: record.appealId, ...appellant(record) } };
}

/** The event of a decision on an appeal. */
export function appealDecidedDraft(status: CaseStatus, decision: AppealRecord & { approved: boolean; note: string | null }): EventDraft {
  return {
    type: 'case.appeal_decided',
    from: status,
    to: status,
    reason: decision.approved ? 'appeal approved / 申诉通过' : 'appeal rejected / 申诉驳回',
    note: decision.note,
    evidence: { appealId: decision.appealId, ...appellant(decision), approved: decision.approved },
  };
}
