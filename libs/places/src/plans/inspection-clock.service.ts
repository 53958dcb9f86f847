import { Inject, Injectable } from '@nestjs/common';
import { rowsOf } from '@wangge/database';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { addTimeLimit, CLOCK, HOUR_MS, type Clock, type HolidayCalendar } from '@wangge/clock';
import { JobName, type JobRequest } from '@wangge/jobs';
import { addJobs, BusinessCalendarService, OutboxRelay } from '@wangge/workflow';
import { announce, eventPlaces } from '../inspection-events';
import { ESCALATION_SQL } from '../places.sql';
import type { DueOutcome } from './plan.types';
import { FULFIL_DUE_SQL, LOCK_DUE_SQL, MAKE_DUE_SQL, OPEN_DUE_OF_PLAN_SQL, PENDING_DUE_SQL, type LockedDueRow, type MadeDueRow } from './plans.sql';

/** A plan as its clock needs it. */
export interface PlanTiming {
  id: string;
  everyMs: number;
  from: Date;
  to: Date | null;
}

/**
 * The clock of inspection plans: each (plan, place, slot) is one due inspection whose deadline is the
 * slot's end, with a timer on the clocks queue (through the outbox, in the transaction that makes
 * it). When the timer runs, a due inspection not done is marked missed, announced and escalated
 * once (the place's responsible person and its street's leaders), and the plan's next slot is made
 * due: so a plan runs from timer to timer, and the sweeper re-sends any timer Redis lost.
 * Slots run on the continuous clock (`urgent_hours`: natural time, holidays and nights do not pause
 * a 24-hour watch).
 */
