import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@wangge/clock';
import { retryTransient } from '@wangge/database';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { isChiefLevel, type CaseAction } from '@wangge/domain';
import type { EventState } from '@wangge/events';
import { LocateService, pointToWgs84, type Place } from '@wangge/geo';
import type { Actor } from './actor';
import { BusinessCalendarService } from './business-calendar.service';
import { CaseError } from './case-error';
import { CaseLimitService, type LimitColumns } from './case-limit.service';
import { STANDARD_IN_FORCE_SQL } from './standard-in-force';
import { appendCaseEvent, lastEventState } from './case-events.store';
import { CASE_SELECT, caseSelectFrom, toCaseState, type CaseRow, type LastEventRow } from './case-row';
import { checkMediaFree } from './media-links';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { suspensionClock } from './suspension-clock';
import type { LightReading } from './traffic-light';
import { CaseStageService } from './stages/case-stages.service';
import { readReopenWindow } from './citizens/follow-up.sql';
import { clockContext, needsClock } from './transition-context';
import { DepartmentDirectory } from '@wangge/chiefs';
import { transition, type ActionInput, type CasePatch, type CaseState, type TransitionContext } from './transition';

/** The case_file column of each field a transition changes. */
export const PATCH_COLUMNS: Record<keyof CasePatch, string> = {
  status: 'status',
  assigneeChiefId: 'assignee_chief_id',
  assigneeDepartmentCode: 'assignee_department_code',
  coordinatorChiefId: 'coordinator_chief_id',
  deadlineAt: 'deadline_at',
  overdue: 'overdue',
  escalationLevel: 'escalation_level',
  escalatedTo: 'escalated_to',
  dispatchedAt: 'dispatched_at',
  acceptedAt: 'accepted_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  checkRequested: 'check_requested',
  checkPassed: 'check_passed',
  extensionCount: 'extension_count',
  extensionRequestedHours: 'extension_requested_hours',
  reworkCount: 'rework_count',
  mergedInto: 'merged_into',
  routingReason: 'routing_reason',
  routingReasonZh: 'routing_reason_zh',
  publicNote: 'public_note',
  nextCheckAt: 'next_check_at',
  verifyDeadlineAt: 'verify_deadline_at',
  verifyOverdue: 'verify_overdue',
  suspendRequestedUntil: 'suspend_requested_until',
  suspendRequestedReason: 'suspend_requested_reason',
  suspendedAt: 'suspended_at',
  suspendedUntil: 'suspended_until',
  suspendReason: 'suspend_reason',
  suspendClock: 'suspend_clock',
  suspendLeftMs: 'suspend_left_ms',
  suspendCheckLeftMs: 'suspend_check_left_ms',
  suspendOverdue: 'suspend_overdue',
};

/** The patch fields that can change a case's current limit (traffic-light.ts `currentLimit`). */
const LIMIT_FIELDS: readonly (keyof CasePatch)[] = ['status', 'deadlineAt', 'dispatchedAt', 'resolvedAt', 'verifyDeadlineAt', 'suspendedAt'];

/** The dispatcher's routing of a case: the reason, and the department that handles it (the routed chief coordinates). */
export interface RoutingDecision {
  en: string;
  zh: string;
  department?: { code: string; name: string } | null;
}

export interface ApplyResult {
  caseId: string;
  /** false when the action was a harmless repeat of the last one. */
  changed: boolean;
  seq: number | null;
}

/**
 * Applies case actions: locks the case, asks the pure {@link transition} whether and how it
 * changes, and records the change, its one case event and the jobs it starts in one transaction.
 */
