import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DepartmentDirectory } from '@wangge/chiefs';
import { CLOCK, type Clock } from '@wangge/clock';
import type { CaseStatus } from '@wangge/domain';
import { LocateService, type Location } from '@wangge/geo';
import { SYSTEM_ACTOR } from './actor';
import { CaseError } from './case-error';
import { appendCaseEvent } from './case-events.store';
import { CaseLimitService } from './case-limit.service';
import { CaseWorkflowService, loadCase, RETURNED_CHIEFS_SQL } from './case-workflow.service';
import { OutboxRelay } from './outbox/outbox-relay.service';

export type RoutingOutcome =
  /** `department`: the department that handles the case, with the chief (`assigneeId`) coordinating. */
  | { kind: 'dispatched'; assigneeId: number; reason: string; department?: string }
  | { kind: 'skipped'; status: string }
  | { kind: 'no_chief'; reason: string };

export type ReroutingOutcome =
  | { kind: 'rerouted'; assigneeId: number; formerAssigneeId: number | null; reason: string }
  /** Not dispatched or in progress any more, or already with the chief routing names now (a repeated job). */
  | { kind: 'skipped'; status: string }
  | { kind: 'no_chief'; reason: string };

/**
 * Routes a registered case to its road chief (domain.md 3) and dispatches it. Chiefs who returned
 * the case are passed over. Dispatching goes through the workflow, which allows the dispatcher to
 * dispatch only a `registered` case under its row lock: a route job run twice dispatches once.
 */
