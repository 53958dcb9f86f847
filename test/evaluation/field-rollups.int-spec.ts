import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { CampaignFiguresService, type CampaignGroupBy } from '@wangge/campaigns';
import { ManualClock } from '@wangge/clock';
import type { AppConfig } from '@wangge/config';
import { createDataSource } from '@wangge/database';
import { FieldFormulaService, InspectionEvaluationService, type InspectionGroupBy } from '@wangge/places';
import { OpenCasesQuery, type Actor } from '@wangge/workflow';
import { testConfig } from '../support/apps';
import { createTestDatabase } from '../support/database';
import { craftFieldHistory, type Query } from '../support/field-history';

/**
 * The field work's daily rollups (inspection_daily, milestone_daily) are kept by triggers in the
 * transaction of each write: on a crafted history of due inspections and milestones, changed the
 * way the clocks and reports change them (done, late, missed, cancelled, a place moved to another
 * street, a milestone met), they equal a from-scratch rebuild, and the rollup answer equals the fact
 * answer for every day, week and longer period; scores follow the field formula version in force.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let ds: DataSource;
let config: AppConfig;
let inspections: InspectionEvaluationService;
let figures: CampaignFiguresService;
const clock = new ManualClock(new Date('2026-03-01T00:00:00Z'));
const ids: Record<string, string> = {};
const leader: Actor = { id: null, role: 'leader', name: 'leader', streetCode: null, chiefId: null, cellCodes: new Set() };

/** A local (UTC+8) time as the instant. */
const local = (t: string) => new Date(`${t}+08:00`);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function periods(): [string, string][] {
  const out: [string, string][] = [];
  for (let day = '2026-01-01'; day < '2026-01-20'; day = addDays(day, 1)) out.push([day, addDays(day, 1)]);
  for (let day = '2025-12-29'; day < '2026-01-26'; day = addDays(day, 7)) out.push([day, addDays(day, 7)]);
  out.push(['2026-01-01', '2026-02-01'], ['2025-12-01', '2026-03-01'], ['2026-01-03', '2026-01-06']);
  return out;
}

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return ds.query(sql, params);
}
const query: Query = (sql, params) => q(sql, params);

async function rollupRows(table: 'inspection_daily' | 'milestone_daily'): Promise<unknown[]> {
  return q(`SELECT * FROM ${table} ORDER BY day, group_kind, group_key`);
}

/** The rollups rebuilt from scratch (at another offset and back, as a changed TIME_ZONE would) must equal the kept ones. */
async function expectRollupsEqualRebuild(): Promise<void> {
  const kept = { inspections: await rollupRows('inspection_daily'), milestones: await rollupRows('milestone_daily') };
  expect(kept.inspections.length).toBeGreaterThan(0);
  expect(kept.milestones.length).toBeGreaterThan(0);
  await q(`UPDATE inspection_daily_cut SET offset_minutes = 0`);
  await q(`UPDATE milestone_daily_cut SET offset_minutes = 0`);
  await compareAllPeriods(); // rebuilds at 480 on the first rollup answer
  expect({ inspections: await rollupRows('inspection_daily'), milestones: await rollupRows('milestone_daily') }).toEqual(kept);
}

/** Every period and grouping: the rollup answer equals the fact answer. Returns how many rows were compared. */
async function compareAllPeriods(): Promise<number> {
  let compared = 0;
  for (const [fromDay, toDay] of periods()) {
    const period = { from: local(`${fromDay}T00:00`), to: local(`${toDay}T00:00`) };
    for (const groupBy of ['person', 'street'] as InspectionGroupBy[]) {
      const rolled = await inspections.evaluate(period, groupBy, leader);
      const scanned = await inspections.evaluate(period, groupBy, leader, { source: 'facts' });
      expect(rolled.source).toBe('rollups');
      expect(scanned.source).toBe('facts');
      expect({ ...rolled, source: 'facts' }, `${groupBy} ${fromDay}..${toDay}`).toEqual(scanned);
      compared += rolled.rows.length;
    }
    for (const groupBy of ['owner', 'street', 'campaign'] as CampaignGroupBy[]) {
      const rolled = await figures.evaluate({ ...period, groupBy }, leader);
      const scanned = await figures.evaluate({ ...period, groupBy, source: 'facts' }, leader);
      expect(rolled.source).toBe('rollups');
      expect({ ...rolled, source: 'facts' }, `${groupBy} ${fromDay}..${toDay}`).toEqual(scanned);
      compared += rolled.rows.length;
    }
  }
  return compared;
}

