import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { CLOCK, DAY_MS, localDay, localMidnightDate, startOfLocalDay, type Clock } from '@wangge/clock';
import { WRONG_DISPATCH_TYPES } from '@wangge/domain';
import { DISPATCH_ACCURACY_SQL, dispatchAccuracyRows, dispatchTotals, type DispatchAccuracyReport, type DispatchCountsRow } from './dispatch-accuracy';
import { EvaluationError } from './evaluation-error';
import { STAGE_TIMELINESS_SQL, stageRows, stageTotals, type StageCountsRow, type StageGroupKind, type StageTimelinessReport } from './stage-timeliness';
import { evaluationSql, GROUP_NAMES_SQL, rollupEvaluationSql } from './evaluation.sql';
import {
  EVALUATION_GROUP_KINDS,
  type EvaluationCounts,
  type EvaluationEngine,
  type EvaluationFormula,
  type EvaluationQuery,
  type EvaluationReport,
  type EvaluationRow,
  type EvaluationScope,
  type EvaluationWeights,
  type SatisfactionCounts,
  type SupervisionCounts,
} from './evaluation.types';
import { setApartSql } from './set-apart.sql';
import { satisfactionSql } from './satisfaction.sql';
import { EvaluationFactsService } from './facts/evaluation-facts.service';
import { addCounts, emptyCounts, hasActivity, metricsOf, rankRows, scoreOf, weightsProblem } from './scoring';
import { formulaInstantOf, formulaVersionSql } from './formula-version';

const FORMULA_KEYS = ['onTimeHandlingRate', 'closingRate', 'reworkRate', 'overdueRate', 'extensionRate'] as const;

/** The longest period one report may cover. */
export const MAX_PERIOD_DAYS = 366;

interface CountsRow {
  group_id: string;
  reported: number;
  registered: number;
  registered_closed: number;
  closed: number;
  dispatched: number;
  due: number;
  resolved_on_time: number;
  closed_on_time: number;
  extended: number;
  overdue_open: number;
  exempted: number;
  handled: number;
  resolutions: number;
  reworks: number;
  handling_hours: number;
}

/** The cases counted apart per group (set-apart.sql.ts): 督办件 and 挂账件. */
interface SetApartRow {
  group_id: string;
  supervised: number;
  handled_on_time: number;
  suspended: number;
}

function supervisionOf(row: Pick<SetApartRow, 'supervised' | 'handled_on_time'> | undefined): SupervisionCounts {
  const supervised = row?.supervised ?? 0;
  const handledOnTime = row?.handled_on_time ?? 0;
  return { supervised, handledOnTime, onTimeRate: supervised === 0 ? null : handledOnTime / supervised };
}

function setApartTotal(rows: readonly SetApartRow[]): Pick<EvaluationRow, 'supervision' | 'suspended'> {
  const sum = (key: 'supervised' | 'handled_on_time' | 'suspended') => rows.reduce((n, r) => n + r[key], 0);
  return { supervision: supervisionOf({ supervised: sum('supervised'), handled_on_time: sum('handled_on_time') }), suspended: sum('suspended') };
}

/** 满意率 per group (satisfaction.sql.ts). */
interface SatisfactionRow {
  group_id: string;
  feedback: number;
  satisfied: number;
}

function satisfactionOf(row: Pick<SatisfactionRow, 'feedback' | 'satisfied'> | undefined): SatisfactionCounts {
  const feedback = row?.feedback ?? 0;
  const satisfied = row?.satisfied ?? 0;
  return { feedback, satisfied, rate: feedback === 0 ? null : satisfied / feedback };
}

function satisfactionTotal(rows: readonly SatisfactionRow[]): SatisfactionCounts {
  return satisfactionOf({ feedback: rows.reduce((n, r) => n + r.feedback, 0), satisfied: rows.reduce((n, r) => n + r.satisfied, 0) });
}

interface FormulaRow {
  version: number;
  weights: EvaluationWeights;
  effective_from: Date;
  note: string | null;
}

/**
 * The evaluation engine (考核): metrics per group and period from the event-derived facts, composite
 * score and rank by a versioned formula. Counting rules: docs/evaluation.md.
 */
