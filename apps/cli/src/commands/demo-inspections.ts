import { CatalogueService } from '@wangge/catalogue';
import { ManualClock, type Clock } from '@wangge/clock';
import type { AppConfig } from '@wangge/config';
import { planDemoInspections } from '@wangge/demo';
import { LocateService } from '@wangge/geo';
import type { JobQueue, RedisNamespace } from '@wangge/jobs';
import { ChecklistService, DutyService, InspectionClockService, InspectionPlanService, PlaceService, PlanPlacesService } from '@wangge/places';
import { BusinessCalendarService, OpenCasesQuery, OutboxRelay } from '@wangge/workflow';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { demoPeople } from './demo-people';

export interface DemoInspectionSummary {
  /** The sites under the 8个100% plan (each with its current slot due now). */
  sites: number;
  shifts: number;
}

/**
 * The demo writes without Redis and runs no relay here: a wake-up only hints the relays when Redis is
 * ready, and the dispatcher's relays poll the outbox for the timers and `inspection.event`s anyway.
 */
const NO_REDIS = { status: 'end' } as Pick<Redis, 'status'> as Redis;
const NO_QUEUE = null as unknown as JobQueue;

/** Places' services as the demo writes through them, without Redis (a place registered joins the plans by kind that cover it). */
export function demoPlaces(ds: DataSource, config: AppConfig, clock: Clock) {
  const catalogue = new CatalogueService(ds, config);
  const calendar = new BusinessCalendarService(ds, catalogue, config);
  const relay = new OutboxRelay(ds, config, NO_REDIS, NO_QUEUE, { enabled: false }, { outboxHints: '' } as RedisNamespace);
  const inspectionClock = new InspectionClockService(ds, clock, calendar, relay);
  const planPlaces = new PlanPlacesService(inspectionClock);
  const places = new PlaceService(ds, new LocateService(ds, config), new OpenCasesQuery(ds), clock, planPlaces);
  return { places, catalogue, calendar, relay, inspectionClock, planPlaces };
}

/**
 * The demo's 8个100% plan at the construction sites and the checkpoints' duty rosters (libs/demo's
 * plan), written through places' own services as the demo leader on a clock set to `end`, after the
 * places exist (seedDemoCampaigns). Timers go to the outbox; the dispatcher runs them from its start:
 * the shift missed before now is marked and escalated then.
 */
export async function seedDemoInspections(ds: DataSource, config: AppConfig, end: Date): Promise<DemoInspectionSummary> {
  const clock = new ManualClock(end);
  const { places, catalogue, calendar, relay, inspectionClock, planPlaces } = demoPlaces(ds, config, clock);
  const plan = planDemoInspections(end, calendar.offsetMinutes);
  const checklists = new ChecklistService(ds, catalogue);
  const plans = new InspectionPlanService(ds, config, clock, places, checklists, inspectionClock, planPlaces, relay);
  const duty = new DutyService(ds, config, clock, places, relay);

  const { person, actorOf } = await demoPeople(ds, [plan.sites.maker, 'admin', ...plan.rosters.flatMap((r) => [r.maker, ...r.shifts.flatMap((s) => s.people)])]);

  const checklist = (await checklists.list()).find((c) => c.name === plan.sites.checklist);
  if (!checklist) throw new Error(`the checklist ${plan.sites.checklist} is missing`);
  const made = await plans.create(
    { checklistId: checklist.id, placeKind: 'site', every: plan.sites.every, from: plan.sites.from.toISOString() },
    actorOf(plan.sites.maker),
    { id: person('admin').id, username: 'admin' },
  );

  const checkpoints = await places.list({ kind: 'checkpoint' }, actorOf(plan.sites.maker));
  let shifts = 0;
  for (const r of plan.rosters) {
    const place = checkpoints.find((p) => p.name === r.checkpoint);
    if (!place) throw new Error(`the checkpoint ${r.checkpoint} is missing`);
    await duty.createRoster(
      { placeId: place.id, shifts: r.shifts.map((s) => ({ from: s.from.toISOString(), to: s.to.toISOString(), userIds: s.people.map((u) => person(u).id) })) },
      actorOf(r.maker),
    );
    shifts += r.shifts.length;
  }
  return { sites: made.places.length, shifts };
}