beforeAll(async () => {
  db = await createTestDatabase('field_rollups');
  config = testConfig(db.url);
  ds = createDataSource({ url: db.url, poolSize: 2 });
  await ds.initialize();
  const formulas = new FieldFormulaService(ds);
  inspections = new InspectionEvaluationService(ds, new OpenCasesQuery(ds), clock, config, formulas);
  figures = new CampaignFiguresService(ds, clock, config, formulas);
  Object.assign(ids, (await craftFieldHistory(query, '2026-01-01', 14)).ids);
}, 120_000);

afterAll(async () => {
  if (ds?.isInitialized) await ds.destroy();
  await db?.drop();
});

describe('the field rollups (inspections and milestones)', () => {
  it('keep the slots of a plan every 8 hours and the milestones of a campaign, whatever became of them, equal to the facts', async () => {
    expect(await compareAllPeriods()).toBeGreaterThan(50);
  });

  it('follow what changes afterwards: a missed one done late, a due one missed, a plan cancelled, a place moved to another street', async () => {
    await q(`UPDATE inspection_due SET state = 'late', done_at = due_at + interval '1 hour' WHERE id IN (SELECT id FROM inspection_due WHERE state = 'missed' ORDER BY due_at LIMIT 3)`);
    await q(`UPDATE inspection_due SET state = 'missed', missed_at = due_at, handled_at = due_at WHERE state = 'due' AND due_at < $1`, [local('2026-01-08T00:00')]);
    await q(`UPDATE inspection_due SET state = 'cancelled' WHERE due_at >= $1 AND state = 'due'`, [local('2026-01-12T00:00')]);
    await q(`UPDATE place SET street_code = $2 WHERE id = $1`, [ids.P2, ids.S1]);
    await q(`DELETE FROM inspection_due WHERE id IN (SELECT id FROM inspection_due ORDER BY due_at DESC LIMIT 2)`);
    const compared = await compareAllPeriods();
    expect(compared).toBeGreaterThan(50);
    // P2 moved: one street left in the rollups.
    expect((await q(`SELECT DISTINCT group_key FROM inspection_daily WHERE group_kind = 'street'`)).map((r) => r.group_key)).toEqual([ids.S1]);
  });

  it('follow the milestones as they are met, on time or late, or moved, and equal the facts', async () => {
    await q(`UPDATE campaign_milestone SET done_at = due_at - interval '1 hour' WHERE position % 3 = 2`);
    await q(`UPDATE campaign_milestone SET done_at = NULL WHERE position = 3`);
    await q(`UPDATE campaign_milestone SET due_at = due_at + interval '2 days' WHERE position = 5`);
    expect(await compareAllPeriods()).toBeGreaterThan(50);
    const week = await figures.evaluate({ from: local('2026-01-05T00:00'), to: local('2026-01-12T00:00'), groupBy: 'owner' }, leader);
    expect(week.totals.due).toBe(week.totals.metOnTime + week.totals.metLate + week.totals.open);
    expect(week.rows.map((r) => r.rank)).toEqual([...week.rows.map((r) => r.rank)].sort((a, b) => a - b));
  });

  it('equal a rebuild from scratch, which a changed offset makes', async () => {
    await expectRollupsEqualRebuild();
  });

  it('name the formula version in force at the period end, score by its weights, and keep a stored version frozen', async () => {
    const period = { from: local('2026-01-01T00:00'), to: local('2026-01-08T00:00') };
    const v1 = await inspections.evaluate(period, 'person', leader);
    expect(v1.formula.version).toBe(1);
    const w1 = v1.rows.find((r) => r.key === ids.warden1)!;
    expect(w1.name).toBeTruthy();
    expect(w1.score).toBe(Math.round(w1.onTimeRate! * 100 * 100) / 100); // no failed items: the on-time rate alone
    await q(`INSERT INTO field_formula (version, weights, effective_from, note) VALUES (2, '{"inspectionsOnTime": 50, "failedItemsFixedOnTime": 50, "milestonesOnTime": 100}', $1, 'test')`, [local('2026-01-10T00:00')]);
    expect((await inspections.evaluate(period, 'person', leader)).formula.version).toBe(1);
    expect((await inspections.evaluate({ from: period.from, to: local('2026-01-11T00:00') }, 'person', leader)).formula.version).toBe(2);
    expect((await figures.evaluate({ ...period, groupBy: 'campaign', formulaVersion: 2 }, leader)).formula.version).toBe(2);
    await expect(q(`UPDATE field_formula SET note = 'changed' WHERE version = 1`)).rejects.toThrow(/frozen/);
    await expect(inspections.evaluate(period, 'person', leader, { formulaVersion: 9 })).rejects.toThrow(/no field formula version 9/);
  });
});