@Injectable()
export class EvaluationService implements EvaluationEngine {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(EvaluationFactsService) private readonly facts: EvaluationFactsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async evaluate(query: EvaluationQuery): Promise<EvaluationReport> {
    const { from, to, groupBy } = checkQuery(query);
    const scope = { ...(query.scope?.streetCode ? { streetCode: query.scope.streetCode } : {}), ...(query.scope?.chiefId !== undefined ? { chiefId: query.scope.chiefId } : {}) };
    const formula = await this.formula(query.formulaVersion, formulaInstantOf(to));
    await this.facts.refresh();

    const counted = await this.count(from, to, groupBy, scope);
    const groups = counted.map((r) => ({ id: r.group_id, counts: toCounts(r) })).filter((g) => hasActivity(g.counts));
    const names = await this.names(groupBy, groups.map((g) => g.id));

    const scored = groups.map((g) => {
      const metrics = metricsOf(g.counts, groupBy);
      return { id: g.id, counts: g.counts, metrics, score: scoreOf(metrics, formula.weights) };
    });
    let apart = await this.setApart(from, to, groupBy, scope);
    let satisfaction = await this.satisfaction(from, to, groupBy, scope);
    let rows: EvaluationRow[] = rankRows(scored).map((r) => ({
      group: { kind: groupBy, id: r.id, name: names.get(r.id)?.name ?? r.id, level: names.get(r.id)?.level ?? null },
      counts: r.counts,
      metrics: r.metrics,
      supervision: supervisionOf(apart.get(r.id)),
      suspended: apart.get(r.id)?.suspended ?? 0,
      satisfaction: satisfactionOf(satisfaction.get(r.id)),
      score: r.score,
      rank: r.rank,
    }));
    if (scope.chiefId !== undefined && groupBy === 'chief') {
      rows = rows.filter((r) => r.group.id === String(scope.chiefId));
      apart = new Map([...apart].filter(([id]) => id === String(scope.chiefId)));
      satisfaction = new Map([...satisfaction].filter(([id]) => id === String(scope.chiefId)));
    }

    const total = rows.reduce((sum, r) => addCounts(sum, r.counts), emptyCounts());
    const totalMetrics = metricsOf(total, groupBy === 'chief' || groupBy === 'department' ? groupBy : 'total');
    return {
      formula,
      period: { from, to },
      groupBy,
      scope,
      generatedAt: this.clock.now(),
      rows,
      totals: { counts: total, metrics: totalMetrics, ...setApartTotal([...apart.values()]), satisfaction: satisfactionTotal([...satisfaction.values()]), score: scoreOf(totalMetrics, formula.weights) },
    };
  }

  /** 督办件 and 挂账件 per group (set-apart.sql.ts), in the same scope as the counts. */
  private async setApart(from: Date, to: Date, groupBy: EvaluationQuery['groupBy'], scope: EvaluationScope): Promise<Map<string, SetApartRow>> {
    const params: unknown[] = [from, to];
    const extra: string[] = [];
    if (scope.streetCode) extra.push(`street_code = $${params.push(scope.streetCode)}`);
    if (scope.chiefId !== undefined && groupBy !== 'chief') extra.push(`chief_id = $${params.push(scope.chiefId)}`);
    const rows: SetApartRow[] = await this.db.query(setApartSql(groupBy, extra), params);
    return new Map(rows.map((r) => [r.group_id, r]));
  }

  /** 满意率 per group (satisfaction.sql.ts), in the same scope as the counts. */
  private async satisfaction(from: Date, to: Date, groupBy: EvaluationQuery['groupBy'], scope: EvaluationScope): Promise<Map<string, SatisfactionRow>> {
    const params: unknown[] = [from, to];
    const extra: string[] = [];
    if (scope.streetCode) extra.push(`street_code = $${params.push(scope.streetCode)}`);
    if (scope.chiefId !== undefined && groupBy !== 'chief') extra.push(`chief_id = $${params.push(scope.chiefId)}`);
    const rows: SatisfactionRow[] = await this.db.query(satisfactionSql(groupBy, extra), params);
    return new Map(rows.map((r) => [r.group_id, r]));
  }

