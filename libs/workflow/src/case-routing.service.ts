import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LocateService } from '@wangge/geo';
import { SYSTEM_ACTOR } from './actor';
import { CaseError } from './case-error';
import { CaseWorkflowService } from './case-workflow.service';

export type RoutingOutcome =
  | { kind: 'dispatched'; assigneeId: number; reason: string }
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
  ) {}

  async route(caseId: string): Promise<RoutingOutcome> {
    // The case and the chiefs who returned it, in one read.
    const [row]: { status: string; lng: number; lat: number; returned: number[] }[] = await this.db.query(
      `SELECT c.status, ST_X(c.location) AS lng, ST_Y(c.location) AS lat,
              ARRAY(SELECT DISTINCT rc.id FROM case_event e JOIN road_chief rc ON rc.user_id = e.actor_id
                     WHERE e.case_id = c.id AND e.type = 'case.returned' ORDER BY rc.id) AS returned
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
    const reason = exclude.size > 0 ? ` (passed over chiefs who returned it: ${[...exclude].join(', ')})` : '';
    const reasonZh = exclude.size > 0 ? `（已排除退回的路长）` : '';
    let changed: boolean;
    try {
      ({ changed } = await this.workflow.apply(caseId, 'dispatch', SYSTEM_ACTOR, { assigneeId: location.assignee.id }, {
        en: location.reason + reason,
        zh: location.reasonZh + reasonZh,
      }));
    } catch (err) {
      if (err instanceof CaseError && err.code === 'illegal_transition') return { kind: 'skipped', status: err.currentStatus ?? 'unknown' };
      throw err;
    }
    // Another attempt dispatched it first (the workflow saw a repeat): nothing was done here.
    if (!changed) return { kind: 'skipped', status: 'dispatched' };
    return { kind: 'dispatched', assigneeId: location.assignee.id, reason: location.reason + reason };
  }
}
