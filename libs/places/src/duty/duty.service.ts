import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { placeScopeSql, placeVisible } from '@wangge/auth';
import { CLOCK, parseDateTime, utcOffsetMinutes, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { pointToWgs84 } from '@wangge/geo';
import { JobName, type JobRequest } from '@wangge/jobs';
import { addJobs, OutboxRelay, type Actor } from '@wangge/workflow';
import { announce } from '../inspection-events';
import { PlaceError } from '../place-error';
import { PlaceService } from '../place.service';
import { ACTIVE_PEOPLE_SQL, SHIFT_SELECT_SQL, type ShiftRow } from '../places.sql';
import { CURRENT_SHIFT_SQL, INSERT_CHECK_IN_SQL, INSERT_ROSTER_SQL, INSERT_SHIFTS_SQL, type CheckInRow } from './duty.sql';
import type { DutyCheckIn, DutyCheckInView, DutyRosterView, DutyShiftView, NewDutyRoster, ShiftState } from './duty.types';

const SHIFTS_MAX = 200;
const SHIFT_MAX_MS = 24 * 3_600_000;

/**
 * Duty at checkpoints (domain.md 8): rosters of shifts with named people at a place, made by staff
 * who hold the place; each shift is checked in on site by one of its people (further than
 * PLACE_RADIUS_M: flagged off-site, not refused). Each shift's check-in mark (start +
 * DUTY_GRACE_MIN) has a timer on the clocks queue (DutyClockService marks a shift missed).
 */
@Injectable()
export class DutyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PlaceService) private readonly places: PlaceService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async createRoster(input: NewDutyRoster, actor: Actor): Promise<DutyRosterView> {
    if (actor.id === null) throw new PlaceError('forbidden', 'sign in to make a roster / 请登录');
    const place = await this.places.shape(input.placeId);
    if (!place || !placeVisible(actor, place)) throw new PlaceError('not_found', `no place ${input.placeId} / 无此点位`, [{ field: 'placeId', problem: 'no such place in your jurisdiction' }]);
    if (input.shifts.length === 0 || input.shifts.length > SHIFTS_MAX) throw PlaceError.badInput('shifts', `give 1 to ${SHIFTS_MAX} shifts`);
    const offset = utcOffsetMinutes(this.config.timeZone);
    const shifts = input.shifts.map((s, n) => {
      const from = parseDateTime(s.from, offset);
      if (!from) throw PlaceError.badInput(`shifts[${n}].from`, 'must be a date-time such as 2026-12-07T08:00:00+08:00');
      const to = parseDateTime(s.to, offset);
      if (!to || to.getTime() <= from.getTime()) throw PlaceError.badInput(`shifts[${n}].to`, 'must be a date-time after from');
      if (to.getTime() - from.getTime() > SHIFT_MAX_MS) throw PlaceError.badInput(`shifts[${n}].to`, 'a shift lasts at most 24 hours');
      if (s.userIds.length === 0) throw PlaceError.badInput(`shifts[${n}].userIds`, 'name at least one person');
      return { from: from.toISOString(), to: to.toISOString(), userIds: [...new Set(s.userIds)] };
    });
    const named = [...new Set(shifts.flatMap((s) => s.userIds))];
    const known = new Set(((await this.db.query(ACTIVE_PEOPLE_SQL, [named])) as { id: string }[]).map((r) => r.id));
    for (const [n, s] of shifts.entries()) {
      const k = s.userIds.findIndex((id) => !known.has(id));
      if (k >= 0) throw new PlaceError('unknown_person', `no active person ${s.userIds[k]} / 无此人员`, [{ field: `shifts[${n}].userIds[${k}]`, problem: 'no active person with this id' }]);
    }
    const now = this.clock.now();
    const id = await this.db.transaction(async (m) => {
      const [{ id: rosterId }]: { id: string }[] = await m.query(INSERT_ROSTER_SQL, [place.id, actor.id, now]);
      const made: { id: string; check_by: Date }[] = await m.query(INSERT_SHIFTS_SQL, [rosterId, JSON.stringify(shifts), place.id, this.config.dutyGraceMin]);
      await addJobs(m, made.map((s) => shiftTimer(s.id, new Date(s.check_by))));
      return rosterId;
    });
    this.relay.wake();
    return (await this.rosters({ rosterId: id }, actor))[0];
  }

  /** Rosters at places the actor sees (of one place, or one roster), newest first, with their shifts. */
  async rosters(filter: { placeId?: string; rosterId?: string }, actor: Actor): Promise<DutyRosterView[]> {
    const params: unknown[] = [];
    const param = (v: unknown) => (params.push(v), `$${params.length}`);
    const where = [placeScopeSql(actor, 'pl', param)];
    if (filter.placeId) where.push(`r.place_id = ${param(filter.placeId)}`);
    if (filter.rosterId) where.push(`r.id = ${param(filter.rosterId)}`);
    const rosters: { id: string; place_id: string; place_name: string; created_at: Date }[] = await this.db.query(
      `SELECT r.id, r.place_id, pl.name AS place_name, r.created_at FROM duty_roster r JOIN place pl ON pl.id = r.place_id
        WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id LIMIT 100`,
      params,
    );
    if (rosters.length === 0) return [];
    const shifts: ShiftRow[] = await this.db.query(`${SHIFT_SELECT_SQL} WHERE s.roster_id = ANY($1::uuid[]) ORDER BY s.starts_at, s.id`, [rosters.map((r) => r.id)]);
    const now = this.clock.now().getTime();
    return rosters.map((r) => ({
      id: r.id,
      place: { id: r.place_id, name: r.place_name },
      createdAt: new Date(r.created_at).toISOString(),
      shifts: shifts.filter((s) => s.roster_id === r.id).map((s) => shiftViewOf(s, now)),
    }));
  }

  /** The person's shifts from twelve hours ago on, soonest first: `GET /me/duty-shifts`. */
  async shiftsOf(personId: string): Promise<DutyShiftView[]> {
    const now = this.clock.now();
    const rows: ShiftRow[] = await this.db.query(
      `${SHIFT_SELECT_SQL} WHERE $1::uuid = ANY(s.user_ids) AND s.ends_at > $2::timestamptz - interval '12 hours' ORDER BY s.starts_at, s.id LIMIT 100`,
      [personId, now],
    );
    return rows.map((s) => shiftViewOf(s, now.getTime()));
  }

  /**
   * Checks the person in at their shift at the place that is on now (or begins within the hour):
   * the first check-in of a shift checks it in; a person's second check-in answers their first.
   */
  async checkIn(input: DutyCheckIn, actor: Actor): Promise<{ checkIn: DutyCheckInView; created: boolean }> {
    if (actor.id === null) throw new PlaceError('forbidden', 'sign in to check in / 请登录');
    const place = await this.places.shape(input.placeId);
    if (!place) throw new PlaceError('not_found', `no place ${input.placeId} / 无此点位`, [{ field: 'placeId', problem: 'no such place' }]);
    const at = pointToWgs84(input.location.lng, input.location.lat, input.coordSystem ?? 'wgs84');
    const now = this.clock.now();
    const personId = actor.id;
    const answer = await this.db.transaction(async (m: EntityManager) => {
      const [shift]: { id: string; check_by: Date; checked_in_at: Date | null }[] = await m.query(CURRENT_SHIFT_SQL, [place.id, personId, now]);
      if (!shift) throw new PlaceError('no_shift', 'you have no shift at this place now / 您此时在该点位无值守班次', [{ field: 'placeId', problem: 'no shift of yours at this place now' }]);
      const [earlier]: CheckInRow[] = await m.query(
        `SELECT id, shift_id, place_id, created_at, distance_m, off_site, on_time FROM duty_check_in WHERE shift_id = $1 AND user_id = $2 ORDER BY created_at LIMIT 1`,
        [shift.id, personId],
      );
      if (earlier) return { checkIn: checkInViewOf(earlier), created: false };
      const onTime = now.getTime() <= new Date(shift.check_by).getTime();
      const [row]: CheckInRow[] = await m.query(INSERT_CHECK_IN_SQL, [shift.id, place.id, personId, at.lng, at.lat, this.config.placeRadiusM, onTime, now]);
      if (shift.checked_in_at === null) await m.query(`UPDATE duty_shift SET checked_in_at = $2 WHERE id = $1`, [shift.id, now]);
      await announce(m, [
        { place, event: { type: 'duty.checked_in', at: now.toISOString(), shiftId: shift.id, person: { id: personId, name: actor.name }, offSite: row.off_site, onTime } },
      ]);
      return { checkIn: checkInViewOf(row), created: true };
    });
    if (answer.created) this.relay.wake();
    return answer;
  }
}

