import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { rowsOf } from '@wangge/database';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { InspectionClockService, type PlanTiming } from './inspection-clock.service';
import { INSERT_PLAN_PLACES_SQL, KIND_PLANS_OF_PLACE_SQL, KIND_PLANS_SHARED_LOCK_SQL, LEAVE_PLAN_SQL, REASSIGN_PLACE_DUE_SQL, type KindPlanOfPlaceRow } from './plans.sql';

/** What joining or leaving did to one plan (its audit entry's `after`). */
export interface PlanPlacesChange {
  joined: string[];
  left: string[];
  /** Joined places that nobody inspects (no plan assignees, no responsible person): due, and escalated when missed. */
  unassigned: string[];
  cancelledDueIds: string[];
}

/**
 * The places of inspection plans, in the caller's transaction. A place joins a plan with its current
 * slot made due at once; one that leaves has its open due inspections of the plan cancelled (its
 * history stays). Plans by kind follow their kind: {@link follow} runs wherever a place is registered
 * or changed.
 */
@Injectable()
export class PlanPlacesService {
  constructor(@Inject(InspectionClockService) private readonly inspectionClock: InspectionClockService) {}

  async join(m: EntityManager, plan: PlanTiming, placeIds: string[], now: Date): Promise<void> {
    if (placeIds.length === 0) return;
    await m.query(INSERT_PLAN_PLACES_SQL, [plan.id, placeIds]);
    await this.inspectionClock.makeCurrent(m, plan, now, placeIds);
  }

  /** Returns the ids of the due inspections cancelled. */
  async leave(m: EntityManager, planId: string, placeIds: string[], now: Date): Promise<string[]> {
    if (placeIds.length === 0) return [];
    return rowsOf<{ id: string }>(await m.query(LEAVE_PLAN_SQL, [planId, placeIds, now])).map((r) => r.id);
  }

  /**
   * Place `placeId` (just registered or changed) joins every active plan by kind that now covers it
   * (its kind, within the jurisdiction the plan was made for) and leaves those that no longer do;
   * open due inspections of plans naming nobody follow its responsible person. Audited per plan as
   * `inspection_plan.places` by `by`.
   */
  async follow(m: EntityManager, placeId: string, by: AuditActor, now: Date): Promise<Map<string, PlanPlacesChange>> {
    await m.query(KIND_PLANS_SHARED_LOCK_SQL);
    await m.query(REASSIGN_PLACE_DUE_SQL, [placeId]);
    const plans: KindPlanOfPlaceRow[] = await m.query(KIND_PLANS_OF_PLACE_SQL, [placeId, now]);
    const changes = new Map<string, PlanPlacesChange>();
    for (const p of plans) {
      if (p.member === p.covers) continue;
      const timing: PlanTiming = { id: p.id, everyMs: Number(p.every_ms), from: new Date(p.from_at), to: p.to_at ? new Date(p.to_at) : null };
      const change: PlanPlacesChange = { joined: [], left: [], unassigned: [], cancelledDueIds: [] };
      if (p.covers) {
        await this.join(m, timing, [placeId], now);
        change.joined.push(placeId);
        if (!p.assignee_ids && !p.responsible_id) change.unassigned.push(placeId);
      } else {
        change.cancelledDueIds = await this.leave(m, p.id, [placeId], now);
        change.left.push(placeId);
      }
      await recordAudit(m, { actor: by, action: 'inspection_plan.places', entity: 'inspection_plan', entityId: p.id, before: null, after: change });
      changes.set(p.id, change);
    }
    return changes;
  }
}
