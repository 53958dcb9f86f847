import { CampaignProgressService, CampaignReads, CampaignService, OutboxHint } from '@wangge/campaigns';
import { ManualClock } from '@wangge/clock';
import type { AppConfig } from '@wangge/config';
import { planDemoCampaign } from '@wangge/demo';
import type { DataSource } from 'typeorm';
import { demoPlaces } from './demo-inspections';
import { demoPeople } from './demo-people';

const DAY_MS = 86_400_000;

/** The demo writes without Redis: the outbox relays poll for its feed notices and milestone timers. */
const NO_REDIS = { status: 'end' as const, publish: () => Promise.resolve(0) };

export interface DemoCampaignSummary {
  places: number;
  items: number;
  reports: number;
}

/**
 * The demo's places and 市场外迁 campaign (libs/demo's plan), written through their owners' services
 * (places, campaigns) as the people the plan names, on a clock set to each step's time. Milestones
 * past due are left to the dispatcher's timers (its sweep at start marks and escalates them).
 */
export async function seedDemoCampaigns(ds: DataSource, config: AppConfig, end: Date): Promise<DemoCampaignSummary> {
  const plan = planDemoCampaign(end);
  const clock = new ManualClock(plan.campaign.from);
  const { places } = demoPlaces(ds, config, clock);
  const reads = new CampaignReads(ds, places, clock);
  const hint = new OutboxHint(NO_REDIS, { outboxHints: '' });
  const campaigns = new CampaignService(ds, places, reads, hint, clock);
  const progress = new CampaignProgressService(ds, reads, hint, clock);

  const usernames = [plan.campaign.owner, 'admin', ...[...plan.sites, ...plan.checkpoints, ...plan.markets].flatMap((p) => [p.responsible]), ...plan.markets.map((m) => m.owner)];
  const { person, actorOf } = await demoPeople(ds, usernames);
  const admin = person('admin');
  const leader = actorOf(plan.campaign.owner);

  let placeCount = 0;
  for (const p of [...plan.sites, ...plan.checkpoints]) {
    await places.create(
      { kind: p.kind, name: p.name, address: p.address, geometry: { type: 'Point', coordinates: [p.lng, p.lat] }, responsibleId: person(p.responsible).id },
      leader,
      { id: admin.id, username: 'admin' },
    );
    placeCount++;
  }
  const campaign = await campaigns.create(
    {
      name: plan.campaign.name,
      kind: plan.campaign.kind,
      from: plan.campaign.from.toISOString(),
      to: plan.campaign.to.toISOString(),
      ownerId: leader.id!,
      milestones: plan.campaign.milestones.map((m) => ({ code: m.code, name: m.name, dueAt: m.dueAt.toISOString() })),
    },
    leader,
  );
  let reports = 0;
  for (const m of plan.markets) {
    const place = await places.create(
      { kind: m.kind, name: m.name, address: m.address, geometry: { type: 'Point', coordinates: [m.lng, m.lat] }, responsibleId: person(m.responsible).id },
      leader,
      { id: admin.id, username: 'admin' },
    );
    placeCount++;
    const item = await campaigns.addItem(campaign.id, { placeId: place.id, ownerId: person(m.owner).id }, leader);
    for (const r of m.progress) {
      clock.set(new Date(end.getTime() - r.daysAgo * DAY_MS));
      await progress.report(campaign.id, item.id, { milestoneCode: r.milestoneCode, done: r.done, percent: r.percent, note: r.note }, actorOf(m.owner));
      reports++;
    }
    clock.set(plan.campaign.from);
  }
  return { places: placeCount, items: plan.markets.length, reports };
}
