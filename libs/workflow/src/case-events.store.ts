import type { EntityManager } from 'typeorm';
import type { CaseLight } from '@wangge/domain';
import { chiefsOf, type CaseEventMessage, type EventState, toCaseEventMessage } from '@wangge/events';
import type { JobRequest } from '@wangge/jobs';
import type { CaseRow } from './case-row';
import type { Actor } from './actor';
import type { EventDraft } from './transition';

/** Every case event takes this transaction-scoped lock just before it draws its `seq`, so that
 * events commit in `seq` order and a reader resuming after seq N can never later meet a smaller
 * seq. It is held only for the event's own inserts and the commit: append events last. */
export const EVENT_ORDER_LOCK = 0x5767_0001;
// A transition writes everything else first and appends its event last, just before COMMIT: every
// statement after the event insert is a round trip through the writer's event loop with this
// lock held, which serialises every other writer behind it (docs/performance.md, issue 18).

/**
 * Appends one case event (seq from the `case_event_seq` sequence) and its live-feed message to
 * the outbox, in the caller's transaction. The message is built from the case as it is after the
 * change (`row`), so a replay from `case_event` gives the same message.
 */
export interface AppendOptions {
  /** The state of the case's last event when the caller has read it under the row lock (null: none). */
  previousState?: Partial<EventState> | null;
  /** Jobs the event starts, written to the outbox by the same statement. */
  jobs?: readonly JobRequest[];
  /** The case's traffic light at the event's time (CaseLimitService.lightAt); null or absent: none. */
  light?: CaseLight | null;
  /** Photos the event attaches as its evidence, checked free by the caller (media-links.ts `checkMediaFree`), linked by the same statement. */
  media?: readonly string[];
}

export async function appendCaseEvent(
  m: EntityManager,
  row: CaseRow,
  draft: EventDraft,
  actor: Actor,
  at: Date,
  options: AppendOptions = {},
): Promise<CaseEventMessage & { state: EventState }> {
  // The chiefs who saw the case before this event (the caller holds the case row locked, so the
  // last event is stable): the feed shows them the event that takes the case out of their view.
  const previous =
    options.previousState !== undefined
      ? options.previousState && { state: options.previousState }
      : ((await m.query(LAST_STATE_SQL, [row.id])) as { state: Partial<EventState> }[])[0];
  const jobs = (options.jobs ?? []).map((j) => ({ name: j.name, payload: j.data, deliver_after: j.deliverAfter ?? null }));
  const state = eventStateOf(row, previous ? previous.state : null, options.light ?? null);
  // The event-order lock, the event (its seq), its feed message and the jobs it starts in one
  // statement, so the lock is held for that statement and the commit only, not across round trips.
  const message = toCaseEventMessage(row, { seq: 0, type: draft.type, at, actorId: actor.id, actorRole: actor.role, status: draft.to }, state);
  const [ev]: { seq: string }[] = await m.query(
    `WITH order_lock AS (SELECT pg_advisory_xact_lock($13) AS locked),
     ev AS (
       INSERT INTO case_event (case_id, type, actor_id, actor_role, actor_name, from_status, to_status, reason, note, evidence, state, at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM order_lock
       RETURNING seq),
     feed AS (
       INSERT INTO outbox (topic, name, payload) SELECT 'feed', 'case.event', $14::jsonb || jsonb_build_object('seq', ev.seq) FROM ev),
     jobs AS (
       INSERT INTO outbox (topic, name, payload, deliver_after)
       SELECT 'job', j.name, j.payload, j.deliver_after FROM jsonb_to_recordset($15::jsonb) AS j(name text, payload jsonb, deliver_after timestamptz)),
     media AS (
       INSERT INTO case_media (case_id, media_id, event_seq) SELECT $1, unnest($16::uuid[]), ev.seq FROM ev ON CONFLICT DO NOTHING)
     SELECT seq FROM ev`,
    [
      row.id, draft.type, actor.id, actor.role, actor.name, draft.from, draft.to, draft.reason, draft.note, draft.evidence, state, at,
      EVENT_ORDER_LOCK, JSON.stringify(message), JSON.stringify(jobs), [...new Set(options.media ?? [])],
    ],
  );
  return { ...message, seq: Number(ev.seq), state };
}

const LAST_STATE_SQL = `SELECT state FROM case_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`;

/** The state of a case's last event (null: none), for a caller that appends after other statements (AppendOptions.previousState). */
export async function lastEventState(m: EntityManager, caseId: string): Promise<Partial<EventState> | null> {
  const [last]: { state: Partial<EventState> | null }[] = await m.query(LAST_STATE_SQL, [caseId]);
  return last?.state ?? null;
}

/** The case as an event records it (`case_event.state`): from the case after the change and the state of its previous event. */
export function eventStateOf(
  row: Pick<
    CaseRow,
    | 'assignee_chief_id'
    | 'assignee_name'
    | 'assignee_level'
    | 'escalation_level'
    | 'escalated_to'
    | 'deadline_at'
    | 'overdue'
    | 'assignee_department_code'
    | 'assignee_department_name'
    | 'coordinator_chief_id'
    | 'coordinator_name'
    | 'coordinator_level'
  >,
  previousState: Partial<EventState> | null,
  light: EventState['light'] = null,
): EventState {
  return {
    assignee: row.assignee_chief_id !== null ? { id: row.assignee_chief_id, name: row.assignee_name ?? '', level: row.assignee_level ?? 0 } : null,
    department: row.assignee_department_code !== null ? { code: row.assignee_department_code, name: row.assignee_department_name ?? '' } : null,
    coordinator: row.coordinator_chief_id !== null ? { id: row.coordinator_chief_id, name: row.coordinator_name ?? '', level: row.coordinator_level ?? 0 } : null,
    formerDepartment: previousState?.department?.code ?? null,
    escalationLevel: row.escalation_level,
    escalatedTo: row.escalated_to,
    deadlineAt: row.deadline_at ? new Date(row.deadline_at).toISOString() : null,
    overdue: row.overdue,
    formerChiefs: previousState ? chiefsOf(previousState) : [],
    light,
  };
}
