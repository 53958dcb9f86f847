import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@wangge/clock';
import { OutboxRelay } from '@wangge/workflow';
import { announce, eventPlaces } from '../inspection-events';
import { ESCALATION_SQL } from '../places.sql';
import type { ShiftOutcome } from './duty.types';
import { PENDING_SHIFTS_SQL } from './duty.sql';

/**
 * A shift's check-in mark (start + DUTY_GRACE_MIN): under the shift's row lock, once, a shift no one
 * checked in is marked missed, announced and escalated to the place's responsible person (none: the
 * leaders of its street).
 */
@Injectable()
export class DutyClockService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async expire(shiftId: string, dueAt: Date): Promise<ShiftOutcome> {
    const outcome = await this.db.transaction(async (m): Promise<ShiftOutcome> => {
      const [shift]: { id: string; place_id: string; check_by: Date; checked_in_at: Date | null; missed_at: Date | null }[] = await m.query(
        `SELECT id, place_id, check_by, checked_in_at, missed_at FROM duty_shift WHERE id = $1 FOR UPDATE`,
        [shiftId],
      );
      if (!shift || shift.checked_in_at !== null || shift.missed_at !== null || new Date(shift.check_by).getTime() !== dueAt.getTime()) return { kind: 'stale' };
      const now = this.clock.now();
      if (now.getTime() < dueAt.getTime()) return { kind: 'early', at: dueAt };
      const escalatedTo: { id: string; name: string }[] = await m.query(ESCALATION_SQL, [shift.place_id, false]);
      await m.query(`UPDATE duty_shift SET missed_at = $2, escalated_to = $3 WHERE id = $1`, [shift.id, now, JSON.stringify(escalatedTo)]);
      const place = (await eventPlaces(m, [shift.place_id])).get(shift.place_id)!;
      await announce(m, [{ place, event: { type: 'duty.missed', at: now.toISOString(), shiftId: shift.id, dueAt: dueAt.toISOString(), escalatedTo } }]);
      return { kind: 'missed', escalatedTo: escalatedTo.map((e) => e.id) };
    });
    if (outcome.kind === 'missed') this.relay.wake();
    return outcome;
  }

  /** Shifts whose check-in mark is not made, by id after `after`: every one (`all`), or those due before `dueBefore`. */
  pending(page: { all: boolean; dueBefore: Date; after: string; limit: number }): Promise<{ id: string; check_by: Date }[]> {
    return this.db.query(PENDING_SHIFTS_SQL, [page.all, page.dueBefore, page.after, page.limit]);
  }
}
