import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { placeScopeSql, placeVisible, principalJurisdiction, type StaffJurisdiction } from '@wangge/auth';
import { CLOCK, parseDateTime, utcOffsetMinutes, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { OutboxRelay, type Actor } from '@wangge/workflow';
import { ChecklistService } from '../checklist.service';
import { PlaceError } from '../place-error';
import { PlaceService } from '../place.service';
import type { PlaceKind } from '../place.types';
import { ACTIVE_PEOPLE_SQL } from '../places.sql';
import { InspectionClockService, type PlanTiming } from './inspection-clock.service';
import { parseEvery } from './plan-every';
import { PlanPlacesService } from './plan-places.service';
import type { DueInspectionView, DueState, InspectionPlanChange, InspectionPlanView, NewInspectionPlan } from './plan.types';
import { DUE_SELECT_SQL, INSERT_PLAN_PLACES_SQL, INSERT_PLAN_SQL, KIND_PLANS_LOCK_SQL, PLAN_SELECT_SQL, REASSIGN_OPEN_DUE_SQL, type DueRow, type PlanRow } from './plans.sql';

const PLAN_PLACES_MAX = 5000;

/**
 * Inspection plans (domain.md 8): a checklist to inspect at places (by id, or every place of a kind
 * in the maker's jurisdiction) every so long; made by district or street staff over places they hold.
 * Making one makes its current slot due at once (InspectionClockService runs it from there). A plan
 * by kind keeps the jurisdiction it was made for and follows its kind there (PlanPlacesService).
 */
@Injectable()
export class InspectionPlanService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PlaceService) private readonly places: PlaceService,
    @Inject(ChecklistService) private readonly checklists: ChecklistService,
    @Inject(InspectionClockService) private readonly inspectionClock: InspectionClockService,
    @Inject(PlanPlacesService) private readonly planPlaces: PlanPlacesService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async create(input: NewInspectionPlan, actor: Actor, by: AuditActor): Promise<InspectionPlanView> {
    if (actor.id === null) throw new PlaceError('forbidden', 'sign in to make a plan / 请登录');
    const every = parseEvery(input.every);
    if ('problem' in every) throw PlaceError.badInput('every', every.problem);
    const offset = utcOffsetMinutes(this.config.timeZone);
    const from = parseDateTime(input.from, offset);
    if (!from) throw PlaceError.badInput('from', 'must be a date-time such as 2026-12-07T08:00:00+08:00');
    const to = input.to === undefined ? null : parseDateTime(input.to, offset);
    if (input.to !== undefined && (!to || to.getTime() <= from.getTime())) throw PlaceError.badInput('to', 'must be a date-time after from');
    if ((input.placeIds === undefined) === (input.placeKind === undefined)) throw PlaceError.badInput('placeIds', 'give either placeIds or placeKind');
    const jurisdiction = principalJurisdiction(actor);
    if (input.placeKind !== undefined && !jurisdiction) throw new PlaceError('forbidden', 'a plan by kind covers a jurisdiction: you hold none / 您无辖区，不能按类型建计划');
    const checklist = await this.checklists.get(input.checklistId);
    const assigneeIds = input.assigneeIds ? await this.people(input.assigneeIds) : null;
    const now = this.clock.now();
    const view = await this.db.transaction(async (m) => {
      // A place registered meanwhile either is read here or finds this plan when it follows its kind.
      if (input.placeKind !== undefined) await m.query(KIND_PLANS_LOCK_SQL);
      const placeIds = await this.placesOf(input, actor, m);
      const scope = input.placeKind !== undefined && jurisdiction?.streetCode ? [jurisdiction.streetCode] : null;
      const [{ id }]: { id: string }[] = await m.query(INSERT_PLAN_SQL, [checklist.id, input.placeKind ?? null, input.every, every.ms, from, to, assigneeIds, actor.id, now, scope]);
      await m.query(INSERT_PLAN_PLACES_SQL, [id, placeIds]);
      await this.inspectionClock.makeCurrent(m, { id, everyMs: every.ms, from, to }, now);
      const [row]: PlanRow[] = await m.query(`${PLAN_SELECT_SQL} WHERE p.id = $1`, [id]);
      const plan = planViewOf(row);
      await recordAudit(m, { actor: by, action: 'inspection_plan.create', entity: 'inspection_plan', entityId: id, before: null, after: plan });
      return plan;
    });
    this.relay.wake();
    return view;
  }

  /** Plans over places the actor sees (a plan is listed when one of its places is, or it follows a kind within their jurisdiction), newest first. */
  async list(actor: Actor, filter: { active?: boolean } = {}): Promise<InspectionPlanView[]> {
    const params: unknown[] = [];
    const scope = placeScopeSql(actor, 'pl', (v) => (params.push(v), `$${params.length}`));
    const held = kindScopeHeldSql(principalJurisdiction(actor), (v) => (params.push(v), `$${params.length}`));
    const where = [`(EXISTS (SELECT 1 FROM inspection_plan_place pp JOIN place pl ON pl.id = pp.place_id WHERE pp.plan_id = p.id AND ${scope}) OR ${held})`];
    if (filter.active !== undefined) where.push(`p.active = ${filter.active ? 'true' : 'false'}`);
    const rows: PlanRow[] = await this.db.query(`${PLAN_SELECT_SQL} WHERE ${where.join(' AND ')} ORDER BY p.created_at DESC, p.id LIMIT 200`, params);
    return rows.map(planViewOf);
  }

  /** Stops a plan: nothing more becomes due, and what is due and not done is cancelled. Only whoever holds all its places. */
  async deactivate(id: string, actor: Actor, by: AuditActor): Promise<InspectionPlanView> {
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      const row = await this.heldPlan(m, id, actor);
      if (!row.active) return planViewOf(row);
      await m.query(`UPDATE inspection_plan SET active = false, deactivated_at = $2 WHERE id = $1`, [id, now]);
      await m.query(`UPDATE inspection_due SET state = 'cancelled', handled_at = coalesce(handled_at, $2) WHERE plan_id = $1 AND state = 'due'`, [id, now]);
      const after = { ...planViewOf(row), active: false, deactivatedAt: now.toISOString() };
      await recordAudit(m, { actor: by, action: 'inspection_plan.deactivate', entity: 'inspection_plan', entityId: id, before: planViewOf(row), after });
      return after;
    });
  }

  /**
   * Changes a plan (only whoever holds all its places, and for a plan by kind its jurisdiction):
   * places added or removed (plans by id), assignees (open due inspections take them at once), the end.
   */
  async update(id: string, change: InspectionPlanChange, actor: Actor, by: AuditActor): Promise<InspectionPlanView> {
    const add = change.addPlaceIds ?? [];
    const remove = change.removePlaceIds ?? [];
    if (add.length === 0 && remove.length === 0 && change.assigneeIds === undefined && change.to === undefined) {
      throw PlaceError.badInput('addPlaceIds', 'give addPlaceIds, removePlaceIds, assigneeIds or to');
    }
    const to = change.to === undefined || change.to === null ? change.to : parseDateTime(change.to, utcOffsetMinutes(this.config.timeZone));
    if (to === null && change.to !== null) throw PlaceError.badInput('to', 'must be a date-time such as 2026-12-31T20:00:00+08:00, or null (open-ended)');
    const assigneeIds = change.assigneeIds === undefined || change.assigneeIds === null ? change.assigneeIds : await this.people(change.assigneeIds);
    const now = this.clock.now();
    const view = await this.db.transaction(async (m) => {
      const row = await this.heldPlan(m, id, actor);
      if (!row.active) throw new PlaceError('plan_inactive', `plan ${id} is deactivated / 计划已停用`, [{ field: 'id', problem: 'the plan is deactivated' }]);
      if (row.place_kind && (add.length > 0 || remove.length > 0)) {
        throw PlaceError.badInput(add.length > 0 ? 'addPlaceIds' : 'removePlaceIds', `a plan by kind follows the places of kind ${row.place_kind}: change the place's kind, or make a plan by ids`);
      }
      const from = new Date(row.from_at);
      if (to && to.getTime() <= Math.max(from.getTime(), now.getTime())) throw PlaceError.badInput('to', 'must be after from and after now (deactivate the plan to stop it now)');
      const nextAssignees = assigneeIds === undefined ? row.assignee_ids : assigneeIds;
      await this.checkPlaces(m, { row, add, remove, nextAssignees, actor });
      const plan: PlanTiming = { id, everyMs: Number(row.every_ms), from, to: to === undefined ? (row.to_at ? new Date(row.to_at) : null) : to };
      await m.query(`UPDATE inspection_plan SET assignee_ids = $2, to_at = $3 WHERE id = $1`, [id, nextAssignees, plan.to]);
      await this.planPlaces.leave(m, id, remove, now);
      if (assigneeIds !== undefined) await m.query(REASSIGN_OPEN_DUE_SQL, [id]);
      if (to !== undefined) {
        await this.inspectionClock.retime(m, plan, now);
        await this.inspectionClock.makeCurrent(m, plan, now);
      }
      await this.planPlaces.join(m, plan, add, now);
      const [after]: PlanRow[] = await m.query(`${PLAN_SELECT_SQL} WHERE p.id = $1`, [id]);
      const plan2 = planViewOf(after);
      await recordAudit(m, { actor: by, action: 'inspection_plan.update', entity: 'inspection_plan', entityId: id, before: planViewOf(row), after: plan2 });
      return plan2;
    });
    this.relay.wake();
    return view;
  }

  /** A change's places: added ones the actor sees, not in the plan, each inspected by someone; removed ones in it; one left at least. */
  private async checkPlaces(m: EntityManager, c: { row: PlanRow; add: string[]; remove: string[]; nextAssignees: string[] | null; actor: Actor }): Promise<void> {
    const current = new Set(c.row.places.map((p) => p.id));
    for (const [n, placeId] of c.add.entries()) {
      const field = `addPlaceIds[${n}]`;
      if (c.remove.includes(placeId)) throw PlaceError.badInput(field, 'also in removePlaceIds');
      if (current.has(placeId) || c.add.indexOf(placeId) !== n) throw PlaceError.badInput(field, 'already in the plan');
      const shape = await this.places.shape(placeId, m);
      if (!shape || !placeVisible(c.actor, shape)) throw new PlaceError('not_found', `no place ${placeId} / 无此点位`, [{ field, problem: 'no such place in your jurisdiction' }]);
      if (!c.nextAssignees && !shape.responsibleId) {
        throw new PlaceError('unknown_person', `place ${shape.name} names no responsible person: give assigneeIds / 点位未设责任人，请指定巡查人`, [{ field, problem: `place ${placeId} has no responsible person` }]);
      }
    }
    for (const [n, placeId] of c.remove.entries()) {
      if (!current.has(placeId)) throw PlaceError.badInput(`removePlaceIds[${n}]`, 'not in the plan');
    }
    if (current.size - new Set(c.remove).size + c.add.length === 0) throw PlaceError.badInput('removePlaceIds', 'a plan keeps one place at least: deactivate it instead');
    const kept = c.row.places.filter((p) => !c.remove.includes(p.id));
    if (!c.nextAssignees && c.row.assignee_ids) {
      const [{ n }]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM place WHERE id = ANY($1::uuid[]) AND responsible_id IS NULL`, [kept.map((p) => p.id)]);
      if (n > 0) throw new PlaceError('unknown_person', `${n} places of the plan name no responsible person / ${n} 个点位未设责任人`, [{ field: 'assigneeIds', problem: `${n} places have no responsible person` }]);
    }
  }

  /** The plan, locked, if the actor holds it (all its places, and for a plan by kind its jurisdiction); else not found. */
  private async heldPlan(m: EntityManager, id: string, actor: Actor): Promise<PlanRow> {
    const [row]: PlanRow[] = await m.query(`${PLAN_SELECT_SQL} WHERE p.id = $1 FOR UPDATE OF p`, [id]);
    const missing = new PlaceError('not_found', `no inspection plan ${id} / 无此巡查计划`, [{ field: 'id', problem: 'no such plan in your jurisdiction' }]);
    if (!row) throw missing;
    if (row.place_kind && !holdsKindScope(principalJurisdiction(actor), row.scope_street_codes)) throw missing;
    for (const p of row.places) {
      const shape = await this.places.shape(p.id, m);
      if (!shape || !placeVisible(actor, shape)) throw missing;
    }
    return row;
  }

  /** The person's due and overdue (missed, not done since) inspections, soonest first: `GET /me/inspections`. */
  async dueFor(personId: string): Promise<DueInspectionView[]> {
    const rows: DueRow[] = await this.db.query(
      `${DUE_SELECT_SQL} WHERE $1::uuid = ANY(d.assignee_ids) AND d.state IN ('due', 'missed') AND p.active AND d.due_at > $2::timestamptz - interval '1 day'
        ORDER BY d.due_at, pl.name, d.id LIMIT 200`,
      [personId, this.clock.now()],
    );
    const now = this.clock.now().getTime();
    return rows.map((r) => dueViewOf(r, now));
  }

  /** The plan's places: those named (each visible to the actor), or every place of the kind in the actor's jurisdiction. */
  private async placesOf(input: NewInspectionPlan, actor: Actor, m: EntityManager): Promise<string[]> {
    if (input.placeIds) {
      if (input.placeIds.length === 0) throw PlaceError.badInput('placeIds', 'name at least one place');
      for (const [n, id] of input.placeIds.entries()) {
        const shape = await this.places.shape(id, m);
        if (!shape || !placeVisible(actor, shape)) throw new PlaceError('not_found', `no place ${id} / 无此点位`, [{ field: `placeIds[${n}]`, problem: 'no such place in your jurisdiction' }]);
        if (!input.assigneeIds && !shape.responsibleId) {
          throw new PlaceError('unknown_person', `place ${shape.name} names no responsible person: give assigneeIds / 点位未设责任人，请指定巡查人`, [
            { field: 'assigneeIds', problem: `place ${id} has no responsible person` },
          ]);
        }
      }
      return [...new Set(input.placeIds)];
    }
    const params: unknown[] = [input.placeKind as PlaceKind];
    const scope = placeScopeSql(actor, 'pl', (v) => (params.push(v), `$${params.length}`));
    const rows: { id: string; responsible_id: string | null }[] = await m.query(`SELECT pl.id, pl.responsible_id FROM place pl WHERE pl.kind = $1 AND ${scope} LIMIT ${PLAN_PLACES_MAX}`, params);
    if (rows.length === 0) throw PlaceError.badInput('placeKind', `no place of kind ${input.placeKind} in your jurisdiction`);
    if (!input.assigneeIds && rows.some((r) => !r.responsible_id)) {
      throw new PlaceError('unknown_person', `some places of kind ${input.placeKind} name no responsible person: give assigneeIds / 部分点位未设责任人，请指定巡查人`, [
        { field: 'assigneeIds', problem: `${rows.filter((r) => !r.responsible_id).length} places have no responsible person` },
      ]);
    }
    return rows.map((r) => r.id);
  }

  private async people(ids: string[]): Promise<string[]> {
    if (ids.length === 0) throw PlaceError.badInput('assigneeIds', 'name at least one person, or leave it out');
    const found: { id: string }[] = await this.db.query(ACTIVE_PEOPLE_SQL, [ids]);
    const known = new Set(found.map((r) => r.id));
    const n = ids.findIndex((id) => !known.has(id));
    if (n >= 0) throw new PlaceError('unknown_person', `no active person ${ids[n]} / 无此人员`, [{ field: `assigneeIds[${n}]`, problem: 'no active person with this id' }]);
    return [...known];
  }
}


/** Whether a jurisdiction holds a plan by kind's scope (null streets: the whole district). */
function holdsKindScope(j: StaffJurisdiction | null, scope: string[] | null): boolean {
  if (!j) return false;
  return j.streetCode === null || (scope !== null && scope.every((s) => s === j.streetCode));
}

/** {@link holdsKindScope} as SQL on inspection_plan `p`. */
function kindScopeHeldSql(j: StaffJurisdiction | null, param: (v: unknown) => string): string {
  if (!j) return 'false';
  if (j.streetCode === null) return 'p.place_kind IS NOT NULL';
  return `(p.place_kind IS NOT NULL AND p.scope_street_codes <@ ARRAY[${param(j.streetCode)}]::text[])`;
}

export function planViewOf(r: PlanRow): InspectionPlanView {
  return {
    id: r.id,
    checklist: { id: r.checklist_id, name: r.checklist_name, version: r.checklist_version },
    placeKind: r.place_kind as PlaceKind | null,
    scope: r.place_kind ? { streets: r.scope_streets } : null,
    places: r.places,
    every: r.every,
    from: new Date(r.from_at).toISOString(),
    to: r.to_at ? new Date(r.to_at).toISOString() : null,
    assigneeIds: r.assignee_ids,
    active: r.active,
    createdAt: new Date(r.created_at).toISOString(),
    deactivatedAt: r.deactivated_at ? new Date(r.deactivated_at).toISOString() : null,
  };
}

export function dueViewOf(r: DueRow, now: number): DueInspectionView {
  const dueAt = new Date(r.due_at);
  return {
    id: r.id,
    planId: r.plan_id,
    place: { id: r.place_id, name: r.place_name, kind: r.place_kind as PlaceKind, point: { lng: r.lng, lat: r.lat } },
    checklist: { id: r.checklist_id, name: r.checklist_name, version: r.checklist_version },
    slotStart: new Date(r.slot_start).toISOString(),
    dueAt: dueAt.toISOString(),
    state: r.state as DueState,
    overdue: r.state === 'missed' || (r.state === 'due' && dueAt.getTime() <= now),
    inspectionId: r.inspection_id,
    doneAt: r.done_at ? new Date(r.done_at).toISOString() : null,
    missedAt: r.missed_at ? new Date(r.missed_at).toISOString() : null,
  };
}
