import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../apps/cli/src/commands/import.command';
import { setupCommand } from '../../apps/cli/src/commands/setup.command';
import { createIntakeApp } from '../../apps/intake/src/intake.app';
import { startDispatcher, testConfig } from '../support/apps';
import { api } from '../support/cases';
import { runCliCommand } from '../support/cli';
import { createEmptyDatabase } from '../support/database';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { boundary, cells, chiefsCsv, COMMUNITIES, DISTRICT, osmRoads, ROAD_LAT, STREET } from './district-files';

/**
 * A district goes live from its own files (issue 15, "Done when"): on an empty database, with no demo
 * data anywhere, `npm run setup` for 金水区 (410105), `npm run import` of cells that carry only their
 * codes, an OpenStreetMap road export and a chiefs CSV; the admin logs in and creates an operator and
 * a warden; an imported chief gets a password from the admin; the warden's report is dispatched to
 * that chief, who sees it in their tasks.
 */
describe('going live: a district of its own from its own files, no demo anywhere', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wangge-golive-'));
  const file = (name: string, content: object | string) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const ADMIN_PASSWORD = 'Jinshui-Admin-2026';
  const cellFile = cells();
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let sql: Client;
  let redis: RedisServer;
  let intake: INestApplication;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let http: ReturnType<typeof api>;
  const timings: Record<string, number> = {};

  async function timed<T>(step: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      timings[step] = Date.now() - t0;
    }
  }

  async function login(username: string, password: string) {
    const res = await http.post<{ accessToken: string; passwordChangeRequired: boolean }>('/api/v1/auth/login', { username, password });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { auth: `Bearer ${res.body.accessToken}`, passwordChangeRequired: res.body.passwordChangeRequired };
  }

  /** The first login with a one-time password: only the change is allowed, then the new password works. */
  async function firstLogin(username: string, oneTime: string, chosen: string): Promise<string> {
    const first = await login(username, oneTime);
    expect(first.passwordChangeRequired).toBe(true);
    expect((await http.get('/api/v1/me/tasks', first.auth)).status).toBe(403);
    const changed = await http.post('/api/v1/auth/password', { current: oneTime, next: chosen }, first.auth);
    expect(changed.status, JSON.stringify(changed.body)).toBeLessThan(300);
    const again = await login(username, chosen);
    expect(again.passwordChangeRequired).toBe(false);
    return again.auth;
  }

  beforeAll(async () => {
    db = await createEmptyDatabase('golive');
    const setup = await timed('setup', () =>
      runCliCommand(setupCommand, ['--district', DISTRICT, '--boundary', file('boundary.geojson', boundary())], { DATABASE_URL: db.url, ADMIN_PASSWORD }),
    );
    expect(setup.code, setup.err).toBe(0);
    const imported = await timed('import', () =>
      runCliCommand(importCommand, [file('cells.geojson', cellFile.geojson), file('roads.geojson', osmRoads()), file('chiefs.csv', chiefsCsv())], {
        DATABASE_URL: db.url,
      }),
    );
    expect(imported.code, `${imported.out}\n${imported.err}`).toBe(0);
    sql = new Client({ connectionString: db.url });
    await sql.connect();

    redis = await startRedisServer();
    // No DISTRICT_CODE: every process serves the district its database holds.
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50' };
    intake = await createIntakeApp(testConfig(db.url, env));
    await intake.listen(0, '127.0.0.1');
    const { port } = intake.getHttpServer().address() as { port: number };
    http = api({ baseUrl: `http://127.0.0.1:${port}` } as Parameters<typeof api>[0]);
    dispatcher = await startDispatcher(db.url, env);
  }, 240_000);

  afterAll(async () => {
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
    await sql?.end();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    console.log(`going live (${cellFile.codes.length} cells, 2 road ways, 4 chiefs): ${Object.entries(timings).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
  });

  it('holds the district of its files and nothing of the demo', async () => {
    const { rows } = await sql.query(
      `SELECT (SELECT string_agg(code || ' ' || name, ',') FROM district) AS districts,
              (SELECT string_agg(code || ' ' || name, ',' ORDER BY code) FROM street) AS streets,
              (SELECT string_agg(name, ',' ORDER BY code) FROM community) AS communities,
              (SELECT count(*) FROM grid_cell)::int AS cells, (SELECT count(*) FROM road_segment)::int AS segments,
              (SELECT string_agg(username, ',' ORDER BY username) FROM app_user) AS users,
              (SELECT count(*) FROM app_user WHERE seeded_demo_password)::int AS demo_marked`,
    );
    expect(rows[0]).toEqual({
      districts: '410105 金水区',
      streets: `${STREET} 经八路街道`,
      communities: '体育社区,科技社区',
      cells: cellFile.codes.length,
      segments: 2,
      users: 'admin,jb_east,jb_leader,jb_street,jb_west',
      demo_marked: 0,
    });
    expect(COMMUNITIES).toHaveLength(2);
    // The demo password opens nothing.
    expect((await http.post('/api/v1/auth/login', { username: 'admin', password: 'demo1234' })).status).toBe(401);
  });

  it("the admin creates people; a warden's report reaches the imported chief, who has logged in", async () => {
    const admin = (await login('admin', ADMIN_PASSWORD)).auth;
    // A point on 经八路's western way, inside a cell the warden patrols.
    const spot = { lng: 113.66 + 1.5 * 0.0011, lat: ROAD_LAT };
    const cell = `${COMMUNITIES[0]}006`;
    expect(cellFile.codes).toContain(cell);

    const operator = await http.post<{ id: string; initialPassword: string }>('/api/v1/admin/users', { username: 'jx_operator', name: '值班员 周芳', role: 'operator' }, admin);
    expect(operator.status, JSON.stringify(operator.body)).toBe(201);
    const warden = await http.post<{ id: string; initialPassword: string }>(
      '/api/v1/admin/users',
      { username: 'jx_warden', name: '网格员 孙强', role: 'warden', streetCode: STREET, cells: [cell, `${COMMUNITIES[0]}005`] },
      admin,
    );
    expect(warden.status, JSON.stringify(warden.body)).toBe(201);

    // The imported segment chief has an account without a password: the admin gives it a one-time one.
    const found = await http.get<{ id: string; username: string }[]>('/api/v1/admin/users?q=jb_west', admin);
    const chiefUser = (found.body as unknown as { id: string; username: string }[]).find((u) => u.username === 'jb_west');
    expect(chiefUser).toBeDefined();
    const reset = await http.post<{ initialPassword: string }>(`/api/v1/admin/users/${chiefUser!.id}/reset-password`, {}, admin);
    expect(reset.status, JSON.stringify(reset.body)).toBeLessThan(300);

    const operatorAuth = await firstLogin('jx_operator', operator.body.initialPassword, 'Zhou-Fang-duty-7');
    const wardenAuth = await firstLogin('jx_warden', warden.body.initialPassword, 'Sun-Qiang-grid-8');
    const chiefAuth = await firstLogin('jb_west', reset.body.initialPassword, 'Zhang-Wei-road-9');

    const created = await timed('report→dispatch', async () => {
      const report = await http.post<{ id: string; code: string }>(
        '/api/v1/cases',
        { categoryCode: 'E0102', description: '经八路人行道暴露垃圾 garbage on Jingba Road', location: spot },
        wardenAuth,
        { 'Idempotency-Key': 'golive-first-report' },
      );
      expect(report.status, JSON.stringify(report.body)).toBe(201);
      expect(report.body.code).toMatch(/^410105-\d{8}-\d{6}$/);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const view = await http.get<{ status: string; gridCell: { code: string }; assignee: { name: string } | null }>(`/api/v1/cases/${report.body.id}`, operatorAuth);
        if (view.body.status === 'dispatched') return { id: report.body.id, view: view.body };
        if (Date.now() > deadline) throw new Error(`not dispatched: ${JSON.stringify(view.body)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    expect(created.view.gridCell.code).toBe(cell);
    expect(created.view.assignee?.name).toBe('路段长 张伟');

    const tasks = await http.get<{ id: string }[]>('/api/v1/me/tasks', chiefAuth);
    expect((tasks.body as unknown as { id: string }[]).map((t) => t.id)).toContain(created.id);

    // Every admin change of the way here is in the audit trail.
    const audit = (await http.get('/api/v1/admin/audit', admin)).body as unknown as { action: string; actor: { username: string } }[];
    const actions = audit.map((e) => `${e.actor.username}:${e.action}`);
    for (const expected of ['cli:setup:district.create', 'cli:setup:user.create', 'admin:user.create', 'admin:user.reset_password']) {
      expect(actions).toContain(expected);
    }
    expect(actions.some((a) => a.endsWith(':import.apply'))).toBe(true);
  });
});
