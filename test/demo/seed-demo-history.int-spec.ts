import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@wangge/auth';
import { loadAppConfig } from '@wangge/config';
import type { SeedSummary } from '@wangge/demo';
import type { DataSource } from 'typeorm';
import { createIntakeApp } from '../../apps/intake/src/intake.app';
import { seedDemoDepartments } from '../../apps/cli/src/commands/demo-departments';
import { seedDemoCommand } from '../../apps/cli/src/commands/seed-demo.command';
import { startDispatcher, testConfig } from '../support/apps';
import { runCliCommand } from '../support/cli';
import { createEmptyDatabase, databaseUrl, TEST_JWT_SECRET, TEST_TRACKING_TOKEN_SECRET } from '../support/database';
import { pointInWardenCell, withDb } from '../support/cases';
import { startRedisServer } from '../support/redis-server';

/** `npm run seed:demo -- --history-days N --seed N` on an empty database: the district, its history, the history's bulletins. */
describe('seed-demo with a history', () => {
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let run: Awaited<ReturnType<typeof runCliCommand>>;

  beforeAll(async () => {
    db = await createEmptyDatabase('seed_history_cli');
    run = await runCliCommand(seedDemoCommand, ['--history-days', '3', '--seed', '3'], { DATABASE_URL: db.url });
  }, 600_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('seeds the district, three days of cases with their appeals and the bulletins of the past days, and says so', async () => {
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/history: \d+ cases over 3 days/);
    expect(run.out).toMatch(/evaluation and bulletins of the history: 3 daily summaries/);
    expect(run.out).toContain('history 历史案卷');
    await withDb(db.url, async (c) => {
      const { rows } = await c.query(`SELECT (SELECT count(*) FROM case_file)::int AS cases, (SELECT count(*) FROM bulletin WHERE kind = 'daily')::int AS daily,
                                             (SELECT count(*) FROM case_event WHERE type = 'case.appealed')::int AS appealed, (SELECT count(*) FROM appeal)::int AS appeals,
                                             (SELECT last_seq FROM evaluation_watermark)::int AS watermark, (SELECT max(seq) FROM case_event)::int AS top`);
      expect(rows[0].cases).toBeGreaterThan(150);
      expect(rows[0].daily).toBe(3);
      expect(rows[0].appeals).toBe(rows[0].appealed);
      expect(rows[0].watermark).toBe(rows[0].top);
    });
  });

  it('adds construction sites, two checkpoints and the 市场外迁 campaign of five markets, one milestone past due and not done', async () => {
    expect(run.out).toMatch(/campaigns: 12 places \(construction sites, checkpoints, markets\), 市场外迁 with 5 markets and 8 progress reports/);
    await withDb(db.url, async (c) => {
      const places = (await c.query(`SELECT kind, count(*)::int AS n FROM place GROUP BY kind ORDER BY kind`)).rows;
      expect(places).toEqual([
        { kind: 'checkpoint', n: 2 },
        { kind: 'market', n: 5 },
        { kind: 'site', n: 5 },
      ]);
      const { rows } = await c.query(
        `SELECT c.name, (SELECT count(*) FROM campaign_item ci WHERE ci.campaign_id = c.id)::int AS items,
                (SELECT count(*) FROM campaign_milestone ms JOIN campaign_item ci ON ci.id = ms.item_id WHERE ci.campaign_id = c.id AND ms.done_at IS NOT NULL)::int AS met,
                (SELECT count(*) FROM campaign_milestone ms JOIN campaign_item ci ON ci.id = ms.item_id WHERE ci.campaign_id = c.id AND ms.done_at IS NULL AND ms.due_at < now())::int AS overdue
           FROM campaign c`,
      );
      expect(rows).toEqual([{ name: '市场外迁', items: 5, met: 6, overdue: 1 }]);
      // The overdue one waits for the dispatcher's timer (its sweep at start marks and escalates it).
      const timers = (await c.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'job' AND name = 'check-milestone'`)).rows[0].n;
      expect(timers).toBe(15);
    });
  });

  it('puts the construction sites under an 8个100% plan with an inspection due now for warden1, and gives each checkpoint a roster for today and tomorrow', async () => {
    expect(run.out).toMatch(/inspections: 8个100% every 4 hours at 5 construction sites, \d+ duty shifts at the checkpoints/);
    await withDb(db.url, async (c) => {
      const plans = (await c.query(`SELECT ch.name, p.every, p.place_kind, (SELECT count(*) FROM inspection_plan_place pp WHERE pp.plan_id = p.id)::int AS places
                                      FROM inspection_plan p JOIN checklist ch ON ch.id = p.checklist_id`)).rows;
      expect(plans).toEqual([{ name: '工地"8个100%"', every: 'PT4H', place_kind: 'site', places: 5 }]);
      // The seed's time: the plan's making (the demo's `end`).
      const seeded = `(SELECT created_at AS at FROM inspection_plan LIMIT 1)`;
      // Due now (the current 4-hour slot), in warden1's "my inspections", each with its deadline's timer in the outbox.
      const due = (await c.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE d.assignee_ids = ARRAY[u.id])::int AS warden1,
                                         count(*) FILTER (WHERE d.slot_start <= t.at AND d.due_at > t.at AND d.due_at - d.slot_start <= interval '4 hours')::int AS current
                                    FROM inspection_due d JOIN place pl ON pl.id = d.place_id, app_user u, ${seeded} t
                                   WHERE u.username = 'warden1' AND d.state = 'due' AND pl.kind = 'site'`)).rows[0];
      expect(due).toEqual({ n: 5, warden1: 5, current: 5 });
      const dueTimers = (await c.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'job' AND name = 'check-inspection-due'`)).rows[0].n;
      expect(dueTimers).toBe(5);
      const rosters = (await c.query(
        `SELECT pl.name, count(*)::int AS shifts,
                count(*) FILTER (WHERE s.check_by < t.at AND s.checked_in_at IS NULL)::int AS to_miss,
                count(*) FILTER (WHERE s.starts_at > t.at AND s.starts_at < t.at + interval '1 hour' AND 'warden2' = ANY (SELECT username FROM app_user WHERE id = ANY (s.user_ids)))::int AS to_check_in,
                count(DISTINCT u.username) FILTER (WHERE u.role = 'chief')::int AS chiefs
           FROM duty_shift s JOIN place pl ON pl.id = s.place_id CROSS JOIN LATERAL unnest(s.user_ids) AS x(id) JOIN app_user u ON u.id = x.id, ${seeded} t
          GROUP BY pl.name ORDER BY pl.name`,
      )).rows;
      expect(rosters.map((r) => r.name)).toEqual(['通站路与南三环卡点', '通站路与文治路卡点']);
      // A missed shift is escalated to the checkpoint's responsible person: a leader (值班长), as the district runs them.
      const responsible = (await c.query(`SELECT DISTINCT u.username, u.role FROM place pl JOIN app_user u ON u.id = pl.responsible_id WHERE pl.kind = 'checkpoint'`)).rows;
      expect(responsible).toEqual([{ username: 'zhiban1', role: 'leader' }]);
      for (const r of rosters) {
        expect(r.shifts).toBeGreaterThanOrEqual(4);
        expect(r.to_miss).toBe(1);
        expect(r.to_check_in).toBe(1);
        expect(r.chiefs).toBe(1);
      }
      const shiftTimers = (await c.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'job' AND name = 'check-duty-shift'`)).rows[0].n;
      expect(shiftTimers).toBe(rosters.reduce((n, r) => n + r.shifts, 0));
    });
  });

  it('adds the departments of the trades (燃气公司, 市政局, 环保局, 执法局), each with its categories, every street, a leader and members with the demo password', async () => {
    expect(run.out).toMatch(/departments: 燃气公司 \(2 categories\), 市政局 \(6 categories\), 环保局 \(5 categories\), 执法局 \(4 categories\); 7 members/);
    expect(run.out).toMatch(/dept-gas1\s+department\s+demo1234\s+郑燃明/);
    await withDb(db.url, async (c) => {
      const departments = (
        await c.query(`SELECT d.code, d.name, d.category_codes, d.street_codes, u.username AS leader,
                              (SELECT count(*) FROM app_user m WHERE m.department_code = d.code AND m.role = 'department' AND m.active)::int AS members
                         FROM department d LEFT JOIN app_user u ON u.id = d.leader_id ORDER BY d.code`)
      ).rows;
      expect(departments).toEqual([
        { code: 'ENV', name: '环保局', category_codes: ['E0116', 'E0302', 'E0306', 'E0307', 'E0308'], street_codes: [], leader: 'dept-env1', members: 1 },
        { code: 'GAS', name: '燃气公司', category_codes: ['C0111', 'E0403'], street_codes: [], leader: 'dept-gas1', members: 2 },
        { code: 'LAW', name: '执法局', category_codes: ['E0101', 'E0501', 'E0504', 'E0510'], street_codes: [], leader: 'dept-law1', members: 2 },
        { code: 'MUNI', name: '市政局', category_codes: ['E0401', 'E0404', 'E0601', 'E0602', 'E0603', 'E0604'], street_codes: [], leader: 'dept-muni1', members: 2 },
      ]);
      const members = (await c.query(`SELECT username, password_hash, password_change_required, seeded_demo_password FROM app_user WHERE role = 'department' ORDER BY username`)).rows;
      expect(members).toHaveLength(7);
      for (const m of members) {
        expect(m, m.username).toMatchObject({ password_change_required: false, seeded_demo_password: true });
        expect(await verifyPassword('demo1234', m.password_hash), m.username).toBe(true);
      }
      // Written through the departments' and people's administration: audited as the demo admin's changes.
      const audited = (await c.query(`SELECT action, count(*)::int AS n FROM audit_entry WHERE action LIKE 'department.%' OR (action LIKE 'user.%' AND entity_id IN (SELECT id::text FROM app_user WHERE role = 'department')) GROUP BY action ORDER BY action`)).rows;
      expect(audited.find((r: { action: string }) => r.action === 'department.create')?.n).toBe(4);
    });
  });

  it('routes a new gas-leak report on the demo to the gas company, the road chief coordinating', async () => {
    const redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' };
    const intake = await createIntakeApp(testConfig(db.url, env));
    await intake.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(intake.getHttpServer().address() as { port: number }).port}`;
    const dispatcher = await startDispatcher(db.url, env);
    try {
      const login = async (username: string) => {
        const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
        expect(res.status, username).toBe(200);
        return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
      };
      const warden = await login('warden1');
      const gas = await login('dept-gas2');
      const leader = await login('leader');
      const p = await withDb(db.url, (c) => pointInWardenCell(c, 'warden1', 3));
      const res = await fetch(`${base}/api/v1/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: warden },
        body: JSON.stringify({ categoryCode: 'E0403', description: '闻到燃气泄漏 (demo)', location: { lng: p.lng, lat: p.lat } }),
      });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      type Seen = { status: string; assignee: { kind?: string; code?: string; name: string } | null; coordinator: { id: number; level: number } | null };
      let seen: Seen | null = null;
      const end = Date.now() + 20_000;
      while (Date.now() < end) {
        seen = (await (await fetch(`${base}/api/v1/cases/${id}`, { headers: { authorization: leader } })).json()) as Seen;
        if (seen.status === 'dispatched') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen).toMatchObject({ status: 'dispatched', assignee: { kind: 'department', code: 'GAS', name: '燃气公司' }, coordinator: { id: expect.any(Number) } });
      // The coordinator is the place's road chief.
      const chief = await withDb(db.url, async (c) => (await c.query(`SELECT id FROM road_chief WHERE id = $1`, [seen?.coordinator?.id])).rows[0]);
      expect(chief).toBeTruthy();
      const tasks = (await (await fetch(`${base}/api/v1/me/tasks`, { headers: { authorization: gas } })).json()) as { id: string }[];
      expect(tasks.map((t) => t.id)).toContain(id);
    } finally {
      await dispatcher.close();
      await intake.close();
      await redis.close();
    }
  });

  it('never seeds departments in production', async () => {
    const production = loadAppConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET, TRACKING_TOKEN_SECRET: TEST_TRACKING_TOKEN_SECRET });
    const untouched = {} as DataSource;
    await expect(seedDemoDepartments(untouched, production, { users: [] } as unknown as SeedSummary, () => undefined)).rejects.toThrow(/never built in production/);
  });

  it('refuses a bad flag, naming it, before touching the database', async () => {
    const bad = await runCliCommand(seedDemoCommand, ['--history-days', 'lots'], { DATABASE_URL: databaseUrl('wangge_t_does_not_exist') });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--history-days needs a whole number, got "lots"/);
  });
});
