import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVALUATION_GROUP_KINDS, EvaluationFactsService, EvaluationService, type EvaluationCounts, type EvaluationGroupKind } from '@wangge/evaluation';
import { evaluationSql, rollupEvaluationSql } from '../../libs/evaluation/src/evaluation.sql';
import { contributionsSql, ROLLUP_COLUMNS } from '../../libs/evaluation/src/facts/evaluation-rollup.sql';
import { startIntake, type RunningApp } from '../support/apps';
import { chiefIdOf, withDb } from '../support/cases';
import { craftCase, local, type CraftedEvent } from './crafted-cases';

/**
 * The daily rollups (evaluation_daily) are kept by the fact refresh: after every mix of new cases and
 * late events they must equal a from-scratch rebuild, and the rollup query (rollups + the facts
 * reaching the period's ends) must give exactly the counts of the fact scan for every period.
 */
let app: RunningApp;
let facts: EvaluationFactsService;
let engine: EvaluationService;
let A: number;
let B: number;
let C: number;
let S1: { street: string; cell: string };
let S2: { street: string; cell: string };
let urgent: { id: number; category: string };
let work: { id: number; category: string };
const ids: Record<string, string> = {};

const d = (type: string, at: string, extra: Partial<CraftedEvent> = {}): CraftedEvent => ({ type, at, ...extra });
const opened = (at: string): CraftedEvent[] => [d('case.reported', at), d('case.registered', at)];
const OFFSET = 480;

