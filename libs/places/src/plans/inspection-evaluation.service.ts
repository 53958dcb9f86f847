import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { placeScopeSql } from '@wangge/auth';
import { CLOCK, localDay, localMidnightDate, utcOffsetMinutes, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { formulaInstantOf, keepRollupsCutAt, rankRows, weightedScore } from '@wangge/evaluation';
import { OpenCasesQuery, type Actor } from '@wangge/workflow';
import { evaluationDueSql, evaluationFailedSql, groupNamesSql, REBUILD_ROLLUPS_SQL, ROLLUP_CUT_SQL, ROLLUP_DUE_SQL, type InspectionGroupBy } from '../places.sql';
import { FieldFormulaService, type FieldFormula } from './field-formula.service';

export type { InspectionGroupBy };

/** One group's counts for a period. Rates are null when there is nothing to rate. */
export interface InspectionCounts {
  /** Inspections whose deadline fell in the period (and has passed), cancelled ones apart. */
  due: number;
  onTime: number;
  late: number;
  /** Marked missed at their deadline (a late one stays counted as missed). */
  missed: number;
  onTimeRate: number | null;
  /** Cases opened by failed items of inspections made in the period, and those closed within their limit. */
  failedItems: number;
  fixedOnTime: number;
  fixedOnTimeRate: number | null;
  /** The formula's weighted score of onTimeRate and fixedOnTimeRate, 0..100 (null: nothing to rate). */
  score: number | null;
}

export interface InspectionEvaluationRow extends InspectionCounts {
  key: string;
  name: string;
  /** Competition rank on the score ("1224"); rows without a score last. */
  rank: number;
}

export interface InspectionEvaluation {
  from: string;
  to: string;
  groupBy: InspectionGroupBy;
  formula: FieldFormula;
  /** Where the due counts came from: the daily rollups (a district-wide period of whole past days) or the facts. */
  source: 'rollups' | 'facts';
  rows: InspectionEvaluationRow[];
  totals: InspectionCounts;
}

type DueCounts = { key: string; due: number; on_time: number; late: number; missed: number };

/**
 * Evaluation of inspections (domain.md 8, issue 17 item 7) on the engine's design: inspections done
 * on time, late, missed, and failed items fixed on time, per person (the assignees of what was due;
 * the inspector for failed items) or street, for a period, over the places the caller sees; scored and
 * ranked by the versioned `field_formula`. Due counts of a district-wide period of whole local days
 * that have ended come from the daily rollups (`inspection_daily`), others from the facts; both sum
 * one definition (`inspection_due_contribution`). Failed items are settled from their cases.
 */
@Injectable()
export class InspectionEvaluationService {
  private readonly offsetMinutes: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(OpenCasesQuery) private readonly cases: OpenCasesQuery,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(FieldFormulaService) private readonly formulas: FieldFormulaService,
  ) {
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
  }

  /** `source: 'facts'` forces the facts (the rollups' test compares both). */
  async evaluate(
    period: { from: Date; to: Date },
    groupBy: InspectionGroupBy,
    actor: Actor,
    options: { formulaVersion?: number; source?: 'facts' } = {},
  ): Promise<InspectionEvaluation> {
    const formula = await this.formulas.formula(options.formulaVersion, formulaInstantOf(period.to));
    const now = this.clock.now();
    const params: unknown[] = [period.from, period.to, now];
    const scope = placeScopeSql(actor, 'pl', (v) => (params.push(v), `$${params.length}`));
    const wholeDays = localMidnightDate(period.from, this.offsetMinutes) !== null && localMidnightDate(period.to, this.offsetMinutes) !== null;
    // The access model's SQL form is `true` for whoever sees every place: the district's rollups are theirs.
    const fromRollups = options.source !== 'facts' && scope === 'true' && wholeDays && period.to.getTime() <= now.getTime();
    let dueRows: DueCounts[];
    if (fromRollups) {
      await keepRollupsCutAt(this.db, { cutSql: ROLLUP_CUT_SQL, rebuildSql: REBUILD_ROLLUPS_SQL }, this.offsetMinutes);
      dueRows = await this.db.query(ROLLUP_DUE_SQL, [groupBy, localDay(period.from, this.offsetMinutes), localDay(period.to, this.offsetMinutes)]);
    } else {
      dueRows = await this.db.query(evaluationDueSql(scope, `$${params.length + 1}`), [...params, groupBy]);
    }
    const failed: { key: string; case_id: string }[] = await this.db.query(evaluationFailedSql(groupBy, scope), params);
    const fixed = await this.cases.closedOnTimeAmong(failed.map((f) => f.case_id));
    const groups = new Map<string, Omit<InspectionCounts, 'onTimeRate' | 'fixedOnTimeRate' | 'score'>>();
    const group = (key: string) => {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { due: 0, onTime: 0, late: 0, missed: 0, failedItems: 0, fixedOnTime: 0 }));
      return g;
    };
    for (const r of dueRows) Object.assign(group(r.key), { due: r.due, onTime: r.on_time, late: r.late, missed: r.missed });
    for (const f of failed) {
      const g = group(f.key);
      g.failedItems++;
      if (fixed.has(f.case_id)) g.fixedOnTime++;
    }
    const names = new Map<string, string>(((await this.db.query(groupNamesSql(groupBy), [[...groups.keys()]])) as { key: string; name: string }[]).map((r) => [r.key, r.name]));
    const rows = rankRows([...groups.entries()].map(([key, counts]) => ({ id: key, key, name: names.get(key) ?? key, ...rated(counts, formula) }))).map(({ id: _id, ...row }) => row);
    const sum = (k: 'due' | 'onTime' | 'late' | 'missed' | 'failedItems' | 'fixedOnTime') => rows.reduce((n, r) => n + r[k], 0);
    const totals = rated({ due: sum('due'), onTime: sum('onTime'), late: sum('late'), missed: sum('missed'), failedItems: sum('failedItems'), fixedOnTime: sum('fixedOnTime') }, formula);
    return { from: period.from.toISOString(), to: period.to.toISOString(), groupBy, formula, source: fromRollups ? 'rollups' : 'facts', rows, totals };
  }
}

function rated(c: Omit<InspectionCounts, 'onTimeRate' | 'fixedOnTimeRate' | 'score'>, formula: FieldFormula): InspectionCounts {
  const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10000) / 10000);
  const onTimeRate = rate(c.onTime, c.due);
  const fixedOnTimeRate = rate(c.fixedOnTime, c.failedItems);
  const score = weightedScore([
    [onTimeRate, formula.weights.inspectionsOnTime],
    [fixedOnTimeRate, formula.weights.failedItemsFixedOnTime],
  ]);
  return { ...c, onTimeRate, fixedOnTimeRate, score };
}
