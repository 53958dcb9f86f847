import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { campaignItemScopeSql, type CasePrincipal } from '@wangge/auth';
import type { BulletinContributor, ContributedSection } from '@wangge/bulletins';
import { CLOCK, type Clock } from '@wangge/clock';
import type { CampaignEvaluation, CampaignGroupBy, MilestoneTimeliness } from './campaign.types';
import { evaluationSql, ITEM_COLUMNS, PERIOD_FIGURES_SQL } from './campaigns.sql';

interface FigureRow {
  campaigns_active: number;
  items: number;
  milestones_due: number;
  milestones_met: number;
  milestones_met_on_time: number;
  milestones_overdue: number;
}

/**
 * Campaign figures: the section campaigns add to the daily summary and the weekly bulletin (the
 * whole district), and milestones met on time per owner, street or campaign (the evaluation).
 */
@Injectable()
export class CampaignFiguresService implements BulletinContributor {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Campaigns active in the period, their items, milestones due in it, met in it (and of those, on
   * time), and overdue at its end (due before the end and not done by then).
   */
  async bulletinSection(period: { from: Date; to: Date }): Promise<ContributedSection> {
    const [r]: FigureRow[] = await this.db.query(PERIOD_FIGURES_SQL, [period.from, period.to]);
    return {
      id: 'campaigns',
      title: { zh: '专项行动', en: 'Campaigns' },
      figures: [
        { key: 'campaignsActive', label: { zh: '进行中的专项行动', en: 'Campaigns active' }, value: r.campaigns_active },
        { key: 'items', label: { zh: '台账条目', en: 'Items' }, value: r.items },
        { key: 'milestonesDue', label: { zh: '到期节点', en: 'Milestones due' }, value: r.milestones_due },
        { key: 'milestonesMet', label: { zh: '完成节点', en: 'Milestones met' }, value: r.milestones_met },
        { key: 'milestonesMetOnTime', label: { zh: '按期完成节点', en: 'Milestones met on time' }, value: r.milestones_met_on_time },
        { key: 'milestonesOverdue', label: { zh: '超期未完成节点', en: 'Milestones overdue' }, value: r.milestones_overdue },
      ],
    };
  }

  /** Milestones due in [from, to) (and by now) the caller sees, met on time or late or still open, per group. */
  async evaluate(q: { from: Date; to: Date; groupBy: CampaignGroupBy }, p: CasePrincipal): Promise<CampaignEvaluation> {
    const params: unknown[] = [q.from, q.to, this.clock.now()];
    const param = (v: unknown) => (params.push(v), `$${params.length}`);
    const rows: { id: string; name: string; due: number; met_on_time: number; met_late: number; open: number }[] = await this.db.query(
      evaluationSql(q.groupBy, campaignItemScopeSql(p, ITEM_COLUMNS, param)),
      params,
    );
    const timeliness = (due: number, metOnTime: number, metLate: number, open: number): MilestoneTimeliness => ({
      due,
      metOnTime,
      metLate,
      open,
      onTimeRate: due > 0 ? metOnTime / due : null,
    });
    const sum = (k: 'due' | 'met_on_time' | 'met_late' | 'open') => rows.reduce((n, r) => n + r[k], 0);
    return {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      groupBy: q.groupBy,
      rows: rows.map((r) => ({ group: { id: r.id, name: r.name }, ...timeliness(r.due, r.met_on_time, r.met_late, r.open) })),
      totals: timeliness(sum('due'), sum('met_on_time'), sum('met_late'), sum('open')),
    };
  }
}
