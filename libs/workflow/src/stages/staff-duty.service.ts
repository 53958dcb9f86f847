import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@wangge/clock';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { CaseStageService } from './case-stages.service';

/** Whether a person is on duty, and where they were last (WGS-84). */
export interface DutyView {
  onDuty: boolean;
  location: { lng: number; lat: number } | null;
  locatedAt: string | null;
}

/**
 * Duty (在岗) of wardens and leaders: the switch on their phone and their last known place. Check
 * tasks go to the nearest warden on duty; a missed stage is told to the leaders on duty. A warden
 * going on duty takes the checks the operators hold in their cells, in the same transaction.
 */
@Injectable()
export class StaffDutyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CaseStageService) private readonly stages: CaseStageService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async of(userId: string): Promise<DutyView> {
    const [row]: DutyRow[] = await this.db.query(`SELECT on_duty, ST_X(location) AS lng, ST_Y(location) AS lat, located_at FROM staff_duty WHERE user_id = $1`, [userId]);
    return toView(row);
  }

  /** Sets the switch; a location given replaces the last known one (kept when omitted). */
  async set(userId: string, change: { onDuty: boolean; location?: { lng: number; lat: number } }): Promise<DutyView> {
    const now = this.clock.now();
    const loc = change.location ?? null;
    const { row, taken } = await this.db.transaction(async (m) => {
      const [row]: DutyRow[] = await m.query(
        `INSERT INTO staff_duty AS d (user_id, on_duty, location, located_at, updated_at)
         VALUES ($1, $2, CASE WHEN $3::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($3, $4), 4326) END, CASE WHEN $3::float8 IS NULL THEN NULL ELSE $5::timestamptz END, $5)
         ON CONFLICT (user_id) DO UPDATE SET on_duty = EXCLUDED.on_duty,
           location = coalesce(EXCLUDED.location, d.location), located_at = coalesce(EXCLUDED.located_at, d.located_at), updated_at = EXCLUDED.updated_at
         RETURNING on_duty, ST_X(location) AS lng, ST_Y(location) AS lat, located_at`,
        [userId, change.onDuty, loc?.lng ?? null, loc?.lat ?? null, now],
      );
      const taken = change.onDuty ? await this.stages.takeOperatorChecks(m, userId, now) : 0;
      return { row, taken };
    });
    if (taken > 0) this.relay.wake();
    return toView(row);
  }
}

interface DutyRow {
  on_duty: boolean;
  lng: number | null;
  lat: number | null;
  located_at: Date | null;
}

function toView(row: DutyRow | undefined): DutyView {
  if (!row) return { onDuty: false, location: null, locatedAt: null };
  return {
    onDuty: row.on_duty,
    location: row.lng === null || row.lat === null ? null : { lng: Number(row.lng), lat: Number(row.lat) },
    locatedAt: row.located_at ? new Date(row.located_at).toISOString() : null,
  };
}
