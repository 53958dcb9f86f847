import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, DAY_MS, type Clock } from '@wangge/clock';
import { checkQuery } from '../evaluation.service';
import type { EvaluationScope } from '../evaluation.types';
import { EvaluationFactsService } from '../facts/evaluation-facts.service';
import { trendsSql } from './trends.sql';

export interface TrendsQuery {
  /** Period start, inclusive (a local midnight for whole days). */
  from: Date;
  /** Period end, exclusive. */
  to: Date;
  /** The caller's jurisdiction (the access model's evaluation scope). */
  scope?: EvaluationScope;
  /** Only this street's cases. */
  streetCode?: string;
  /** Only this category's cases. */
  categoryCode?: string;
}

/** One local day of a trend. */
export interface TrendDay {
  /** YYYY-MM-DD in the district's time zone. */
  day: string;
  reported: number;
  registered: number;
  closed: number;
  /** Deadlines in force that passed that day (before now) with the case not finally resolved by them (exempted excluded). */
  overdue: number;
  /** Cases finally resolved that day. */
  handled: number;
  /** Mean handling time (last dispatch → final resolution, hours on each case's clock) of those; null when none. */
  meanHandlingHours: number | null;
}

export interface TrendsReport {
  period: { from: Date; to: Date };
  scope: EvaluationScope;
  filter: { streetCode: string | null; categoryCode: string | null };
  days: TrendDay[];
  totals: Omit<TrendDay, 'day'>;
}

type Kind = 'reported' | 'registered' | 'closed' | 'overdue' | 'handled';

/** Reported, registered, closed and overdue per day, and the mean handling time, from the evaluation facts. */
@Injectable()
export class EvaluationTrendsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(EvaluationFactsService) private readonly facts: EvaluationFactsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async trends(query: TrendsQuery): Promise<TrendsReport> {
    const { from, to } = checkQuery({ from: query.from, to: query.to, groupBy: 'street' });
    const scope = query.scope ?? {};
    await this.facts.refresh();
    const offset = this.facts.offsetMinutes;
    const params: unknown[] = [from, to, offset, this.clock.now()];
    const p = (value: unknown) => `$${params.push(value)}`;
    const extra: string[] = [];
    if (scope.streetCode) extra.push(`street_code = ${p(scope.streetCode)}`);
    if (scope.chiefId !== undefined) extra.push(`chief_id = ${p(scope.chiefId)}`);
    if (query.streetCode) extra.push(`street_code = ${p(query.streetCode)}`);
    if (query.categoryCode) extra.push(`category_code = ${p(query.categoryCode)}`);
    const rows: { day: string; kind: Kind; n: number; hours: number }[] = await this.db.query(trendsSql(extra), params);

    const byDay = new Map(localDays(from, to, offset).map((day) => [day, { day, reported: 0, registered: 0, closed: 0, overdue: 0, handled: 0, hours: 0 }]));
    for (const r of rows) {
      const d = byDay.get(r.day);
      if (!d) continue;
      d[r.kind] = r.n;
      if (r.kind === 'handled') d.hours = r.hours;
    }
    const days = [...byDay.values()].map(({ hours, ...d }) => ({ ...d, meanHandlingHours: mean(hours, d.handled) }));
    const sum = (k: Kind) => days.reduce((s, d) => s + d[k], 0);
    const hours = [...byDay.values()].reduce((s, d) => s + d.hours, 0);
    return {
      period: { from, to },
      scope,
      filter: { streetCode: query.streetCode ?? null, categoryCode: query.categoryCode ?? null },
      days,
      totals: {
        reported: sum('reported'),
        registered: sum('registered'),
        closed: sum('closed'),
        overdue: sum('overdue'),
        handled: sum('handled'),
        meanHandlingHours: mean(hours, sum('handled')),
      },
    };
  }
}

function mean(hours: number, n: number): number | null {
  return n > 0 ? Math.round((hours / n) * 100) / 100 : null;
}

/** The local days (YYYY-MM-DD) that [from, to) touches, at a fixed UTC offset. */
export function localDays(from: Date, to: Date, offsetMinutes: number): string[] {
  const shift = offsetMinutes * 60_000;
  const days: string[] = [];
  const first = Math.floor((from.getTime() + shift) / DAY_MS) * DAY_MS;
  for (let t = first; t < to.getTime() + shift; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
