import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@wangge/auth';
import { createDataSource } from '@wangge/database';
import { seedDemoCommand } from '../../apps/cli/src/commands/seed-demo.command';
import { setupCommand } from '../../apps/cli/src/commands/setup.command';
import { startCommand } from '../../apps/cli/src/commands/start.command';
import { createIntakeApp } from '../../apps/intake/src/intake.app';
import { testConfig } from '../support/apps';
import { boundary, DISTRICT } from '../golive/district-files';
import { runCliCommand } from '../support/cli';
import { createEmptyDatabase, createTestDatabase, REDIS_URL } from '../support/database';

const PRODUCTION = { NODE_ENV: 'production' };
const NEW_PASSWORD = 'Gz7#kq2Lw!pB-prod';

describe('production defaults (NODE_ENV=production, domain.md section 7)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });
  const sql = async (url: string, query: string, params: unknown[] = []): Promise<unknown[]> => {
    const ds = createDataSource({ url, poolSize: 1 });
    await ds.initialize();
    try {
      return (await ds.query(query, params)) as unknown[];
    } finally {
      await ds.destroy();
    }
  };
  const intake = async (url: string): Promise<{ app: INestApplication; baseUrl: string }> => {
    const app = await createIntakeApp(testConfig(url, PRODUCTION));
    cleanups.push(() => app.close());
    await app.listen(0, '127.0.0.1');
    return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
  };
  const login = (baseUrl: string, username: string, password: string) =>
    fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

  it('seed-demo refuses to run, and touches nothing', async () => {
    const db = await createEmptyDatabase('prod_seed');
    cleanups.push(db.drop);
    const run = await runCliCommand(seedDemoCommand, [], { ...PRODUCTION, DATABASE_URL: db.url });
    expect(run.code).toBe(2);
    expect(run.err).toContain('the demo district is never built in production (NODE_ENV=production): set up your district with npm run setup');
    expect(await sql(db.url, `SELECT to_regclass('district') IS NULL AS untouched`)).toEqual([{ untouched: true }]);
  });

  it("npm start's automatic demo refuses to run on an empty database", async () => {
    const db = await createEmptyDatabase('prod_start');
    cleanups.push(db.drop);
    const dataDir = mkdtempSync(join(tmpdir(), 'wangge-prod-start-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const run = await runCliCommand(startCommand, [], {
      ...PRODUCTION,
      DATABASE_URL: db.url,
      REDIS_URL,
      DATA_DIR: dataDir,
      INTAKE_PORT: '0',
      FEED_PORT: '0',
      DISPATCHER_PORT: '0',
    });
    expect(run.code).toBe(1);
    expect(run.out).toContain('the database has no district yet, and the demo district is never built in production');
    expect(run.out).not.toContain('building the demo district');
    expect(await sql(db.url, `SELECT count(*)::int AS n FROM district`)).toEqual([{ n: 0 }]);
  });

  it('intake refuses to start while an account has demo1234, starts once none has, and its login refuses demo passwords', async () => {
    const db = await createTestDatabase('prod_demo');
    cleanups.push(db.drop);
    const refused = await createIntakeApp(testConfig(db.url, PRODUCTION));
    await expect(refused.init()).rejects.toThrow(/refusing to start in production: account \S+ still has a demo password/);
    await refused.close().catch(() => undefined);

    // Every demo account but admin deactivated, admin's password changed: nothing left to refuse.
    await sql(db.url, `UPDATE app_user SET active = false WHERE username <> 'admin'`);
    await sql(db.url, `UPDATE app_user SET password_hash = $1 WHERE username = 'admin'`, [await hashPassword(NEW_PASSWORD)]);
    const started = Date.now();
    const { baseUrl } = await intake(db.url);
    console.info(`production start with the demo accounts checked: ${Date.now() - started} ms`);
    // Checked clean once, the account is no longer marked: the next start checks nothing.
    expect(await sql(db.url, `SELECT count(*)::int AS n FROM app_user WHERE seeded_demo_password AND active`)).toEqual([{ n: 0 }]);

    expect((await login(baseUrl, 'admin', NEW_PASSWORD)).status).toBe(200);
    // An account not made by the demo seed that was given demo1234 anyway cannot log in with it either.
    await sql(db.url, `UPDATE app_user SET active = true, seeded_demo_password = false, password_hash = $1 WHERE username = 'operator'`, [await hashPassword('demo1234')]);
    for (const [username, password] of [['operator', 'demo1234'], ['admin', 'demo1234'], ['nobody', 'demo1234']]) {
      const res = await login(baseUrl, username, password);
      expect(res.status, username).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'demo_password_refused' });
    }
  });

  it('a district set up with npm run setup (its own boundary file) starts in production and its admin logs in', async () => {
    const db = await createEmptyDatabase('prod_setup');
    cleanups.push(db.drop);
    const dir = mkdtempSync(join(tmpdir(), 'wangge-prod-setup-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'boundary.geojson');
    writeFileSync(file, JSON.stringify(boundary()));
    const run = await runCliCommand(setupCommand, ['--district', DISTRICT, '--boundary', file], { ...PRODUCTION, DATABASE_URL: db.url });
    expect(run.code).toBe(0);
    expect(await sql(db.url, `SELECT code, name, geom IS NOT NULL AS outlined FROM district`)).toEqual([{ code: '410105', name: '金水区', outlined: true }]);
    const password = /password 密码: (\S+)/.exec(run.out)?.[1] ?? '';
    const { baseUrl } = await intake(db.url);
    const res = await login(baseUrl, 'admin', password);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { role: 'admin', name: '系统管理员' } });
  });
});