/** The timer of a shift's check-in mark. */
export function shiftTimer(shiftId: string, checkBy: Date): JobRequest {
  return { name: JobName.CheckDutyShift, data: { shiftId, dueAt: checkBy.toISOString() }, deliverAfter: checkBy };
}

function shiftStateOf(s: ShiftRow, now: number): ShiftState {
  if (s.checked_in_at) return 'checked_in';
  if (s.missed_at) return 'missed';
  return now < new Date(s.starts_at).getTime() ? 'upcoming' : 'open';
}

export function shiftViewOf(s: ShiftRow, now: number): DutyShiftView {
  return {
    id: s.id,
    rosterId: s.roster_id,
    place: { id: s.place_id, name: s.place_name, kind: s.place_kind, point: { lng: s.lng, lat: s.lat } },
    from: new Date(s.starts_at).toISOString(),
    to: new Date(s.ends_at).toISOString(),
    checkBy: new Date(s.check_by).toISOString(),
    people: s.people,
    state: shiftStateOf(s, now),
    checkedInAt: s.checked_in_at ? new Date(s.checked_in_at).toISOString() : null,
    missedAt: s.missed_at ? new Date(s.missed_at).toISOString() : null,
    escalatedTo: s.escalated_to,
  };
}

function checkInViewOf(r: CheckInRow): DutyCheckInView {
  return { id: r.id, shiftId: r.shift_id, placeId: r.place_id, at: new Date(r.created_at).toISOString(), distanceM: Number(r.distance_m), offSite: r.off_site, onTime: r.on_time };
}