/** Appends one event to a crafted case, as the workflow would (state carries the deadline in force). */
async function addEvent(db: Client, caseId: string, type: string, at: string, extra: { chief?: number; deadline?: string; approved?: boolean } = {}) {
  const { rows } = await db.query(`SELECT state FROM case_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [caseId]);
  const state = { ...(rows[0]?.state ?? {}) };
  if (extra.chief !== undefined) state.assignee = { id: extra.chief, name: '', level: 3 };
  if (extra.deadline) state.deadlineAt = local(extra.deadline).toISOString();
  const evidence: Record<string, unknown> = {};
  if (type === 'case.dispatched') evidence.assignee = state.assignee;
  if (type === 'case.appeal_decided') Object.assign(evidence, { chiefId: state.assignee?.id, approved: extra.approved });
  await db.query(`INSERT INTO case_event (case_id, type, actor_role, to_status, evidence, state, at) VALUES ($1, $2, 'system', 'in_progress', $3, $4, $5)`, [
    caseId, type, evidence, state, local(at),
  ]);
}

const sortKey = (r: Record<string, unknown>) => `${r.group_kind}|${String(r.day)}|${r.group_id}`;

async function rollups(db: Client): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query(`SELECT group_kind, day::text, group_id, ${ROLLUP_COLUMNS.join(', ')} FROM evaluation_daily`);
  return rows.map(normalise).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

async function fromScratch(db: Client): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query(`SELECT group_kind, day::text AS day, group_id, ${ROLLUP_COLUMNS.join(', ')} FROM (${contributionsSql('true', 1, String(OFFSET))}) s`);
  return rows.map(normalise).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

function normalise(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = k === 'handling_hours' ? Number(v).toFixed(9) : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  return out;
}

/** Local midnight of a date, as the instant. */
const midnight = (date: string) => local(`${date}T00:00`);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Every day, every Monday-to-Monday week and some longer periods from 2025-12-22 to 2026-02-16. */
function periods(): [string, string][] {
  const out: [string, string][] = [];
  for (let day = '2025-12-22'; day < '2026-02-16'; day = addDays(day, 1)) out.push([day, addDays(day, 1)]);
  for (let day = '2025-12-22'; day < '2026-02-16'; day = addDays(day, 7)) out.push([day, addDays(day, 7)]);
  out.push(['2026-01-01', '2026-02-01'], ['2025-12-01', '2026-03-01'], ['2025-03-01', '2026-03-01'], ['2026-01-08', '2026-01-10'], ['2026-01-09', '2026-01-16']);
  return out;
}

/** The rollup query against the fact scan, for every grouping and period; returns how many rows were compared. */
async function expectRollupQueryEqualsFactScan(db: Client): Promise<number> {
  let compared = 0;
  for (const groupBy of EVALUATION_GROUP_KINDS as readonly EvaluationGroupKind[]) {
    for (const [fromDay, toDay] of periods()) {
      const from = midnight(fromDay);
      const to = midnight(toDay);
      const scan = (await db.query(evaluationSql(groupBy, []), [from, to])).rows;
      const rolled = (await db.query(rollupEvaluationSql(groupBy), [from, to, groupBy, fromDay, toDay])).rows;
      const active = (rows: Record<string, unknown>[]) =>
        rows
          .map(normalise)
          .filter((r) => Object.entries(r).some(([k, v]) => k !== 'group_id' && Number(v) !== 0))
          .sort((a, b) => String(a.group_id).localeCompare(String(b.group_id)));
      expect(active(rolled), `${groupBy} ${fromDay}..${toDay}`).toEqual(active(scan));
      compared += active(scan).length;
    }
  }
  return compared;
}

beforeAll(async () => {
  app = await startIntake('evaluation_rollups');
  facts = app.app.get(EvaluationFactsService);
  engine = app.app.get(EvaluationService);
  await withDb(app.databaseUrl, async (db) => {
    [A, B, C] = [await chiefIdOf(db, 'chief3'), await chiefIdOf(db, 'chief2'), await chiefIdOf(db, 'chief1')];
    const { rows: cells } = await db.query(
      `SELECT DISTINCT ON (street_code) street_code AS street, code AS cell FROM grid_cell ORDER BY street_code, code LIMIT 2`,
    );
    [S1, S2] = cells;
    urgent = (await db.query(`SELECT id, category_code AS category FROM category_standard WHERE clock_type = 'urgent_hours' ORDER BY id LIMIT 1`)).rows[0];
    work = (await db.query(`SELECT id, category_code AS category FROM category_standard WHERE clock_type = 'work_hours' AND category_code <> $1 ORDER BY id LIMIT 1`, [urgent.category])).rows[0];
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('daily rollups', () => {
  it('a fresh database has no rollups and the first refresh cuts days at the time zone offset', async () => {
    await facts.refresh();
    await withDb(app.databaseUrl, async (db) => {
      expect((await db.query(`SELECT rollup_offset_minutes FROM evaluation_watermark`)).rows[0].rollup_offset_minutes).toBe(OFFSET);
      expect(facts.offsetMinutes).toBe(OFFSET);
    });
  });

  it('equal a rebuild from scratch, and give the fact scan numbers, after a first batch of varied histories', async () => {
    await withDb(app.databaseUrl, async (db) => {
      const a = (name: string, events: CraftedEvent[], std = urgent) =>
        craftCase(db, { cell: S1.cell, category: std.category, standardId: std.id, events }).then((id) => (ids[name] = id));
      const b = (name: string, events: CraftedEvent[], std = work) =>
        craftCase(db, { cell: S2.cell, category: std.category, standardId: std.id, events }).then((id) => (ids[name] = id));
      await a('onTime', [...opened('2026-01-05T09:00'), d('case.dispatched', '2026-01-05T09:20', { chief: A, deadline: '2026-01-05T13:20' }),
        d('case.resolved', '2026-01-05T11:20'), d('case.closed', '2026-01-05T12:00')]);
      // Done days before its deadline: no event on the deadline's day.
      await a('early', [...opened('2026-01-06T09:00'), d('case.dispatched', '2026-01-06T10:00', { chief: A, deadline: '2026-01-09T10:00' }),
        d('case.resolved', '2026-01-06T12:00'), d('case.closed', '2026-01-06T13:00')]);
      // Instants on local midnights and just before.
      await a('midnight', [d('case.reported', '2026-01-07T23:59:59.999'), d('case.registered', '2026-01-08T00:00'),
        d('case.dispatched', '2026-01-08T00:10', { chief: B, deadline: '2026-01-08T04:10' }), d('case.resolved', '2026-01-08T05:00'),
        d('case.closed', '2026-01-09T00:00')]);
      await b('carried', [...opened('2025-12-30T09:00'), d('case.dispatched', '2025-12-30T10:00', { chief: B, deadline: '2025-12-31T10:00' }),
        d('case.overdue', '2025-12-31T10:00')]);
      await b('cancelledBefore', [...opened('2026-01-12T09:00'), d('case.dispatched', '2026-01-12T10:00', { chief: C, deadline: '2026-01-13T10:00' }),
        d('case.cancelled', '2026-01-12T12:00')]);
      await b('cancelledAfter', [...opened('2026-01-12T09:00'), d('case.dispatched', '2026-01-12T10:00', { chief: C, deadline: '2026-01-13T10:00' }),
        d('case.overdue', '2026-01-13T10:00'), d('case.cancelled', '2026-01-14T12:00')]);
      await a('rework', [...opened('2026-01-13T09:00'), d('case.dispatched', '2026-01-13T10:00', { chief: A, deadline: '2026-01-13T14:00' }),
        d('case.resolved', '2026-01-13T12:00'), d('case.reworked', '2026-01-13T13:00'), d('case.resolved', '2026-01-13T16:00'), d('case.closed', '2026-01-13T17:00')]);
      await b('extended', [...opened('2026-01-14T09:00'), d('case.dispatched', '2026-01-14T10:00', { chief: A, deadline: '2026-01-14T14:00' }),
        d('case.extended', '2026-01-14T13:00', { deadline: '2026-01-15T14:00' }), d('case.resolved', '2026-01-15T10:00'), d('case.closed', '2026-01-15T11:00')]);
      await a('returned', [...opened('2026-01-16T09:00'), d('case.dispatched', '2026-01-16T10:00', { chief: A, deadline: '2026-01-16T14:00' }),
        d('case.returned', '2026-01-16T11:00'), d('case.dispatched', '2026-01-16T11:30', { chief: B, deadline: '2026-01-17T00:00' }),
        d('case.resolved', '2026-01-16T23:00'), d('case.closed', '2026-01-17T00:00')]);
      await a('toMerge', [...opened('2026-01-10T09:00'), d('case.dispatched', '2026-01-10T10:00', { chief: C, deadline: '2026-01-11T10:00' })]);
      await b('openLater', [...opened('2026-01-20T09:00'), d('case.dispatched', '2026-01-20T10:00', { chief: C, deadline: '2026-02-10T10:00' })]);
      await a('rejected', [d('case.reported', '2026-01-21T09:00'), d('case.rejected', '2026-01-21T10:00')]);
      await b('appealed', [...opened('2026-01-22T09:00'), d('case.dispatched', '2026-01-22T10:00', { chief: B, deadline: '2026-01-22T14:00' }),
        d('case.overdue', '2026-01-22T14:00'), d('case.appealed', '2026-01-22T15:00')]);
      // Events recorded out of time order (a resolution entered after the close it preceded).
      await a('outOfOrder', [...opened('2026-01-23T09:00'), d('case.dispatched', '2026-01-23T10:00', { chief: A, deadline: '2026-01-24T10:00' }),
        d('case.closed', '2026-01-23T18:00'), d('case.resolved', '2026-01-23T17:00')], work);
      await a('newYearEve', [d('case.reported', '2025-12-31T23:59:59.999'), d('case.registered', '2026-01-01T00:00'),
        d('case.dispatched', '2026-01-01T00:00', { chief: C, deadline: '2026-01-01T08:00' }), d('case.resolved', '2026-01-01T07:59:59.999'),
        d('case.closed', '2026-01-02T00:00')]);
    });
    const { fromSeq, toSeq } = await facts.refresh();
    expect(toSeq).toBeGreaterThan(fromSeq);
    await withDb(app.databaseUrl, async (db) => {
      const rows = await rollups(db);
      expect(rows.length).toBeGreaterThan(50);
      expect(rows).toEqual(await fromScratch(db));
      expect(await expectRollupQueryEqualsFactScan(db)).toBeGreaterThan(100);
    });
  }, 120_000);

  it('follow late events: rework after the close, approved appeal, a merge, a late resolution, a return, a second extension, a back-dated registration', async () => {
    await withDb(app.databaseUrl, async (db) => {
      const before = await rollups(db);
      await addEvent(db, ids.onTime, 'case.reworked', '2026-01-20T09:00');
      await addEvent(db, ids.onTime, 'case.resolved', '2026-01-21T09:00');
      await addEvent(db, ids.appealed, 'case.appeal_decided', '2026-01-23T09:00', { approved: true });
      await addEvent(db, ids.toMerge, 'case.merged', '2026-01-24T09:00');
      await addEvent(db, ids.carried, 'case.resolved', '2026-02-02T10:00');
      await addEvent(db, ids.openLater, 'case.returned', '2026-01-25T09:00');
      await addEvent(db, ids.openLater, 'case.dispatched', '2026-01-25T10:00', { chief: A, deadline: '2026-01-26T00:00' });
      await addEvent(db, ids.extended, 'case.extended', '2026-01-15T09:00', { deadline: '2026-01-19T14:00' });
      // Back-dated: a registration recorded late, dated before the report it follows in seq.
      await addEvent(db, ids.rejected, 'case.registered', '2025-12-31T12:00');
      await addEvent(db, ids.midnight, 'case.commented', '2026-01-30T09:00');
      ids.late = await craftCase(db, { cell: S2.cell, category: urgent.category, standardId: urgent.id, events: [...opened('2026-02-01T00:00'),
        d('case.dispatched', '2026-02-01T00:30', { chief: B, deadline: '2026-02-01T04:30' }), d('case.resolved', '2026-02-03T00:00')] });
      await facts.refresh();
      const after = await rollups(db);
      expect(after).not.toEqual(before);
      expect(after).toEqual(await fromScratch(db));
      // Nothing left at zero: the merged case's days are gone unless another case holds them.
      const merged = await db.query(`SELECT count(*)::int AS n FROM evaluation_daily WHERE group_kind = 'chief' AND group_id = $1 AND day IN ('2026-01-10', '2026-01-11')`, [String(C)]);
      expect(merged.rows[0].n).toBe(0);
      await expectRollupQueryEqualsFactScan(db);
    });
  }, 120_000);

  it('a refresh without new events, or with events that change no fact, leaves them as they are', async () => {
    await withDb(app.databaseUrl, async (db) => {
      const before = await rollups(db);
      const idle = await facts.refresh();
      expect(idle.toSeq).toBe(idle.fromSeq);
      await addEvent(db, ids.early, 'case.commented', '2026-02-05T09:00');
      await facts.refresh();
      await facts.refresh();
      expect(await rollups(db)).toEqual(before);
    });
  });

  it('are rebuilt when they were cut at another offset (a changed TIME_ZONE, or none built yet)', async () => {
    await withDb(app.databaseUrl, async (db) => {
      const expected = await rollups(db);
      await db.query(`UPDATE evaluation_daily SET reported = reported + 5`);
      await db.query(`UPDATE evaluation_watermark SET rollup_offset_minutes = 0`);
      await facts.refresh();
      expect(await rollups(db)).toEqual(expected);
      await db.query(`UPDATE evaluation_watermark SET rollup_offset_minutes = NULL`);
      await db.query(`DELETE FROM evaluation_daily`);
      await facts.refresh();
      expect(await rollups(db)).toEqual(expected);
      expect((await db.query(`SELECT rollup_offset_minutes FROM evaluation_watermark`)).rows[0].rollup_offset_minutes).toBe(OFFSET);
    });
  });

  it('the engine reads them for a district-wide day-aligned period and the facts otherwise, with the same numbers', async () => {
    const from = midnight('2026-01-01');
    const to = midnight('2026-02-01');
    for (const groupBy of EVALUATION_GROUP_KINDS as readonly EvaluationGroupKind[]) {
      const report = await engine.evaluate({ from, to, groupBy });
      const expected = await withDb(app.databaseUrl, async (db) => (await db.query(evaluationSql(groupBy, []), [from, to])).rows);
      const byId = new Map(expected.map((r) => [String(r.group_id), r]));
      // This district has no department (domain.md 9): its cases all go to road chiefs.
      if (groupBy === 'department') expect(report.rows).toEqual([]);
      else expect(report.rows.length).toBeGreaterThan(0);
      for (const row of report.rows) {
        const e = byId.get(row.group.id)!;
        const counts: EvaluationCounts = {
          reported: e.reported, registered: e.registered, registeredClosed: e.registered_closed, closed: e.closed, dispatched: e.dispatched,
          due: e.due, resolvedOnTime: e.resolved_on_time, closedOnTime: e.closed_on_time, extended: e.extended, overdueOpen: e.overdue_open,
          exempted: e.exempted, handled: e.handled, resolutions: e.resolutions, reworks: e.reworks, handlingHours: row.counts.handlingHours,
        };
        expect(row.counts, `${groupBy} ${row.group.id}`).toEqual(counts);
        expect(row.counts.handlingHours).toBeCloseTo(Number(e.handling_hours), 9);
      }
      expect(report.rows.length).toBe(expected.filter((r) => Object.entries(r).some(([k, v]) => k !== 'group_id' && Number(v) !== 0)).length);
    }
    // A street-scoped report (facts) agrees with the district's street row (rollups).
    const district = await engine.evaluate({ from, to, groupBy: 'street' });
    const scoped = await engine.evaluate({ from, to, groupBy: 'street', scope: { streetCode: S1.street } });
    const [inDistrict] = district.rows.filter((r) => r.group.id === S1.street);
    expect(scoped.rows).toHaveLength(1);
    // Counts are equal; handling hours are summed in another order (float8 facts, numeric rollups): equal to 1e-9 h.
    expect({ ...scoped.rows[0].counts, handlingHours: 0 }).toEqual({ ...inDistrict.counts, handlingHours: 0 });
    expect(scoped.rows[0].counts.handlingHours).toBeCloseTo(inDistrict.counts.handlingHours, 9);
  });
});
