import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { placeScopeSql, placeVisible } from '@wangge/auth';
import { CLOCK, parseDateTime, utcOffsetMinutes, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { OutboxRelay, type Actor } from '@wangge/workflow';
import { ChecklistService } from '../checklist.service';
import { PlaceError } from '../place-error';
import { PlaceService } from '../place.service';
import type { PlaceKind } from '../place.types';
import { ACTIVE_PEOPLE_SQL } from '../places.sql';
import { InspectionClockService } from './inspection-clock.service';
import { parseEvery } from './plan-every';
import type { DueInspectionView, DueState, InspectionPlanView, NewInspectionPlan } from './plan.types';
import { DUE_SELECT_SQL, INSERT_PLAN_PLACES_SQL, INSERT_PLAN_SQL, PLAN_SELECT_SQL, type DueRow, type PlanRow } from './plans.sql';

const PLAN_PLACES_MAX = 5000;

/**
 * Inspection plans (domain.md 8): a checklist to inspect at places (by id, or every place of a kind
 * in the maker's jurisdiction) every so long; made by district or street staff over places they hold.
 * Making one makes its current slot due at once (InspectionClockService runs it from there).
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
    const checklist = await this.checklists.get(input.checklistId);
    const placeIds = await this.placesOf(input, actor);
    const assigneeIds = input.assigneeIds ? await this.people(input.assigneeIds) : null;
    const now = this.clock.now();
    const view = await this.db.transaction(async (m) => {
      const [{ id }]: { id: string }[] = await m.query(INSERT_PLAN_SQL, [checklist.id, input.placeKind ?? null, input.every, every.ms, from, to, assigneeIds, actor.id, now]);
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

  /** Plans over places the actor sees (a plan is listed when one of its places is), newest first. */
  async list(actor: Actor, filter: { active?: boolean } = {}): Promise<InspectionPlanView[]> {
    const params: unknown[] = [];
    const scope = placeScopeSql(actor, 'pl', (v) => (params.push(v), `$${params.length}`));
    const where = [`EXISTS (SELECT 1 FROM inspection_plan_place pp JOIN place pl ON pl.id = pp.place_id WHERE pp.plan_id = p.id AND ${scope})`];
    if (filter.active !== undefined) where.push(`p.active = ${filter.active ? 'true' : 'false'}`);
    const rows: PlanRow[] = await this.db.query(`${PLAN_SELECT_SQL} WHERE ${where.join(' AND ')} ORDER BY p.created_at DESC, p.id LIMIT 200`, params);
    return rows.map(planViewOf);
  }

  /** Stops a plan: nothing more becomes due, and what is due and not done is cancelled. Only whoever holds all its places. */
  async deactivate(id: string, actor: Actor, by: AuditActor): Promise<InspectionPlanView> {
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      const [row]: PlanRow[] = await m.query(`${PLAN_SELECT_SQL} WHERE p.id = $1 FOR UPDATE OF p`, [id]);
      if (!row) throw new PlaceError('not_found', `no inspection plan ${id} / 无此巡查计划`);
      for (const p of row.places) {
        const shape = await this.places.shape(p.id, m);
        if (!shape || !placeVisible(actor, shape)) throw new PlaceError('not_found', `no inspection plan ${id} / 无此巡查计划`);
      }
      if (!row.active) return planViewOf(row);
      await m.query(`UPDATE inspection_plan SET active = false, deactivated_at = $2 WHERE id = $1`, [id, now]);
      await m.query(`UPDATE inspection_due SET state = 'cancelled', handled_at = coalesce(handled_at, $2) WHERE plan_id = $1 AND state = 'due'`, [id, now]);
      const after = { ...planViewOf(row), active: false, deactivatedAt: now.toISOString() };
      await recordAudit(m, { actor: by, action: 'inspection_plan.deactivate', entity: 'inspection_plan', entityId: id, before: planViewOf(row), after });
      return after;
    });
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
  private async placesOf(input: NewInspectionPlan, actor: Actor): Promise<string[]> {
    if (input.placeIds) {
      if (input.placeIds.length === 0) throw PlaceError.badInput('placeIds', 'name at least one place');
      for (const [n, id] of input.placeIds.entries()) {
        const shape = await this.places.shape(id);
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
    const rows: { id: string; responsible_id: string | null }[] = await this.db.query(`SELECT pl.id, pl.responsible_id FROM place pl WHERE pl.kind = $1 AND ${scope} LIMIT ${PLAN_PLACES_MAX}`, params);
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


export function planViewOf(r: PlanRow): InspectionPlanView {
  return {
    id: r.id,
    checklist: { id: r.checklist_id, name: r.checklist_name, version: r.checklist_version },
    placeKind: r.place_kind as PlaceKind | null,
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
