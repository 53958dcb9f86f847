import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APPEAL_ACTS, caseActionAllowed, caseActionSql, type CaseColumns } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { CASE_HEADER_SQL, CaseAppeals, type Actor } from '@wangge/workflow';
import { EvaluationError } from '../evaluation-error';

export const APPEAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

export interface AppealView {
  id: string;
  case: { id: string; code: string; status: string };
  /** The appealing road chief; null for a department's appeal. */
  chief: { id: number; name: string } | null;
  /** The appealing department (its member appealed a case dispatched to it); null for a chief's. */
  department: { code: string; name: string } | null;
  streetCode: string;
  reason: string;
  status: AppealStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: { id: string; name: string } | null;
  decisionNote: string | null;
}

interface AppealRow {
  id: string;
  case_id: string;
  case_code: string;
  case_status: string;
  chief_id: number | null;
  chief_name: string | null;
  department_code: string | null;
  department_name: string | null;
  street_code: string;
  reason: string;
  status: AppealStatus;
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  decider_name: string | null;
  decision_note: string | null;
}

const APPEAL_SELECT = `
  SELECT a.id, a.case_id, c.code AS case_code, c.status AS case_status, a.chief_id, cu.name AS chief_name, a.department_code,
         dep.name AS department_name, a.street_code, a.reason, a.status, a.created_at, a.decided_at, a.decided_by, du.name AS decider_name, a.decision_note
    FROM appeal a
    JOIN ${CASE_HEADER_SQL} c ON c.case_id = a.case_id
    LEFT JOIN road_chief ch ON ch.id = a.chief_id
    LEFT JOIN app_user cu ON cu.id = ch.user_id
    LEFT JOIN department dep ON dep.code = a.department_code
    LEFT JOIN app_user du ON du.id = a.decided_by`;

/**
 * An appeal as the access model judges it: the case it appeals as it stood when appealed (its
 * street; the appealing chief as its assignee). Only the scopes that grant appeal steps read it.
 */
const APPEAL_AS_CASE: CaseColumns = {
  id: 'a.case_id',
  streetCode: 'a.street_code',
  assigneeChiefId: 'a.chief_id',
  assigneeDepartmentCode: 'a.department_code',
  gridCellCode: 'NULL::text',
  reporterId: 'NULL::uuid',
  escalatedTo: `'{}'::int[]`,
};

/**
 * Appeals (申诉) of overdue marks. A chief appeals a case assigned to them that was marked overdue in
 * their assignment, once per case; a leader approves or rejects. Both steps are case events
 * (`case.appealed`, `case.appeal_decided`), so the case's history keeps the raw facts and the
 * evaluation facts see the decision: an approved appeal exempts the case from the timeliness metrics.
 * Roles are checked here; jurisdiction by the access model (`appeal`, `decide-appeal`); the case's
 * side of each step (its lock, its event) by the workflow's {@link CaseAppeals}.
 */