  /**
   * The counts per group. A district-wide period from local midnight to local midnight (every HTTP
   * date period and every bulletin) is read from the daily rollups plus the facts reaching its two
   * ends; a street- or chief-scoped one, or one with an end inside a day, from the facts of the period.
   * Both give the same numbers (test/evaluation/rollups.e2e-spec.ts).
   */
  private async count(from: Date, to: Date, groupBy: EvaluationQuery['groupBy'], scope: EvaluationScope): Promise<CountsRow[]> {
    const fromDay = localMidnightDate(from, this.facts.offsetMinutes);
    const toDay = localMidnightDate(to, this.facts.offsetMinutes);
    const districtWide = !scope.streetCode && (scope.chiefId === undefined || groupBy === 'chief');
    if (districtWide && fromDay && toDay) {
      // A few thousand rollup and fact rows: parallel workers would cost more to start than they save.
      return this.db.transaction(async (m) => {
        await m.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
        return m.query(rollupEvaluationSql(groupBy), [from, to, groupBy, fromDay, toDay]);
      });
    }
    const params: unknown[] = [from, to];
    const extra: string[] = [];
    if (scope.streetCode) {
      params.push(scope.streetCode);
      extra.push(`street_code = $${params.length}`);
    }
    // A chief's own rows: by chief, their row ranked among all chiefs; by other groups, their cases only.
    if (scope.chiefId !== undefined && groupBy !== 'chief') {
      params.push(scope.chiefId);
      extra.push(`chief_id = $${params.length}`);
    }
    return this.db.query(evaluationSql(groupBy, extra), params);
  }

  /**
   * 准确派遣率 per dispatcher for a period (dispatch-accuracy.ts): the command centre's side of the
   * loop, read straight from the case events (a dispatch and the return that undoes it). District or
   * street staff; not a chief's report.
   */
  async dispatchAccuracy(query: { from: Date; to: Date; scope?: EvaluationScope }): Promise<DispatchAccuracyReport> {
    const { from, to } = checkQuery({ ...query, groupBy: 'street' });
    const scope = query.scope ?? {};
    if (scope.chiefId !== undefined) {
      throw new EvaluationError('forbidden', 'dispatch accuracy is the command centre’s evaluation / 派遣准确率仅供指挥中心查看');
    }
    const counted: DispatchCountsRow[] = await this.db.query(DISPATCH_ACCURACY_SQL, [from, to, WRONG_DISPATCH_TYPES, scope.streetCode ?? null]);
    const rows = dispatchAccuracyRows(counted);
    return { period: { from, to }, scope: scope.streetCode ? { streetCode: scope.streetCode } : {}, generatedAt: this.clock.now(), rows, totals: dispatchTotals(rows) };
  }

  /** Stage timeliness of the command centre's posts (groupBy=post), or of each person of them (groupBy=person). */
  async stageTimeliness(query: { from: Date; to: Date; groupBy: StageGroupKind; scope?: EvaluationScope }): Promise<StageTimelinessReport> {
    const { from, to } = checkQuery({ ...query, groupBy: 'street' });
    const scope = query.scope ?? {};
    if (scope.chiefId !== undefined) {
      throw new EvaluationError('forbidden', 'stage timeliness is the command centre’s evaluation / 环节按时率仅供指挥中心查看');
    }
    const counted: StageCountsRow[] = await this.db.query(STAGE_TIMELINESS_SQL, [from, to, scope.streetCode ?? null, query.groupBy === 'person']);
    const rows = stageRows(counted, query.groupBy);
    return {
      groupBy: query.groupBy,
      period: { from, to },
      scope: scope.streetCode ? { streetCode: scope.streetCode } : {},
      generatedAt: this.clock.now(),
      rows,
      totals: stageTotals(rows),
    };
  }

  async formula(version?: number, at: Date = this.clock.now()): Promise<EvaluationFormula> {
    const rows: FormulaRow[] =
      version !== undefined
        ? await this.db.query(formulaVersionSql('evaluation_formula', 'version'), [version])
        : await this.db.query(formulaVersionSql('evaluation_formula', 'in_force'), [at]);
    const row = rows[0];
    if (!row) {
      throw version !== undefined
        ? new EvaluationError('not_found', `no evaluation formula version ${version} / 考核公式版本不存在`, 'formulaVersion')
        : new EvaluationError('not_found', `no evaluation formula in force at ${at.toISOString()} / 该时间无有效考核公式`, 'from');
    }
    return toFormula(row);
  }

  /** Every formula version, oldest first. */
  async formulas(): Promise<EvaluationFormula[]> {
    const rows: FormulaRow[] = await this.db.query(`SELECT version, weights, effective_from, note FROM evaluation_formula ORDER BY version`);
    return rows.map(toFormula);
  }

