import { describe, expect, it } from 'vitest';
import { planDemoCampaign } from './campaign-plan';

describe('the demo campaign plan', () => {
  const end = new Date('2026-12-07T02:00:00Z');
  const plan = planDemoCampaign(end);

  it('has five sites, two checkpoints and five markets, every place at its own spot', () => {
    expect(plan.sites).toHaveLength(5);
    expect(plan.checkpoints.map((c) => c.name)).toEqual(['通站路与南三环卡点', '通站路与文治路卡点']);
    expect(plan.markets).toHaveLength(5);
    const spots = [...plan.sites, ...plan.checkpoints, ...plan.markets].map((p) => `${p.lng},${p.lat}`);
    expect(new Set(spots).size).toBe(spots.length);
  });

  it('leaves exactly one milestone overdue at the end: one market not surveyed in time; some met', () => {
    const survey = plan.campaign.milestones.find((m) => m.code === 'survey')!;
    expect(survey.dueAt.getTime()).toBeLessThan(end.getTime());
    expect(plan.campaign.milestones.filter((m) => m.dueAt.getTime() < end.getTime())).toHaveLength(1);
    const surveyed = plan.markets.filter((m) => m.progress.some((p) => p.milestoneCode === 'survey' && p.done && end.getTime() - p.daysAgo * 86_400_000 <= survey.dueAt.getTime()));
    expect(surveyed).toHaveLength(4);
    expect(plan.markets.flatMap((m) => m.progress).filter((p) => p.milestoneCode === 'close' && p.done)).toHaveLength(2);
    expect(plan.campaign.to.getTime()).toBeGreaterThan(plan.campaign.milestones[2].dueAt.getTime());
  });
});