@Injectable()
export class AppealService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CaseAppeals) private readonly cases: CaseAppeals,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async appeal(caseId: string, reason: string, actor: Actor): Promise<AppealView> {
    // A chief appeals as the chief; a department's member for the department (the case's assignee).
    const chiefId = actor.role === 'chief' ? actor.chiefId : null;
    const departmentCode = actor.role === 'department' ? (actor.departmentCode ?? null) : null;
    if (chiefId === null && departmentCode === null) {
      throw new EvaluationError('forbidden', 'only road chiefs and department members appeal overdue marks / 仅路长和部门人员可申诉');
    }
    const text = reason.trim();
    if (!text) throw new EvaluationError('bad_input', 'a reason is required / 须说明申诉理由', 'reason');
    const now = this.clock.now();
    const { appealId } = await this.cases.appeal(caseId, text, actor, now, async (m, c) => {
      if (!c) throw new EvaluationError('not_found', `case ${caseId} not found / 案卷不存在`, 'caseId');
      if (!caseActionAllowed(actor, c.shape, 'appeal')) throw new EvaluationError('not_assignee', 'the case is not assigned to you / 该案卷未派遣给您', 'caseId');
      if (!c.markedOverdue) {
        throw new EvaluationError('not_overdue', 'the case has no overdue mark in your assignment / 该案卷在您处置期间未超期', 'caseId');
      }
      const [existing]: { id: string }[] = await m.query(`SELECT id FROM appeal WHERE case_id = $1 AND (chief_id = $2 OR department_code = $3)`, [caseId, chiefId, departmentCode]);
      if (existing) throw new EvaluationError('appeal_exists', 'this case was already appealed (once per case) / 每个案卷只能申诉一次', 'caseId');
      const [appeal]: { id: string }[] = await m.query(
        `INSERT INTO appeal (case_id, chief_id, department_code, street_code, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [caseId, chiefId, departmentCode, c.shape.streetCode, text, actor.id, now],
      );
      return { appealId: appeal.id, chiefId, departmentCode };
    });
    return this.view(appealId);
  }

  /**
   * Leaders decide appeals in their jurisdiction; a department's leader (部门负责人) decides the appeals
   * of their own department's members (the access model's `decide-appeal`, on the appeal's case as it
   * stood when appealed: the form of the list's {@link APPEAL_AS_CASE}).
   */
  async decide(appealId: string, approved: boolean, note: string | undefined, actor: Actor): Promise<AppealView> {
    if (actor.role !== 'leader' && actor.role !== 'department') throw new EvaluationError('forbidden', 'only leaders decide appeals / 仅领导可审批申诉');
    const [found]: { case_id: string }[] = await this.db.query(`SELECT case_id FROM appeal WHERE id = $1`, [appealId]);
    if (!found) throw new EvaluationError('not_found', `appeal ${appealId} not found / 申诉不存在`, 'id');
    const decisionNote = note?.trim() || null;
    const now = this.clock.now();
    await this.cases.decide(found.case_id, actor, now, async (m, c) => {
      const [appeal]: { status: AppealStatus; chief_id: number | null; department_code: string | null; street_code: string }[] = await m.query(
        `SELECT status, chief_id, department_code, street_code FROM appeal WHERE id = $1 FOR UPDATE`,
        [appealId],
      );
      const appealed = { ...c.shape, streetCode: appeal.street_code, assigneeChiefId: appeal.chief_id, assigneeDepartmentCode: appeal.department_code };
      if (!caseActionAllowed(actor, appealed, 'decide-appeal')) {
        throw actor.role === 'department'
          ? new EvaluationError('forbidden', "only the department's leader decides its members' appeals / 仅部门负责人可审批本部门申诉")
          : new EvaluationError('outside_jurisdiction', 'the case is outside your street / 案卷不在您的辖区');
      }
      if (appeal.status !== 'pending') throw new EvaluationError('appeal_decided', `the appeal is already ${appeal.status} / 申诉已审批`);
      await m.query(`UPDATE appeal SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5 WHERE id = $1`, [
        appealId,
        approved ? 'approved' : 'rejected',
        actor.id,
        now,
        decisionNote,
      ]);
      return { appealId, chiefId: appeal.chief_id, departmentCode: appeal.department_code, approved, note: decisionNote };
    });
    return this.view(appealId);
  }

  /** Appeals in the caller's scope, newest first: chiefs their own, street staff their street, district staff all. */
  async list(status: AppealStatus | undefined, actor: Actor, limit = 200): Promise<AppealView[]> {
    if (actor.role !== 'chief' && actor.role !== 'department' && actor.role !== 'operator' && actor.role !== 'leader' && actor.role !== 'admin') {
      throw new EvaluationError('forbidden', 'appeals are for chiefs, departments and command-center staff / 无权查看申诉');
    }
    const params: unknown[] = [];
    // Chiefs the appeals they may make (their own), departments their department's, staff those they
    // may decide (their street or the district).
    const where = [caseActionSql(actor, APPEAL_ACTS, APPEAL_AS_CASE, (v) => `$${params.push(v)}`)];
    if (status) {
      params.push(status);
      where.push(`a.status = $${params.length}`);
    }
    params.push(limit);
    const rows: AppealRow[] = await this.db.query(
      `${APPEAL_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.created_at DESC, a.id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toView);
  }

  private async view(id: string): Promise<AppealView> {
    const [row]: AppealRow[] = await this.db.query(`${APPEAL_SELECT} WHERE a.id = $1`, [id]);
    return toView(row);
  }
}

function toView(r: AppealRow): AppealView {
  return {
    id: r.id,
    case: { id: r.case_id, code: r.case_code, status: r.case_status },
    chief: r.chief_id === null ? null : { id: r.chief_id, name: r.chief_name ?? '' },
    department: r.department_code === null ? null : { code: r.department_code, name: r.department_name ?? '' },
    streetCode: r.street_code,
    reason: r.reason,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.decider_name ?? '' } : null,
    decisionNote: r.decision_note,
  };
}