  /**
   * Adds a formula version (the next number) with its audit entry, in one transaction; stored
   * versions are never changed. Weights are percentages summing to 100; it takes effect at
   * `effectiveFrom`, not before today (a report already made for a past period keeps its formula).
   */
  async addFormula(weights: EvaluationWeights, effectiveFrom: Date, note: string | null, actor: AuditActor): Promise<EvaluationFormula> {
    const problem = weightsProblem(weights);
    if (problem) throw new EvaluationError('bad_input', `weights: ${problem} / 权重无效`, 'weights');
    const sum = FORMULA_KEYS.reduce((total, k) => total + weights[k], 0);
    if (Math.abs(sum - 100) > 1e-9) throw new EvaluationError('bad_input', `weights must sum to 100, not ${sum} / 权重之和须为100`, 'weights');
    if (Number.isNaN(effectiveFrom.getTime())) throw new EvaluationError('bad_input', 'effectiveFrom is not a valid date / 生效时间无效', 'effectiveFrom');
    const now = this.clock.now();
    if (effectiveFrom.getTime() < startOfLocalDay(localDay(now, this.facts.offsetMinutes), this.facts.offsetMinutes).getTime()) {
      throw new EvaluationError('bad_input', 'effectiveFrom must be today or later / 生效时间不得早于今天', 'effectiveFrom');
    }
    const clean = Object.fromEntries(FORMULA_KEYS.map((k) => [k, weights[k]])) as unknown as EvaluationWeights;
    return this.db.transaction(async (m) => {
      await m.query(`LOCK TABLE evaluation_formula IN SHARE ROW EXCLUSIVE MODE`);
      const [row]: FormulaRow[] = await m.query(
        `INSERT INTO evaluation_formula (version, weights, effective_from, note)
         SELECT coalesce(max(version), 0) + 1, $1, $2, $3 FROM evaluation_formula
         RETURNING version, weights, effective_from, note`,
        [clean, effectiveFrom, note],
      );
      const formula = toFormula(row);
      await recordAudit(m, { actor, action: 'formula.create', entity: 'formula', entityId: formula.version, after: formula });
      return formula;
    });
  }

  private async names(kind: EvaluationQuery['groupBy'], ids: string[]): Promise<Map<string, { name: string; level: number | null }>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; name: string; level: number | null }[] = await this.db.query(GROUP_NAMES_SQL[kind], [ids]);
    return new Map(rows.map((r) => [r.id, { name: r.name, level: r.level }]));
  }
}

/** Checks a query: real dates, from before to, at most {@link MAX_PERIOD_DAYS}, a known grouping. */
export function checkQuery(query: EvaluationQuery): EvaluationQuery {
  const { from, to, groupBy } = query;
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw new EvaluationError('bad_input', 'from must be a valid date / 开始时间无效', 'from');
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) throw new EvaluationError('bad_input', 'to must be a valid date / 结束时间无效', 'to');
  if (from.getTime() >= to.getTime()) throw new EvaluationError('bad_input', 'from must be before to / 开始时间须早于结束时间', 'from');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw new EvaluationError('bad_input', `the period may span at most ${MAX_PERIOD_DAYS} days / 统计区间最长${MAX_PERIOD_DAYS}天`, 'to');
  }
  if (!(EVALUATION_GROUP_KINDS as readonly string[]).includes(groupBy)) {
    throw new EvaluationError('bad_input', `groupBy must be one of ${EVALUATION_GROUP_KINDS.join(', ')} / 分组方式无效`, 'groupBy');
  }
  return query;
}

function toCounts(r: CountsRow): EvaluationCounts {
  return {
    reported: r.reported,
    registered: r.registered,
    registeredClosed: r.registered_closed,
    closed: r.closed,
    dispatched: r.dispatched,
    due: r.due,
    resolvedOnTime: r.resolved_on_time,
    closedOnTime: r.closed_on_time,
    extended: r.extended,
    overdueOpen: r.overdue_open,
    exempted: r.exempted,
    handled: r.handled,
    resolutions: r.resolutions,
    reworks: r.reworks,
    handlingHours: Number(r.handling_hours),
  };
}

function toFormula(r: FormulaRow): EvaluationFormula {
  return { version: r.version, weights: r.weights, effectiveFrom: new Date(r.effective_from), note: r.note };
}
