import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { placeScopeSql } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { OpenCasesQuery, type Actor } from '@wangge/workflow';
import { evaluationDueSql, evaluationFailedSql, type InspectionGroupBy } from '../places.sql';

export type { InspectionGroupBy };

/** One group's figures for a period. Rates are null when there is nothing to rate. */
export interface InspectionEvaluationRow {
  key: string;
  name: string;
  /** Inspections whose deadline fell in the period (and has passed), cancelled ones apart. */
  due: number;
  onTime: number;
  late: number;
  missed: number;
  onTimeRate: number | null;
  /** Cases opened by failed items of inspections made in the period, and those closed within their limit. */
  failedItems: number;
  fixedOnTime: number;
  fixedOnTimeRate: number | null;
}

export interface InspectionEvaluation {
  from: string;
  to: string;
  groupBy: InspectionGroupBy;
  rows: InspectionEvaluationRow[];
  totals: Omit<InspectionEvaluationRow, 'key' | 'name'>;
}

/**
 * Evaluation of inspections (domain.md 8, issue 17 item 7): inspections done on time, late, missed,
 * and failed items fixed on time, per person (the assignees of what was due; the inspector for
 * failed items) or street, for a period, over the places the caller sees.
 */
@Injectable()
export class InspectionEvaluationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(OpenCasesQuery) private readonly cases: OpenCasesQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async evaluate(period: { from: Date; to: Date }, groupBy: InspectionGroupBy, actor: Actor): Promise<InspectionEvaluation> {
    const params: unknown[] = [period.from, period.to, this.clock.now()];
    const scope = placeScopeSql(actor, 'pl', (v) => (params.push(v), `$${params.length}`));
    const dueRows: { key: string; name: string | null; due: string; on_time: string; late: string; missed: string }[] = await this.db.query(evaluationDueSql(groupBy, scope), params);
    const failed: { key: string; name: string | null; case_id: string }[] = await this.db.query(evaluationFailedSql(groupBy, scope), params);
    const fixed = await this.cases.closedOnTimeAmong(failed.map((f) => f.case_id));
    const groups = new Map<string, InspectionEvaluationRow>();
    const group = (key: string, name: string | null) => {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { key, name: name ?? key, due: 0, onTime: 0, late: 0, missed: 0, onTimeRate: null, failedItems: 0, fixedOnTime: 0, fixedOnTimeRate: null }));
      return g;
    };
    for (const r of dueRows) Object.assign(group(r.key, r.name), { due: Number(r.due), onTime: Number(r.on_time), late: Number(r.late), missed: Number(r.missed) });
    for (const f of failed) {
      const g = group(f.key, f.name);
      g.failedItems++;
      if (fixed.has(f.case_id)) g.fixedOnTime++;
    }
    const rows = [...groups.values()].map(rated).sort((a, b) => (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) || a.name.localeCompare(b.name, 'zh-CN'));
    const sum = (k: 'due' | 'onTime' | 'late' | 'missed' | 'failedItems' | 'fixedOnTime') => rows.reduce((n, r) => n + r[k], 0);
    const totals = rated({ key: '', name: '', due: sum('due'), onTime: sum('onTime'), late: sum('late'), missed: sum('missed'), onTimeRate: null, failedItems: sum('failedItems'), fixedOnTime: sum('fixedOnTime'), fixedOnTimeRate: null });
    const { key: _k, name: _n, ...total } = totals;
    return { from: period.from.toISOString(), to: period.to.toISOString(), groupBy, rows, totals: total };
  }
}

function rated(r: InspectionEvaluationRow): InspectionEvaluationRow {
  const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10000) / 10000);
  return { ...r, onTimeRate: rate(r.onTime, r.due), fixedOnTimeRate: rate(r.fixedOnTime, r.failedItems) };
}
