import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { campaignItemScopeSql, type CasePrincipal } from '@wangge/auth';
import type { BulletinContributor, ContributedSection } from '@wangge/bulletins';
import { CLOCK, localDay, localMidnightDate, utcOffsetMinutes, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { formulaInstantOf, keepRollupsCutAt, rankRows, weightedScore } from '@wangge/evaluation';
import { FieldFormulaService, type FieldFormula } from '@wangge/places';
import type { CampaignEvaluation, CampaignGroupBy, MilestoneTimeliness } from './campaign.types';
import { EVALUATION_GROUP_NAMES, evaluationSql, ITEM_COLUMNS, PERIOD_FIGURES_SQL, REBUILD_ROLLUPS_SQL, ROLLUP_CUT_SQL, ROLLUP_EVALUATION_SQL } from './campaigns.sql';

interface FigureRow {
  campaigns_active: number;
  items: number;
  milestones_met: number;
  milestones_overdue: number;
}

type CountsRow = { id: string; due: number; met_on_time: number; met_late: number; open: number };

/**
 * Campaign figures: milestones met on time per owner, street or campaign (the evaluation, on the
 * engine's design: versioned field formula, daily rollups `milestone_daily`), and the section
 * campaigns add to the daily summary and the weekly bulletin (the whole district), whose milestone
 * figures are the evaluation's.
 */
@Injectable()
export class CampaignFiguresService implements BulletinContributor {
  private readonly offsetMinutes: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(FieldFormulaService) private readonly formulas: FieldFormulaService,
  ) {
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
  }

  /**
   * Campaigns active in the period, their items, milestones due in it and met on time (the
   * evaluation's totals), met in it, and overdue at its end (due before the end and not done by then).
   */
  async bulletinSection(period: { from: Date; to: Date }): Promise<ContributedSection> {
    const [r]: FigureRow[] = await this.db.query(PERIOD_FIGURES_SQL, [period.from, period.to]);
    const { totals } = await this.evaluateWhere({ ...period, groupBy: 'campaign' }, 'true', []);
    return {
      id: 'campaigns',
      title: { zh: '专项行动', en: 'Campaigns' },
      figures: [
        { key: 'campaignsActive', label: { zh: '进行中的专项行动', en: 'Campaigns active' }, value: r.campaigns_active },
        { key: 'items', label: { zh: '台账条目', en: 'Items' }, value: r.items },
        { key: 'milestonesDue', label: { zh: '到期节点', en: 'Milestones due' }, value: totals.due },
        { key: 'milestonesMetOnTime', label: { zh: '按期完成节点', en: 'Milestones met on time' }, value: totals.metOnTime },
        { key: 'milestonesMet', label: { zh: '本期完成节点', en: 'Milestones met in the period' }, value: r.milestones_met },
        { key: 'milestonesOverdue', label: { zh: '超期未完成节点', en: 'Milestones overdue' }, value: r.milestones_overdue },
      ],
    };
  }

  /** Milestones due in [from, to) (and by now) the caller sees, met on time or late or still open, per group, scored and ranked. */
  async evaluate(q: { from: Date; to: Date; groupBy: CampaignGroupBy; formulaVersion?: number; source?: 'facts' }, p: CasePrincipal): Promise<CampaignEvaluation> {
    const params: unknown[] = [];
    const scope = campaignItemScopeSql(p, ITEM_COLUMNS, (v) => (params.push(v), `$${params.length + 3}`));
    return this.evaluateWhere(q, scope, params);
  }

  /** `scope`: a condition on items `ci` and campaigns `c` whose parameters (`scopeParams`) follow $1..$3. */
  private async evaluateWhere(
    q: { from: Date; to: Date; groupBy: CampaignGroupBy; formulaVersion?: number; source?: 'facts' },
    scope: string,
    scopeParams: unknown[],
  ): Promise<CampaignEvaluation> {
    const formula = await this.formulas.formula(q.formulaVersion, formulaInstantOf(q.to));
    const now = this.clock.now();
    const wholeDays = localMidnightDate(q.from, this.offsetMinutes) !== null && localMidnightDate(q.to, this.offsetMinutes) !== null;
    const fromRollups = q.source !== 'facts' && scope === 'true' && wholeDays && q.to.getTime() <= now.getTime();
    let rows: CountsRow[];
    if (fromRollups) {
      await keepRollupsCutAt(this.db, { cutSql: ROLLUP_CUT_SQL, rebuildSql: REBUILD_ROLLUPS_SQL }, this.offsetMinutes);
      rows = await this.db.query(ROLLUP_EVALUATION_SQL, [q.groupBy, localDay(q.from, this.offsetMinutes), localDay(q.to, this.offsetMinutes)]);
    } else {
      const params = [q.from, q.to, now, ...scopeParams, q.groupBy];
      rows = await this.db.query(evaluationSql(`$${params.length}`, scope), params);
    }
    const names = new Map<string, string>(((await this.db.query(EVALUATION_GROUP_NAMES[q.groupBy], [rows.map((r) => r.id)])) as { id: string; name: string }[]).map((r) => [r.id, r.name]));
    const sum = (k: 'due' | 'met_on_time' | 'met_late' | 'open') => rows.reduce((n, r) => n + r[k], 0);
    const ranked = rankRows(rows.map((r) => ({ id: r.id, ...timeliness(r, formula) })));
    return {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      groupBy: q.groupBy,
      formula,
      source: fromRollups ? 'rollups' : 'facts',
      rows: ranked.map(({ id, rank, ...t }) => ({ group: { id, name: names.get(id) ?? id }, rank, ...t })),
      totals: timeliness({ due: sum('due'), met_on_time: sum('met_on_time'), met_late: sum('met_late'), open: sum('open') }, formula),
    };
  }
}

function timeliness(r: Omit<CountsRow, 'id'>, formula: FieldFormula): MilestoneTimeliness {
  const onTimeRate = r.due > 0 ? r.met_on_time / r.due : null;
  return { due: r.due, metOnTime: r.met_on_time, metLate: r.met_late, open: r.open, onTimeRate, score: weightedScore([[onTimeRate, formula.weights.milestonesOnTime]]) };
}