@Injectable()
export class InspectionClockService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BusinessCalendarService) private readonly calendars: BusinessCalendarService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  /**
   * Makes the slot in force at `now` (or, before the plan begins, its first) due at the plan's places
   * (`placeIds`: only these), with timers and `inspection.due` events; returns how many were made.
   */
  async makeCurrent(m: EntityManager, plan: PlanTiming, now: Date, placeIds: string[] | null = null): Promise<number> {
    const calendar = await this.calendars.current(m);
    const k = Math.max(0, Math.floor((now.getTime() - plan.from.getTime()) / plan.everyMs));
    return this.makeSlot(m, plan, continuous(plan.from, k * plan.everyMs, calendar), placeIds, now, calendar);
  }

  /**
   * After a plan's end changed: each open due inspection's deadline becomes its slot's end or the new
   * end, whichever comes first, with a new timer (the old one finds it changed and does nothing); one
   * whose slot begins at or after the end is cancelled. Returns how many changed.
   */
  async retime(m: EntityManager, plan: PlanTiming, now: Date): Promise<number> {
    const calendar = await this.calendars.current(m);
    const open: { id: string; slot_start: Date; due_at: Date }[] = await m.query(OPEN_DUE_OF_PLAN_SQL, [plan.id]);
    let changed = 0;
    for (const row of open) {
      const slotStart = new Date(row.slot_start);
      if (plan.to && slotStart.getTime() >= plan.to.getTime()) {
        await m.query(`UPDATE inspection_due SET state = 'cancelled', handled_at = $2 WHERE id = $1`, [row.id, now]);
        changed++;
        continue;
      }
      const end = continuous(slotStart, plan.everyMs, calendar);
      const dueAt = plan.to && plan.to.getTime() < end.getTime() ? plan.to : end;
      if (dueAt.getTime() === new Date(row.due_at).getTime()) continue;
      await m.query(`UPDATE inspection_due SET due_at = $2 WHERE id = $1`, [row.id, dueAt]);
      await addJobs(m, [dueTimer(row.id, dueAt)]);
      changed++;
    }
    return changed;
  }

  /** Makes the slot starting at `slotStart` due (none past the plan's end); its deadline is the slot's end, or the plan's end. */
  private async makeSlot(m: EntityManager, plan: PlanTiming, slotStart: Date, placeIds: string[] | null, now: Date, calendar: HolidayCalendar): Promise<number> {
    if (plan.to && slotStart.getTime() >= plan.to.getTime()) return 0;
    const end = continuous(slotStart, plan.everyMs, calendar);
    const dueAt = plan.to && plan.to.getTime() < end.getTime() ? plan.to : end;
    const made: MadeDueRow[] = await m.query(MAKE_DUE_SQL, [plan.id, slotStart, dueAt, placeIds]);
    if (made.length === 0) return 0;
    await addJobs(m, made.map((r) => dueTimer(r.id, new Date(r.due_at))));
    const places = await eventPlaces(m, made.map((r) => r.place_id));
    await announce(
      m,
      made.map((r) => ({
        place: places.get(r.place_id)!,
        event: { type: 'inspection.due', at: now.toISOString(), dueId: r.id, planId: plan.id, slotStart: new Date(r.slot_start).toISOString(), dueAt: new Date(r.due_at).toISOString() },
      })),
    );
    return made.length;
  }

  /**
   * A due inspection's deadline: under its row lock, once, a due inspection still open is marked
   * missed and escalated, and the plan's next slot is made due at the place.
   */
  async expire(dueId: string, dueAt: Date): Promise<DueOutcome> {
    const outcome = await this.db.transaction(async (m): Promise<DueOutcome> => {
      const [row]: LockedDueRow[] = await m.query(LOCK_DUE_SQL, [dueId]);
      if (!row || row.handled_at !== null || new Date(row.due_at).getTime() !== dueAt.getTime()) return { kind: 'stale' };
      const now = this.clock.now();
      if (now.getTime() < dueAt.getTime()) return { kind: 'early', at: dueAt };
      let escalatedTo: { id: string; name: string }[] = [];
      const missed = row.state === 'due';
      if (missed) {
        escalatedTo = await m.query(ESCALATION_SQL, [row.place_id, true]);
        await m.query(`UPDATE inspection_due SET state = 'missed', missed_at = $2, escalated_to = $3 WHERE id = $1`, [row.id, now, JSON.stringify(escalatedTo)]);
        const place = (await eventPlaces(m, [row.place_id])).get(row.place_id)!;
        await announce(m, [
          {
            place,
            event: { type: 'inspection.missed', at: now.toISOString(), dueId: row.id, planId: row.plan_id, slotStart: new Date(row.slot_start).toISOString(), dueAt: dueAt.toISOString(), escalatedTo },
          },
        ]);
      }
      await m.query(`UPDATE inspection_due SET handled_at = $2 WHERE id = $1`, [row.id, now]);
      let next: string | null = null;
      if (row.active) {
        const plan: PlanTiming = { id: row.plan_id, everyMs: Number(row.every_ms), from: new Date(row.from_at), to: row.to_at ? new Date(row.to_at) : null };
        const calendar = await this.calendars.current(m);
        const made = await this.makeSlot(m, plan, new Date(row.due_at), [row.place_id], now, calendar);
        if (made > 0) {
          const [n]: { id: string }[] = await m.query(`SELECT id FROM inspection_due WHERE plan_id = $1 AND place_id = $2 AND slot_start = $3`, [row.plan_id, row.place_id, row.due_at]);
          next = n?.id ?? null;
        }
      }
      return { kind: 'handled', missed, escalatedTo: escalatedTo.map((e) => e.id), next };
    });
    if (outcome.kind === 'handled') this.relay.wake();
    return outcome;
  }

  /** An inspection of a place does what is due there (in the caller's transaction): `inspection.done` for each. */
  async fulfil(m: EntityManager, inspection: { id: string; placeId: string; checklistId: string; at: Date; by: { id: string; name: string } }): Promise<number> {
    type Done = { id: string; plan_id: string; slot_start: Date; due_at: Date; state: string };
    const done = rowsOf<Done>(await m.query(FULFIL_DUE_SQL, [inspection.placeId, inspection.id, inspection.at, inspection.checklistId]));
    const place = (await eventPlaces(m, [inspection.placeId])).get(inspection.placeId)!;
    await announce(
      m,
      done.map((d) => ({
        place,
        event: {
          type: 'inspection.done',
          at: inspection.at.toISOString(),
          dueId: d.id,
          planId: d.plan_id,
          inspectionId: inspection.id,
          person: inspection.by,
          slotStart: new Date(d.slot_start).toISOString(),
          dueAt: new Date(d.due_at).toISOString(),
          onTime: d.state === 'done',
        },
      })),
    );
    return done.length;
  }

  /** Due inspections whose deadline's timer has not run, by id after `after`: every one (`all`), or those due before `dueBefore`. */
  pending(page: { all: boolean; dueBefore: Date; after: string; limit: number }): Promise<{ id: string; due_at: Date }[]> {
    return this.db.query(PENDING_DUE_SQL, [page.all, page.dueBefore, page.after, page.limit]);
  }
}

/** `start` plus `ms` on the continuous clock (the one that runs through nights and holidays). */
function continuous(start: Date, ms: number, calendar: HolidayCalendar): Date {
  return addTimeLimit(start, { value: ms / HOUR_MS, clockType: 'urgent_hours' }, calendar);
}

/** The timer of a due inspection's deadline. */
export function dueTimer(dueId: string, dueAt: Date): JobRequest {
  return { name: JobName.CheckInspectionDue, data: { dueId, dueAt: dueAt.toISOString() }, deliverAfter: dueAt };
}