@Injectable()
export class CaseRoutingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LocateService) private readonly locator: LocateService,
    @Inject(CaseWorkflowService) private readonly workflow: CaseWorkflowService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CaseLimitService) private readonly limits: CaseLimitService,
    @Inject(DepartmentDirectory) private readonly departments: DepartmentDirectory,
  ) {}

  /**
   * Re-zoning changed the chief a dispatched or in-progress case is routed to (CaseRelocationService):
   * hands it to the chief routing names now, under the case's row lock, as a `case.rerouted` event.
   * The case is `dispatched` again (the new chief accepts it); its deadline, overdue mark and
   * escalation stay, as the work is the same. A job run twice hands over once: the second finds
   * the case with its chief already.
   */
  async reroute(caseId: string): Promise<ReroutingOutcome> {
    const outcome = await this.db.transaction((m) => this.rerouteIn(m, caseId));
    if (outcome.kind === 'rerouted') this.relay.wake();
    return outcome;
  }

  private async rerouteIn(m: EntityManager, caseId: string): Promise<ReroutingOutcome> {
    const [row]: { status: CaseStatus; lng: number; lat: number; assignee: number | null; returned: number[] }[] = await m.query(
      `SELECT c.status, ST_X(c.location) AS lng, ST_Y(c.location) AS lat, c.assignee_chief_id AS assignee,
              ${RETURNED_CHIEFS_SQL} AS returned
         FROM case_file c WHERE c.id = $1 FOR UPDATE OF c`,
      [caseId],
    );
    if (!row) throw new CaseError('not_found', `case ${caseId} not found / 案卷不存在`);
    if (row.status !== 'dispatched' && row.status !== 'in_progress') return { kind: 'skipped', status: row.status };
    const location = await this.locator.locate(Number(row.lng), Number(row.lat), m, new Set(row.returned));
    if (!location || !location.assignee) return { kind: 'no_chief', reason: location?.reason ?? 'the case lies in no grid cell' };
    if (location.assignee.id === row.assignee) return { kind: 'skipped', status: row.status };

    const chief = location.assignee;
    const reason = { en: `re-zoned: ${location.reason}`, zh: `调整网格：${location.reasonZh}` };
    await m.query(
      `UPDATE case_file SET status = 'dispatched', assignee_chief_id = $2, accepted_at = NULL, dispatched_at = $3,
                            routing_reason = $4, routing_reason_zh = $5, updated_at = $3
        WHERE id = $1`,
      [caseId, chief.id, this.clock.now(), reason.en, reason.zh],
    );
    const rerouted = await loadCase(m, caseId);
    const now = this.clock.now();
    await appendCaseEvent(
      m,
      rerouted,
      {
        type: 'case.rerouted',
        from: row.status,
        to: 'dispatched',
        reason: reason.en,
        note: reason.zh,
        evidence: { assignee: { id: chief.id, name: chief.name, level: chief.level }, formerAssigneeId: row.assignee, routingReason: reason.en },
      },
      SYSTEM_ACTOR,
      now,
      { light: await this.limits.lightAt(m, rerouted, now) },
    );
    return { kind: 'rerouted', assigneeId: chief.id, formerAssigneeId: row.assignee, reason: reason.en };
  }

  async route(caseId: string): Promise<RoutingOutcome> {
    // The case and the chiefs who returned it, in one read.
    // The case, the chiefs who returned it and the departments whose members returned it, in one read.
    const [row]: { status: string; lng: number; lat: number; category_code: string; street_code: string | null; returned: number[]; returned_by: string[] }[] = await this.db.query(
      `SELECT c.status, ST_X(c.location) AS lng, ST_Y(c.location) AS lat, c.category_code, c.street_code,
              ${RETURNED_CHIEFS_SQL} AS returned,
              ARRAY(SELECT DISTINCT e.evidence->>'department' FROM case_event e
                     WHERE e.case_id = c.id AND e.type = 'case.returned' AND e.evidence ? 'department') AS returned_by
         FROM case_file c WHERE c.id = $1`,
      [caseId],
    );
    if (!row) throw new CaseError('not_found', `case ${caseId} not found / 案卷不存在`);
    if (row.status !== 'registered') return { kind: 'skipped', status: row.status };
    const exclude = new Set(row.returned);
    const location = await this.locator.locate(Number(row.lng), Number(row.lat), this.db.manager, exclude);
    if (!location || !location.assignee) {
      return { kind: 'no_chief', reason: location?.reason ?? 'the case lies in no grid cell' };
    }
    // A department that handles the category there takes the case; the routed chief coordinates (domain.md 9).
    const department = row.street_code ? await this.departments.handlerOf(this.db.manager, row.category_code, row.street_code, row.returned_by) : null;
    const routing = department ? departmentReasonOf(routingReasonOf(location, exclude), department) : routingReasonOf(location, exclude);
    let changed: boolean;
    try {
      ({ changed } = await this.workflow.apply(caseId, 'dispatch', SYSTEM_ACTOR, { assigneeId: location.assignee.id }, { ...routing, department }));
    } catch (err) {
      if (err instanceof CaseError && err.code === 'illegal_transition') return { kind: 'skipped', status: err.currentStatus ?? 'unknown' };
      throw err;
    }
    // Another attempt dispatched it first (the workflow saw a repeat): nothing was done here.
    if (!changed) return { kind: 'skipped', status: 'dispatched' };
    return { kind: 'dispatched', assigneeId: location.assignee.id, reason: routing.en, ...(department ? { department: department.code } : {}) };
  }
}

/** The stored reason of a dispatch to a department: its trade, then the routing that names the coordinating chief. */
export function departmentReasonOf(routing: { en: string; zh: string }, department: { code: string; name: string }): { en: string; zh: string } {
  return {
    en: `category handled by department ${department.name} (${department.code}); coordinator: ${routing.en}`,
    zh: `行业部门 ${department.name} 处置；协调路长：${routing.zh}`,
  };
}

/** The stored reason of a routed dispatch: the routing decision, and the chiefs passed over for returning the case. */
export function routingReasonOf(location: Pick<Location, 'reason' | 'reasonZh'>, exclude: ReadonlySet<number>): { en: string; zh: string } {
  const reason = exclude.size > 0 ? ` (passed over chiefs who returned it: ${[...exclude].join(', ')})` : '';
  const reasonZh = exclude.size > 0 ? `（已排除退回的路长）` : '';
  return { en: location.reason + reason, zh: location.reasonZh + reasonZh };
}
