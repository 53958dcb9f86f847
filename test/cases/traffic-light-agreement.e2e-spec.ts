import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTimeLimit, ManualClock } from '@wangge/clock';
import type { ClockType } from '@wangge/domain';
import { BusinessCalendarService, CaseLimitService, CaseQueryService, lightOrderSql, lightSortKey, SYSTEM_ACTOR, storedLimit, trafficLight, type Actor } from '@wangge/workflow';
import { startIntake, type RunningApp } from '../support/apps';

const STATES = ['dispatched', 'in_progress', 'resolved', 'resolved', 'registered', 'closed'] as const;
const HOUR = 3_600_000;
const FROM = Date.parse('2027-02-08T00:00:00+08:00');

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The traffic light's SQL form (lightOrderSql over the readings stored with each case) against its
 * in-memory form (trafficLight on the case's limit) on generated cases: every clock type, the
 * handling and the verification limits, limits across weekends and the Spring Festival, cases
 * without a limit. At many instants a list sorted by light in SQL is in exactly the order, and of
 * exactly the colours, that the in-memory rule gives; also after the holiday calendar changed.
 */
describe('traffic light: the SQL order agrees with the in-memory rule', () => {
  const clock = new ManualClock('2027-03-01T09:00:00+08:00');
  let intake: RunningApp;
  let db: Client;
  let queries: CaseQueryService;
  let limits: CaseLimitService;
  let calendar: BusinessCalendarService;
  const operator: Actor = { ...SYSTEM_ACTOR, role: 'leader', streetCode: null };
  const next = random(22);

  beforeAll(async () => {
    intake = await startIntake('light-agree', {}, { clock });
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    queries = intake.app.get(CaseQueryService);
    limits = intake.app.get(CaseLimitService);
    calendar = intake.app.get(BusinessCalendarService);
    const cal = await calendar.current();
    const { rows: standards } = await db.query(
      `SELECT DISTINCT ON (clock_type) id, category_code, clock_type FROM category_standard ORDER BY clock_type, id`,
    );
    const { rows: cells } = await db.query(`SELECT code FROM grid_cell ORDER BY code LIMIT 20`);
    const { rows: chiefs } = await db.query(`SELECT id FROM road_chief ORDER BY id LIMIT 1`);
    const cases = Array.from({ length: 240 }, (_, n) => {
      const std = standards[Math.floor(next() * standards.length)];
      const status = STATES[Math.floor(next() * STATES.length)];
      const clockType = std.clock_type as ClockType;
      const value = clockType === 'urgent_hours' ? 1 + Math.floor(next() * 48) : clockType === 'work_hours' ? 1 + Math.floor(next() * 24) : 1 + Math.floor(next() * 12);
      // Whole minutes, some at the same instant (equal shares are ordered by id).
      const dispatched = new Date(FROM + Math.floor(next() * 40 * 24) * HOUR + (n % 3 === 0 ? 0 : Math.floor(next() * 60) * 60_000));
      const deadline = addTimeLimit(dispatched, { value, clockType }, cal, calendar.offsetMinutes);
      const resolved = new Date(dispatched.getTime() + Math.floor(next() * 30) * HOUR);
      const verifyBy = next() < 0.8 ? addTimeLimit(resolved, { value: 1 + Math.floor(next() * 4), clockType: 'work_hours' }, cal, calendar.offsetMinutes) : null;
      const timed = status !== 'registered';
      return {
        n: n + 1,
        status,
        standard_id: std.id,
        category_code: std.category_code,
        cell: cells[n % cells.length].code,
        dispatched_at: timed ? dispatched.toISOString() : null,
        deadline_at: timed ? deadline.toISOString() : null,
        resolved_at: status === 'resolved' || status === 'closed' ? resolved.toISOString() : null,
        verify_deadline_at: status === 'resolved' ? verifyBy?.toISOString() ?? null : null,
      };
    });
    await db.query(
      `INSERT INTO case_file (code, status, category_code, standard_id, description, location, reported_coord_system, reported_lng, reported_lat,
                              grid_cell_code, street_code, community_code, source, tracking_token_hash, assignee_chief_id, dispatched_at, deadline_at, resolved_at, verify_deadline_at)
       SELECT '410104-20270201-' || lpad(s.n::text, 6, '0'), s.status, s.category_code, s.standard_id, 'light agreement',
              ST_PointOnSurface(g.geom), 'wgs84', ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)),
              g.code, g.street_code, g.community_code, 'warden', md5('light' || s.n::text), CASE WHEN s.status = 'registered' THEN NULL ELSE $2::int END, s.dispatched_at, s.deadline_at, s.resolved_at, s.verify_deadline_at
         FROM jsonb_to_recordset($1::jsonb) AS s(n int, status text, standard_id int, category_code text, cell text,
                                                 dispatched_at timestamptz, deadline_at timestamptz, resolved_at timestamptz, verify_deadline_at timestamptz)
         JOIN grid_cell g ON g.code = s.cell`,
      [JSON.stringify(cases), chiefs[0].id],
    );
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await intake?.close();
  });

  /** The generated cases in the order the in-memory rule gives at `at`, with their colours. */
  async function inMemory(at: Date): Promise<string[]> {
    const cal = await calendar.current();
    const { rows } = await db.query(`SELECT id, limit_clock, limit_started_at, limit_ends_at FROM case_file WHERE description = 'light agreement'`);
    return rows
      .map((r) => {
        const reading = trafficLight(storedLimit(r), at, cal, calendar.offsetMinutes);
        return { id: r.id as string, key: lightSortKey(reading), light: reading?.light ?? null };
      })
      .sort((a, b) => a.key.rank - b.key.rank || b.key.share - a.key.share || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((c) => `${c.id}:${c.light}`);
  }

  /** The same list as the API sorts it in SQL, paged 70 at a time; the colours from the SQL form itself. */
  async function inSql(at: Date): Promise<string[]> {
    clock.set(at);
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await queries.list({ sort: 'light', limit: 70, cursor }, operator);
      out.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const readings = await limits.nowReadings(at);
    const params: unknown[] = [];
    const order = lightOrderSql('c', { continuous: `$${params.push(readings.continuous)}`, work: `$${params.push(readings.work)}` });
    const { rows } = await db.query(`SELECT c.id, ${order.light} AS light FROM case_file c WHERE c.description = 'light agreement'`, params);
    const colour = new Map(rows.map((r) => [r.id as string, r.light as string | null]));
    return out.map((id) => `${id}:${colour.get(id)}`);
  }

  function instants(count: number): Date[] {
    return Array.from({ length: count }, () => new Date(FROM + Math.floor(next() * 50 * 24 * 60) * 60_000));
  }

  it('the readings of the cases open before the traffic light are taken at the first sorted list', async () => {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM case_file WHERE description = 'light agreement' AND limit_calendar_revision IS NULL`);
    expect(rows[0].n).toBe(240);
    await inSql(new Date(FROM));
    const after = await db.query(
      `SELECT count(*)::int AS n FROM case_file WHERE description = 'light agreement' AND status IN ('dispatched', 'in_progress', 'resolved') AND limit_calendar_revision IS NULL`,
    );
    expect(after.rows[0].n).toBe(0);
  });

  it('at 40 instants over seven weeks, the same order and the same colours', async () => {
    let coloured = 0;
    for (const at of instants(40)) {
      const want = await inMemory(at);
      expect(await inSql(at), at.toISOString()).toEqual(want);
      coloured += new Set(want.map((w) => w.split(':')[1])).size;
    }
    // The instants saw every colour and the cases without one.
    expect(coloured).toBeGreaterThan(40 * 2);
  });

  it('at the instants where limits reach 80 % and 100 %, too', async () => {
    const { rows } = await db.query(`SELECT limit_ends_at FROM case_file WHERE description = 'light agreement' AND limit_ends_at IS NOT NULL LIMIT 25`);
    for (const r of rows) {
      for (const at of [new Date(r.limit_ends_at), new Date(new Date(r.limit_ends_at).getTime() - 1)]) {
        expect(await inSql(at), at.toISOString()).toEqual(await inMemory(at));
      }
    }
  });

  it('after the holiday calendar changed: the readings are taken again and still agree', async () => {
    await db.query(`INSERT INTO holiday (date, kind, name, name_en) VALUES ('2027-03-03', 'holiday', '测试假日', 'test holiday') ON CONFLICT (date) DO UPDATE SET kind = 'holiday'`);
    for (const at of instants(10)) {
      expect(await inSql(at), at.toISOString()).toEqual(await inMemory(at));
    }
  });
});
