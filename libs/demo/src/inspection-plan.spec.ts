import { describe, expect, it } from 'vitest';
import { planDemoCampaign } from './campaign-plan';
import { planDemoInspections } from './inspection-plan';

const HOUR_MS = 3_600_000;
const SHANGHAI = 480;

describe('the demo inspection plan and duty rosters', () => {
  // 2026-12-07 10:00 local.
  const end = new Date('2026-12-07T02:00:00Z');
  const plan = planDemoInspections(end, SHANGHAI);

  it('inspects the sites under 8个100% every 4 hours from local midnight', () => {
    expect(plan.sites).toEqual({ checklist: '工地"8个100%"', every: 'PT4H', from: new Date('2026-12-06T16:00:00Z'), maker: 'leader' });
  });

  it('gives each checkpoint of the campaign plan a roster', () => {
    expect(plan.rosters.map((r) => r.checkpoint)).toEqual(planDemoCampaign(end).checkpoints.map((c) => c.name));
  });

  it('has one shift missed before now, one to check in within the hour, and 12-hour shifts to the end of tomorrow, none overlapping', () => {
    for (const roster of plan.rosters) {
      const [missed, soon, ...rest] = roster.shifts;
      expect(missed.to.getTime()).toBeLessThan(end.getTime() - 15 * 60_000);
      expect(soon.from.getTime()).toBeGreaterThan(end.getTime());
      expect(soon.from.getTime() - end.getTime()).toBeLessThan(HOUR_MS);
      expect(soon.people).toEqual(['warden2']);
      expect(soon.to).toEqual(new Date('2026-12-07T12:00:00Z')); // 20:00 local
      expect(rest.map((s) => s.from.toISOString())).toEqual(['2026-12-07T12:00:00.000Z', '2026-12-08T00:00:00.000Z', '2026-12-08T12:00:00.000Z']);
      expect(rest.at(-1)!.to).toEqual(new Date('2026-12-09T00:00:00Z'));
      for (let i = 1; i < roster.shifts.length; i++) expect(roster.shifts[i].from.getTime()).toBeGreaterThanOrEqual(roster.shifts[i - 1].to.getTime());
      for (const s of roster.shifts) expect(s.to.getTime() - s.from.getTime()).toBeLessThanOrEqual(24 * HOUR_MS);
      expect(rest.map((s) => s.people[0])).toEqual([missed.people[0], 'warden2', missed.people[0]]);
    }
  });

  it('late in the evening, the shift beginning soon runs to 08:00 the next morning', () => {
    const late = planDemoInspections(new Date('2026-12-07T13:30:00Z'), SHANGHAI); // 21:30 local
    const soon = late.rosters[0].shifts[1];
    expect(soon.to).toEqual(new Date('2026-12-08T00:00:00Z'));
    expect(late.rosters[0].shifts.at(-1)!.to).toEqual(new Date('2026-12-09T00:00:00Z'));
  });
});
