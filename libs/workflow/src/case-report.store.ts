import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { CategoryKind } from '@wangge/domain';
import { JobName } from '@wangge/jobs';
import { SYSTEM_ACTOR } from './actor';
import { EVENT_ORDER_LOCK } from './case-events.store';
import { insertReportsSql, reportChecksSql, type ReportKeySql } from './report-store.sql';

export type { ReportKeySql } from './report-store.sql';

/** What the batch's checks statement says about one report (`n`: its 1-based place in the batch). */
export interface CheckRow {
  n: number;
  code: string | null;
  kind: CategoryKind;
  name: string;
  name_en: string;
  auto_register: boolean;
  active: boolean;
  standard_id: number | null;
  duplicate: string | null;
  request_hash: string | null;
  status_code: number | null;
  response: unknown;
  /** The code and first seqs of the case the stored answer names (the answer was stored before they were drawn). */
  stored_code: string | null;
  stored_seqs: string[] | null;
}

/** One report of a batch to be checked: its category and condition, its WGS-84 point, its Idempotency-Key. */
export interface ReportToLookUp {
  categoryCode: string;
  conditionNo: number;
  /** null: a report located by address only (no duplicate search). */
  lng: number | null;
  lat: number | null;
  key: { scope: string; key: string } | null;
}

/** A case the insert wrote: its id, drawn code and the seqs of its first event(s). */
export interface WrittenReport {
  id: string;
  code: string;
  seqs: string[];
}

/** The two report statements of a batch, with the Idempotency-Keys' SQL of their owner put in. */
export interface ReportStatements {
  /** The batch's catalogue, condition, duplicate and Idempotency-Key lookups, one row per report. */
  check(reports: readonly ReportToLookUp[], day: string, duplicate: { radiusM: number; windowH: number }): Promise<CheckRow[]>;
  /**
   * Writes the accepted reports (`rows`: the drafts' JSON, in batch order) in one statement, in
   * `m`'s transaction or, without one, as its own (see insertReportsSql).
   */
  insert(m: EntityManager | null, rows: readonly Record<string, unknown>[], now: Date, day: string): Promise<WrittenReport[]>;
}

/**
 * The case tables' side of report intake (libs/reports takes the reports in: batching,
 * Idempotency-Keys, photos): the two statements a batch of reports runs, which read and write
 * `case_file`, `case_event`, `case_media`, `case_day_counter` and the outbox.
 */
@Injectable()
export class CaseReportStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The statements, built once, with the key owner's SQL in them. */
  statements(keys: ReportKeySql): ReportStatements {
    const checksSql = reportChecksSql(keys);
    const insertSql = insertReportsSql(keys);
    return {
      check: (reports, day, { radiusM, windowH }) =>
        this.db.query(checksSql, [
          reports.map((r) => r.categoryCode),
          reports.map((r) => r.conditionNo),
          reports.map((r) => r.lng),
          reports.map((r) => r.lat),
          reports.map((r) => r.key?.scope ?? null),
          reports.map((r) => r.key?.key ?? null),
          day,
          radiusM === 0 || windowH === 0 ? 0 : radiusM,
          windowH,
        ]),
      insert: (m, rows, now, day) =>
        (m ?? this.db.manager).query(insertSql, [
          EVENT_ORDER_LOCK,
          day,
          JSON.stringify(rows),
          this.config.districtCode,
          now,
          SYSTEM_ACTOR.name,
          JobName.RouteCase,
          this.config.stageLimitsMin.register,
          this.config.stageLimitsMin.dispatch,
          JobName.CheckStage,
        ]),
    };
  }
}
