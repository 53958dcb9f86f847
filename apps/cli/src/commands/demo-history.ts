import { BulletinService, minutesOfDay, type BulletinKind } from '@wangge/bulletins';
import { CampaignFiguresService } from '@wangge/campaigns';
import { localDayOfDate, ManualClock } from '@wangge/clock';
import type { AppConfig } from '@wangge/config';
import { readDatabaseIdentity } from '@wangge/database';
import { seedDemo, type SeedSummary } from '@wangge/demo';
import { EvaluationFactsService, EvaluationService, recordAppealHistory } from '@wangge/evaluation';
import { redisNamespace } from '@wangge/jobs';
import { FieldFormulaService } from '@wangge/places';
import { OverdueCasesQuery, RecurrenceHotspotsService } from '@wangge/workflow';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { seedDemoCampaigns, type DemoCampaignSummary } from './demo-campaigns';
import { seedDemoInspections, type DemoInspectionSummary } from './demo-inspections';
import { seedDemoDepartments } from './demo-departments';

export interface DemoHistoryRequest {
  /** Days of history (0: none). */
  days: number;
  seed: number;
  /** The history's end (default: now). */
  end?: Date;
}

export interface DemoSeedResult extends SeedSummary {
  /** The daily summaries and weekly bulletins stored for the history's past days and weeks. */
  bulletins: { daily: number; weekly: number };
  /** The places and the 市场外迁 campaign (issue 17). */
  campaigns: DemoCampaignSummary;
  /** The sites' 8个100% plan and the checkpoints' rosters (issue 17 item 8). */
  inspections: DemoInspectionSummary;
}

/**
 * The demo district with its history: the seed (libs/demo, whose history writes its appeals through
 * evaluation's writer), then the evaluation's facts and rollups and the daily summaries and weekly
 * bulletins of the past days and weeks, through their own services on a clock set to each one's
 * publishing time, as the dispatcher would have published them.
 */
export async function seedDemoDistrict(ds: DataSource, config: AppConfig, request: DemoHistoryRequest, log: (line: string) => void): Promise<DemoSeedResult> {
  const end = request.end ?? new Date();
  const history = request.days > 0 ? { days: request.days, seed: request.seed, config, end, recordAppeals: recordAppealHistory } : { days: 0 as const };
  const seeded = await seedDemoDepartments(ds, config, await seedDemo(ds, { districtCode: config.districtCode, demoPassword: config.demoPassword, history, log }), log);
  const campaigns = await seedDemoCampaigns(ds, config, end);
  log(`campaigns: ${campaigns.places} places (construction sites, checkpoints, markets), 市场外迁 with ${campaigns.items} markets and ${campaigns.reports} progress reports`);
  const inspections = await seedDemoInspections(ds, config, end);
  log(`inspections: 8个100% every 4 hours at ${inspections.sites} construction sites, ${inspections.shifts} duty shifts at the checkpoints`);
  const summary = { ...seeded, campaigns, inspections };
  if (!summary.history?.from) return { ...summary, bulletins: { daily: 0, weekly: 0 } };
  const started = Date.now();
  const bulletins = await publishPastBulletins(ds, config, summary.history.from, end);
  log(`evaluation and bulletins of the history: ${bulletins.daily} daily summaries, ${bulletins.weekly} weekly bulletins (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { ...summary, bulletins };
}

/** Publishing needs no Redis: a bulletin only hints the outbox relays when Redis is ready, and they poll anyway. */
const NO_REDIS = { status: 'end' } as Pick<Redis, 'status'> as Redis;

export async function publishPastBulletins(ds: DataSource, config: AppConfig, fromDate: string, end: Date): Promise<{ daily: number; weekly: number }> {
  const clock = new ManualClock(end);
  const facts = new EvaluationFactsService(ds, config);
  await facts.refresh();
  const engine = new EvaluationService(ds, facts, clock);
  const keys = redisNamespace(await readDatabaseIdentity(ds));
  // With the campaigns' section, as the dispatcher's bulletins have it.
  const service = new BulletinService(ds, engine, new RecurrenceHotspotsService(ds), new OverdueCasesQuery(ds), clock, config, NO_REDIS, keys, [new CampaignFiguresService(ds, clock, config, new FieldFormulaService(ds))]);
  const first = localDayOfDate(fromDate);
  if (first === null) throw new Error(`not a date: ${fromDate}`);
  const publishAt: Record<BulletinKind, number> = { daily: minutesOfDay(config.bulletins.dailyAt), weekly: minutesOfDay(config.bulletins.weeklyAt) };
  const counts = { daily: 0, weekly: 0 };
  const seen = new Set<string>();
  for (let day = first; ; day++) {
    const daily = service.periodOfDay('daily', day);
    if (daily.to.getTime() > end.getTime()) break;
    for (const period of [daily, service.periodOfDay('weekly', day)]) {
      if (seen.has(period.key) || period.to.getTime() > end.getTime()) continue;
      seen.add(period.key);
      // As the schedule would have published it: at its publishing time after the period, or now if that is still to come.
      clock.set(new Date(Math.min(period.to.getTime() + publishAt[period.kind] * 60_000, end.getTime())));
      const { outcome } = await service.generate(period, { trigger: 'schedule' });
      if (outcome === 'created') counts[period.kind] += 1;
    }
  }
  return counts;
}
