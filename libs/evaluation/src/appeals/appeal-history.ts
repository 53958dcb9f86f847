import type { EntityManager } from 'typeorm';
import type { PastAppeal } from '@wangge/workflow';

/**
 * Writes the appeals of a simulated history in the caller's transaction, beside the case events
 * (`case.appealed`, `case.appeal_decided`) the history wrote for them: the rows AppealService
 * would have written at each step.
 */
export async function recordAppealHistory(m: EntityManager, appeals: readonly PastAppeal[]): Promise<void> {
  if (appeals.length === 0) return;
  await m.query(
    `INSERT INTO appeal (id, case_id, chief_id, street_code, reason, status, created_by, created_at, decided_by, decided_at, decision_note)
     SELECT id, case_id, chief_id, street_code, reason, status, created_by, created_at, decided_by, decided_at, decision_note
       FROM jsonb_to_recordset($1::jsonb) AS a(id uuid, case_id uuid, chief_id int, street_code text, reason text, status text,
            created_by uuid, created_at timestamptz, decided_by uuid, decided_at timestamptz, decision_note text)`,
    [
      JSON.stringify(
        appeals.map((a) => ({
          id: a.id,
          case_id: a.caseId,
          chief_id: a.chiefId,
          street_code: a.streetCode,
          reason: a.reason,
          status: a.approved === null ? 'pending' : a.approved ? 'approved' : 'rejected',
          created_by: a.createdBy,
          created_at: a.createdAt.toISOString(),
          decided_by: a.decidedBy,
          decided_at: a.decidedAt ? a.decidedAt.toISOString() : null,
          decision_note: a.note,
        })),
      ),
    ],
  );
}
