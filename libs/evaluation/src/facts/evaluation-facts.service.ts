import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { utcOffsetMinutes } from '@wangge/clock';
import { CASE_EVENT_LOG_SQL } from '@wangge/workflow';
import { REFRESH_FACTS_SQL } from './evaluation-facts.sql';
import { APPLY_DELTA_SQL, CREATE_DELTA_SQL, deltaSql, REBUILD_ROLLUPS_SQL } from './evaluation-rollup.sql';

/** Serialises fact refreshes (transaction-scoped advisory lock). */
export const FACTS_LOCK = 0x5767_0e01;

/**
 * Keeps `evaluation_case_fact` up to date with the case events (the workflow's `CASE_EVENT_LOG_SQL`): every refresh rebuilds the facts of the
 * cases that have events after the watermark, then moves the watermark. Case events commit in seq
 * order (EVENT_ORDER_LOCK), so every event up to the highest visible seq is already committed.
 *
 * The daily rollups (`evaluation_daily`) move with the facts in the same transaction: the touched
 * cases' old contributions are subtracted and their new ones added. They are rebuilt from all facts
 * when they were cut at another UTC offset than the configured time zone's (or never built).
 */
@Injectable()
export class EvaluationFactsService {
  /** The UTC offset (minutes) that cuts the rollups' days. */
  readonly offsetMinutes: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
  }

  /** Brings the facts and their daily rollups up to the newest event. Returns the seq range taken in. */
  async refresh(): Promise<{ fromSeq: number; toSeq: number }> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [FACTS_LOCK]);
      const [mark]: { last_seq: string; rollup_offset_minutes: number | null }[] = await m.query(
        `SELECT last_seq, rollup_offset_minutes FROM evaluation_watermark`,
      );
      const [top]: { seq: string | null }[] = await m.query(`SELECT max(seq) AS seq FROM ${CASE_EVENT_LOG_SQL} e`);
      const fromSeq = Number(mark.last_seq);
      const toSeq = Math.max(Number(top.seq ?? 0), fromSeq);
      const rebuild = mark.rollup_offset_minutes !== this.offsetMinutes;
      if (toSeq > fromSeq) {
        if (!rebuild) {
          await m.query(CREATE_DELTA_SQL);
          await m.query(deltaSql(-1), [fromSeq, toSeq, this.offsetMinutes]);
        }
        await m.query(REFRESH_FACTS_SQL, [fromSeq, toSeq, this.offsetMinutes]);
        if (!rebuild) {
          await m.query(deltaSql(1), [fromSeq, toSeq, this.offsetMinutes]);
          for (const sql of APPLY_DELTA_SQL) await m.query(sql);
          await m.query(`DROP TABLE evaluation_daily_delta`);
        }
      }
      if (rebuild) for (const sql of REBUILD_ROLLUPS_SQL) await m.query(sql, sql.includes('$1') ? [this.offsetMinutes] : []);
      if (toSeq > fromSeq || rebuild) {
        await m.query(`UPDATE evaluation_watermark SET last_seq = $1, rollup_offset_minutes = $2, refreshed_at = now()`, [toSeq, this.offsetMinutes]);
      }
      return { fromSeq, toSeq };
    });
  }

  /** Rebuilds every daily rollup from the facts as they are (the refresh does this only when the offset changed). */
  async rebuildRollups(): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [FACTS_LOCK]);
      for (const sql of REBUILD_ROLLUPS_SQL) await m.query(sql, sql.includes('$1') ? [this.offsetMinutes] : []);
      await m.query(`UPDATE evaluation_watermark SET rollup_offset_minutes = $1`, [this.offsetMinutes]);
    });
  }
}
