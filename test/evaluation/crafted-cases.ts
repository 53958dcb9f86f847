import type { Client } from 'pg';

/** One event of a crafted case history. Times are local (+08:00) unless they carry a zone. */
export interface CraftedEvent {
  type: string;
  at: string;
  /** dispatched: the chief. */
  chief?: number;
  /** dispatched / extended: the deadline in force after the event. */
  deadline?: string;
  /** appeal_decided. */
  approved?: boolean;
}

export interface CraftedCase {
  /** The cell (street and community follow from it). */
  cell: string;
  category: string;
  /** The standard (its clock type decides the handling-time clock); null: continuous hours. */
  standardId: number | null;
  events: CraftedEvent[];
}

const TO_STATUS: Record<string, string> = {
  'case.reported': 'reported',
  'case.registered': 'registered',
  'case.rejected': 'rejected',
  'case.dispatched': 'dispatched',
  'case.accepted': 'in_progress',
  'case.returned': 'registered',
  'case.resolved': 'resolved',
  'case.reworked': 'in_progress',
  'case.closed': 'closed',
  'case.cancelled': 'cancelled',
  'case.extended': 'in_progress',
  'case.merged': 'merged',
  'case.overdue': 'in_progress',
  'case.appealed': 'in_progress',
  'case.appeal_decided': 'in_progress',
};

export function local(at: string): Date {
  return new Date(/(Z|[+-]\d{2}:\d{2})$/.test(at) ? at : `${at}+08:00`);
}

let counter = 0;

/**
 * Inserts a case and its events directly. The case_file row carries deliberately wrong counters
 * (rework_count 99, overdue false, extension_count 0, closed_at null): the evaluation must read events only.
 */
export async function craftCase(db: Client, c: CraftedCase, mergedInto: string | null = null): Promise<string> {
  counter += 1;
  const last = c.events[c.events.length - 1];
  const lastDispatch = [...c.events].reverse().find((e) => e.type === 'case.dispatched');
  const status = mergedInto ? 'merged' : TO_STATUS[last.type] ?? 'reported';
  const assignee = status === 'dispatched' || status === 'in_progress' ? (lastDispatch?.chief ?? null) : null;
  const { rows } = await db.query(
    `INSERT INTO case_file (code, status, category_code, standard_id, description, location, reported_coord_system, reported_lng, reported_lat,
                            grid_cell_code, street_code, community_code, source, tracking_token_hash, assignee_chief_id, rework_count,
                            overdue, merged_into, created_at)
     SELECT $1, $2, $3, $4, 'crafted case', ST_PointOnSurface(g.geom), 'wgs84', ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)),
            g.code, g.street_code, g.community_code, 'warden', encode(sha256(gen_random_uuid()::text::bytea), 'hex'), $5, 99, false, $6, $7
       FROM grid_cell g WHERE g.code = $8
     RETURNING id`,
    [`410104-20250101-${String(counter).padStart(6, '0')}`, status, c.category, c.standardId, assignee, mergedInto, local(c.events[0].at), c.cell],
  );
  const id = rows[0].id as string;
  let chief: number | null = null;
  let deadline: string | null = null;
  for (const e of c.events) {
    if (e.type === 'case.dispatched') chief = e.chief ?? null;
    if (e.type === 'case.returned') chief = null;
    if (e.deadline) deadline = local(e.deadline).toISOString();
    if (e.type === 'case.returned') deadline = null;
    const state = { assignee: chief === null ? null : { id: chief, name: '', level: 3 }, escalationLevel: 0, escalatedTo: [], deadlineAt: deadline, overdue: false };
    const evidence: Record<string, unknown> = {};
    if (e.type === 'case.dispatched') evidence.assignee = { id: chief, name: '', level: 3 };
    if (e.type === 'case.extended') evidence.deadlineAt = deadline;
    if (e.type === 'case.appealed' || e.type === 'case.appeal_decided') evidence.chiefId = chief;
    if (e.type === 'case.appeal_decided') evidence.approved = e.approved;
    await db.query(
      `INSERT INTO case_event (case_id, type, actor_role, to_status, evidence, state, at) VALUES ($1, $2, 'system', $3, $4, $5, $6)`,
      [id, e.type, TO_STATUS[e.type] ?? 'reported', evidence, state, local(e.at)],
    );
  }
  return id;
}