@Injectable()
export class CaseWorkflowService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CaseLimitService) private readonly limits: CaseLimitService,
    @Inject(CaseStageService) private readonly stages: CaseStageService,
    @Inject(LocateService) private readonly locator: LocateService,
    @Inject(DepartmentDirectory) private readonly departments: DepartmentDirectory,
  ) {}

  /** `routing`: the dispatcher's routing decision, stored as the dispatch's reason (with the department that takes the case, if any). */
  async apply(caseId: string, action: CaseAction, actor: Actor, input: ActionInput, routing?: RoutingDecision): Promise<ApplyResult> {
    // A transaction that lost a race (a deadlock the server broke) is run again rather than fail the action.
    const result = await retryTransient(() => this.db.transaction((m) => this.applyIn(m, caseId, action, actor, input, routing)));
    if (result.changed) this.relay.wake();
    return result;
  }

  /** The same, inside a transaction the caller owns (auto-registration of a new report). */
  async applyIn(m: EntityManager, caseId: string, action: CaseAction, actor: Actor, input: ActionInput, routing?: RoutingDecision): Promise<ApplyResult> {
    const targetId = action === 'merge' ? input.targetId : undefined;
    // Lock both cases of a merge in one order, so two opposite merges cannot deadlock.
    const ids = targetId && isUuid(targetId) && targetId !== caseId ? [caseId, targetId].sort() : [caseId];
    const locked: { id: string }[] = await m.query(`SELECT id FROM case_file WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
    if (!locked.some((r) => r.id === caseId)) throw new CaseError('not_found', `case ${caseId} not found / 案卷不存在`);

    const { last_event: last, ...row } = await loadCaseWithLastEvent(m, caseId);
    const state = toCaseState(row, last);
    const ctx = await this.context(m, row, state, action, input, targetId && locked.some((r) => r.id === targetId) ? targetId : undefined);
    if (routing) {
      ctx.routingReason = { en: routing.en, zh: routing.zh };
      ctx.department = routing.department ?? null;
    }
    const outcome = transition(state, action, actor, input, ctx);
    if (outcome.kind === 'repeat') return { caseId, changed: false, seq: null };

    let standardId = row.standard_id;
    if (action === 'register' && input.conditionNo !== undefined) {
      standardId = await this.chooseCondition(m, row, input.conditionNo);
    }
    if (action === 'place' && ctx.placement?.place) await placeCase(m, caseId, ctx.placement.point, ctx.placement.place);
    // A change of the state or the deadlines stores the case's current limit in the same UPDATE.
    const limit = LIMIT_FIELDS.some((f) => outcome.patch[f] !== undefined) ? await this.limits.columnsFor(m, withPatch(row, standardId, outcome.patch)) : undefined;
    const after = await updateCase(m, caseId, outcome.patch, limit);
    // A merge's target: its photos now, its event with the others at the end.
    let merged: { target: CaseRow; draft: NonNullable<typeof outcome.targetEvent>; light: LightReading | null; previousState: Partial<EventState> | null } | null = null;
    if (outcome.targetEvent && ctx.target) {
      const target = await loadCase(m, ctx.target.id);
      await m.query(
        `INSERT INTO case_media (case_id, media_id, via_case_id)
         SELECT $1, media_id, case_id FROM case_media WHERE case_id = $2 ON CONFLICT DO NOTHING`,
        [target.id, caseId],
      );
      merged = { target, draft: outcome.targetEvent, light: await this.limits.lightAt(m, target, ctx.now), previousState: await lastEventState(m, target.id) };
    }
    const media = input.mediaIds ?? [];
    if (media.length > 0) await checkMediaFree(m, media, caseId);
    // The command centre's stages the step ends and opens (stage limits, check tasks); their events follow the step's.
    const stageEvents = await this.stages.forTransition(m, { caseId, action, from: state.status, actor, now: ctx.now });
    const light = await this.limits.lightAt(m, after, ctx.now);
    // The events last, just before COMMIT (case-events.store.ts: the event-order lock is held from the
    // first event insert on): a merge's target first, as before. The case's last event is still the one
    // read above (the row lock keeps other writers out); the jobs the change starts and its photos go in with its event.
    if (merged) await appendCaseEvent(m, merged.target, merged.draft, actor, ctx.now, { light: merged.light, previousState: merged.previousState });
    const message = await appendCaseEvent(m, after, outcome.event, actor, ctx.now, { previousState: last?.state ?? null, jobs: outcome.effects, light, media });
    await this.stages.appendStageEvents(m, stageEvents, message.state);
    return { caseId, changed: true, seq: message.seq };
  }

  private async context(
    m: EntityManager,
    row: CaseRow,
    state: CaseState,
    action: CaseAction,
    input: ActionInput,
    targetId: string | undefined,
  ): Promise<TransitionContext> {
    const now = this.clock.now();
    const ctx: TransitionContext = { now };
    if (action === 'dispatch' && input.departmentCode !== undefined) {
      // By hand to a department: the department as stored, and the chief who coordinates (named, else the one routing names there).
      const d = await this.departments.record(input.departmentCode, m);
      ctx.departmentNamed = d
        ? { code: d.code, name: d.name, active: d.active, handlesCategory: d.categoryCodes.includes(row.category_code), categoryCode: row.category_code }
        : null;
    }
    const chiefId = action === 'dispatch' ? (input.assigneeId ?? (input.departmentCode !== undefined ? await this.routedChief(m, row) : undefined)) : undefined;
    if (chiefId !== undefined) {
      const [chief]: { id: number; name: string; level: number; available: boolean }[] = await m.query(
        `SELECT c.id, u.name, c.level, (c.available AND u.active) AS available
           FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE c.id = $1`,
        [chiefId],
      );
      ctx.assignee = chief && isChiefLevel(chief.level) ? { id: chief.id, name: chief.name, level: chief.level, available: chief.available } : null;
    } else if (action === 'dispatch' && input.departmentCode !== undefined) ctx.assignee = null;
    if (needsClock(action, input, state.deadlineAt !== null)) {
      const rules = {
        limit: await this.calendar.timeLimitOf(m, row.standard_id),
        calendar: await this.calendar.current(m),
        offsetMinutes: this.calendar.offsetMinutes,
        verifyLimitWorkHours: this.config.verifyLimitWorkHours,
      };
      Object.assign(ctx, clockContext(action, input, state.deadlineAt !== null, rules));
    }
    if (action === 'suspend' || action === 'resume') {
      // The clock a suspension stops is the handling limit's; a resume restarts the one it stopped.
      const clockType = action === 'resume' ? row.suspend_clock : ((await this.calendar.timeLimitOf(m, row.standard_id))?.clockType ?? null);
      ctx.suspensionClock = suspensionClock(clockType ?? 'urgent_hours', await this.calendar.current(m), this.calendar.offsetMinutes);
    }
    if (action === 'merge') {
      ctx.target = targetId ? toCaseState(await loadCase(m, targetId), null) : null;
    }
    if (action === 'place' && input.location) {
      // Found exactly as a report finds its place (the same conversion and the same statement).
      const point = pointToWgs84(input.location.lng, input.location.lat, input.coordSystem ?? 'wgs84');
      ctx.placement = { point, place: await this.locator.placeAt(point.lng, point.lat, m) };
    }
    if (action === 'reopen' && row.closed_at) {
      ctx.reopen = await readReopenWindow(m, row.id, new Date(row.closed_at), this.calendar.offsetMinutes);
    }
    return ctx;
  }

  /** The road chief routing names at the case's place, passing over the chiefs who returned it (domain.md 3); undefined when none. */
  private async routedChief(m: EntityManager, row: CaseRow): Promise<number | undefined> {
    if (row.lng === null || row.lat === null) return undefined;
    const [{ returned }]: { returned: number[] }[] = await m.query(`SELECT ${RETURNED_CHIEFS_SQL} AS returned FROM case_file c WHERE c.id = $1`, [row.id]);
    const location = await this.locator.locate(Number(row.lng), Number(row.lat), m, new Set(returned));
    return location?.assignee?.id;
  }

  /** Sets the standard of the condition chosen at registration; returns its id. */
  private async chooseCondition(m: EntityManager, row: CaseRow, conditionNo: number): Promise<number> {
    const [standard]: { id: number }[] = await m.query(STANDARD_IN_FORCE_SQL, [row.category_code, conditionNo, this.calendar.localDate(this.clock.now())]);
    if (!standard) throw new CaseError('bad_input', `category ${row.category_code} has no condition ${conditionNo} / 无此立案条件`, 'conditionNo');
    await m.query(`UPDATE case_file SET standard_id = $2 WHERE id = $1`, [row.id, standard.id]);
    return standard.id;
  }
}

export async function loadCase(m: EntityManager, id: string): Promise<CaseRow> {
  const [row]: CaseRow[] = await m.query(`${CASE_SELECT} WHERE c.id = $1`, [id]);
  if (!row) throw new CaseError('not_found', `case ${id} not found / 案卷不存在`);
  return row;
}

/** The road chiefs who returned the case `c` (an int[] expression): routing passes them over, for the case and for a department's coordinator. */
export const RETURNED_CHIEFS_SQL = `ARRAY(SELECT DISTINCT rc.id FROM case_event e JOIN road_chief rc ON rc.user_id = e.actor_id
                                           WHERE e.case_id = c.id AND e.type = 'case.returned' ORDER BY rc.id)`;

/** The stages' own events, which follow a step without changing the case: a retried step still finds itself last. */
const STAGE_SIDE_EVENTS = `'case.check_assigned', 'case.stage_overdue'`;

const CASE_WITH_LAST_EVENT_SELECT = `${caseSelectFrom('case_file', {
  columns: ', to_jsonb(le) AS last_event',
  joins: `
    LEFT JOIN LATERAL (SELECT type, actor_id, reason, note, evidence, state FROM case_event
                        WHERE case_id = c.id AND type NOT IN (${STAGE_SIDE_EVENTS}) ORDER BY seq DESC LIMIT 1) le ON true`,
})} WHERE c.id = $1`;

/** The case and its last event, in one statement (read them under the case's row lock). */
export async function loadCaseWithLastEvent(m: EntityManager, id: string): Promise<CaseRow & { last_event: LastEventRow | null }> {
  const [row]: (CaseRow & { last_event: LastEventRow | null })[] = await m.query(CASE_WITH_LAST_EVENT_SELECT, [id]);
  if (!row) throw new CaseError('not_found', `case ${id} not found / 案卷不存在`);
  return row;
}

/**
 * Sets the point of a case reported by address only and what lies there (cell, street, community,
 * nearest segment), as a report's insert writes them; the reported coordinates stay as they were (none).
 */
async function placeCase(m: EntityManager, id: string, point: { lng: number; lat: number }, place: Place): Promise<void> {
  await m.query(
    `UPDATE case_file SET location = ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326), grid_cell_code = $4, street_code = $5,
                          community_code = $6, road_id = $7, segment_id = $8, road_distance_m = $9
      WHERE id = $1`,
    [id, point.lng, point.lat, place.gridCell.code, place.street.code, place.community.code, place.road?.id ?? null, place.road?.segment.id ?? null, place.distanceM],
  );
}

/** Writes the patch (and the limit columns, when given) and reads the case as it is now, in one statement. */
async function updateCase(m: EntityManager, id: string, patch: CasePatch, limit?: LimitColumns): Promise<CaseRow> {
  const entries: [string, unknown][] = [
    ...(Object.entries(patch) as [keyof CasePatch, unknown][]).filter(([, v]) => v !== undefined).map(([k, v]): [string, unknown] => [PATCH_COLUMNS[k], v]),
    ...(limit ? Object.entries(limit) : []),
  ];
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`);
  sets.push('updated_at = now()');
  const [row]: CaseRow[] = await m.query(
    `WITH updated AS (UPDATE case_file SET ${sets.join(', ')} WHERE id = $1 RETURNING *) ${caseSelectFrom('updated')}`,
    [id, ...entries.map(([, v]) => v)],
  );
  return row;
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** The fields a case's limit depends on, as they will stand once the patch is written. */
function withPatch(row: CaseRow, standardId: number | null, patch: CasePatch): Parameters<CaseLimitService['columnsFor']>[1] {
  const pick = <K extends keyof CasePatch>(key: K, current: unknown) => (patch[key] !== undefined ? patch[key] : current);
  return {
    status: pick('status', row.status) as CaseRow['status'],
    standard_id: standardId,
    dispatched_at: pick('dispatchedAt', row.dispatched_at) as Date | null,
    deadline_at: pick('deadlineAt', row.deadline_at) as Date | null,
    resolved_at: pick('resolvedAt', row.resolved_at) as Date | null,
    verify_deadline_at: pick('verifyDeadlineAt', row.verify_deadline_at) as Date | null,
    suspended_at: pick('suspendedAt', row.suspended_at) as Date | null,
  };
}
