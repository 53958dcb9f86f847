import type { EntityManager } from 'typeorm';
import { trackingTokenHash } from '@wangge/events';
import { reopenWindow, type ReopenWindow } from './reopen-window';

/**
 * The SQL of citizens' follow-up (`case_feedback`, `case_update`: the workflow's tables,
 * docs/data-ownership.md), run in the caller's transaction.
 */

/** Locks the case whose tracking token this is (null: no such case, or not this token: the caller answers 404 either way). */
export async function lockTrackedCase(m: EntityManager, caseId: string, token: string): Promise<string | null> {
  const rows: { id: string }[] = await m.query(`SELECT id FROM case_file WHERE id = $1 AND tracking_token_hash = $2 FOR UPDATE`, [caseId, trackingTokenHash(token)]);
  return rows[0]?.id ?? null;
}

/** The reopen window of a case's close (whether it has been reopened before: its `case.reopened` event). */
export async function readReopenWindow(m: EntityManager, caseId: string, closedAt: Date, utcOffsetMinutes: number): Promise<ReopenWindow> {
  const [row]: { reopened: boolean }[] = await m.query(`SELECT EXISTS (SELECT 1 FROM case_event WHERE case_id = $1 AND type = 'case.reopened') AS reopened`, [caseId]);
  return reopenWindow(closedAt, row.reopened, utcOffsetMinutes);
}

export async function feedbackGiven(m: EntityManager, caseId: string, closedAt: Date): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM case_feedback WHERE case_id = $1 AND closed_at = $2`, [caseId, closedAt]);
  return rows.length > 0;
}

export interface FeedbackRow {
  id: string;
  caseId: string;
  closedAt: Date;
  satisfied: boolean;
  comment: string | null;
  reopened: boolean;
  eventSeq: number;
  at: Date;
}

export async function insertFeedback(m: EntityManager, f: FeedbackRow): Promise<void> {
  await m.query(
    `INSERT INTO case_feedback (id, case_id, closed_at, satisfied, comment, reopened, event_seq, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [f.id, f.caseId, f.closedAt, f.satisfied, f.comment, f.reopened, f.eventSeq, f.at],
  );
}

/** The feedback on the case's current close (null: none yet, or the case is not closed). */
export async function feedbackOnClose(m: EntityManager, caseId: string): Promise<{ satisfied: boolean; at: Date; reopened: boolean } | null> {
  const [row]: { satisfied: boolean; created_at: Date; reopened: boolean }[] = await m.query(
    `SELECT f.satisfied, f.created_at, f.reopened FROM case_feedback f JOIN case_file c ON c.id = f.case_id AND c.closed_at = f.closed_at WHERE f.case_id = $1`,
    [caseId],
  );
  return row ? { satisfied: row.satisfied, at: row.created_at, reopened: row.reopened } : null;
}

export type UpdateStatus = 'pending' | 'approved' | 'rejected';

export interface UpdateRow {
  id: string;
  case_id: string;
  note: string;
  media_ids: string[];
  status: UpdateStatus;
  created_at: Date;
  decided_at: Date | null;
  decided_by_name: string | null;
  decision_reason: string | null;
}

export async function insertUpdate(m: EntityManager, u: { id: string; caseId: string; note: string; mediaIds: readonly string[]; eventSeq: number; at: Date }): Promise<void> {
  await m.query(`INSERT INTO case_update (id, case_id, note, media_ids, event_seq, created_at) VALUES ($1, $2, $3, $4::uuid[], $5, $6)`, [
    u.id,
    u.caseId,
    u.note,
    [...new Set(u.mediaIds)],
    u.eventSeq,
    u.at,
  ]);
}

const UPDATE_SELECT = `
  SELECT u.id, u.case_id, u.note, u.media_ids, u.status, u.created_at, u.decided_at, d.name AS decided_by_name, u.decision_reason
    FROM case_update u LEFT JOIN app_user d ON d.id = u.decided_by`;

/** A case's updates, oldest first; `approvedOnly` for the public. */
export async function updatesOf(m: EntityManager, caseId: string, approvedOnly: boolean): Promise<UpdateRow[]> {
  return m.query(`${UPDATE_SELECT} WHERE u.case_id = $1${approvedOnly ? ` AND u.status = 'approved'` : ''} ORDER BY u.created_at, u.id`, [caseId]);
}

/** One update of the case, locked for its decision. */
export async function lockUpdate(m: EntityManager, caseId: string, updateId: string): Promise<UpdateRow | null> {
  const [row]: UpdateRow[] = await m.query(`${UPDATE_SELECT} WHERE u.case_id = $1 AND u.id = $2 FOR UPDATE OF u`, [caseId, updateId]);
  return row ?? null;
}

export async function decideUpdate(m: EntityManager, d: { id: string; status: 'approved' | 'rejected'; at: Date; by: string | null; reason: string | null }): Promise<void> {
  await m.query(`UPDATE case_update SET status = $2, decided_at = $3, decided_by = $4, decision_reason = $5 WHERE id = $1`, [d.id, d.status, d.at, d.by, d.reason]);
}
