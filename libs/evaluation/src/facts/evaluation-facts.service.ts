import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { utcOffsetMinutes } from '@wangge/workflow';
import { REFRESH_FACTS_SQL } from './evaluation-facts.sql';

/** Serialises fact refreshes (transaction-scoped advisory lock). */
export const FACTS_LOCK = 0x5767_0e01;

/**
 * Keeps `evaluation_case_fact` up to date with `case_event`: every refresh rebuilds the facts of the
 * cases that have events after the watermark, then moves the watermark. Case events commit in seq
 * order (EVENT_ORDER_LOCK), so every event up to the highest visible seq is already committed.
 */
@Injectable()
export class EvaluationFactsService {
  private readonly offsetMinutes: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
  }

  /** Brings the facts up to the newest event. Returns how many events were new. */
  async refresh(): Promise<{ fromSeq: number; toSeq: number }> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [FACTS_LOCK]);
      const [mark]: { last_seq: string }[] = await m.query(`SELECT last_seq FROM evaluation_watermark`);
      const [top]: { seq: string | null }[] = await m.query(`SELECT max(seq) AS seq FROM case_event`);
      const fromSeq = Number(mark.last_seq);
      const toSeq = Number(top.seq ?? 0);
      if (toSeq <= fromSeq) return { fromSeq, toSeq: fromSeq };
      await m.query(REFRESH_FACTS_SQL, [fromSeq, toSeq, this.offsetMinutes]);
      await m.query(`UPDATE evaluation_watermark SET last_seq = $1, refreshed_at = now()`, [toSeq]);
      return { fromSeq, toSeq };
    });
  }
}
