import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadAppConfig } from '@wangge/config';
import type { ImportReport } from '@wangge/import';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { importCommand } from '../../apps/cli/src/commands/import.command';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api } from '../support/cases';
import { TEST_JWT_SECRET } from '../support/database';
import { until } from '../support/until';

/** Re-zoning (调整网格, issue 15 item 2): `replace` makes a file the whole layer, under open cases. */

const COMMUNITY = '410104001001'; // 新华社区, warden1's community
const NEW_COMMUNITY = '410104001901';

interface CaseBody {
  id: string;
  code: string;
  status: string;
  gridCell: { code: string };
  community: { code: string; name: string };
  assignee: { id: number; name: string; level: number } | null;
  timeline: { type: string; evidence: Record<string, unknown> }[];
}

describe('re-zoning: --replace cells|roads under open cases', () => {
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let http: ReturnType<typeof api>;
  let db: Client;
  const auth: Record<string, string> = {};
  const cases: Record<'offRoad' | 'onRoad' | 'reported' | 'cancelled', CaseBody> = {} as never;
  let onRoadRoad: { id: number; ref: string };
  let tmp: string;

  const view = async (id: string) => (await http.get<CaseBody>(`/api/v1/cases/${id}`, auth.operator)).body;
  const events = async (id: string, type: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1 AND type = $2`, [id, type])).rows[0].n as number;
  const importHttp = (body: unknown) => http.post<ImportReport & { details?: { field: string; problem: string }[] }>('/api/v1/admin/import', body, auth.admin);

  /** The live cells as a cells file; the cells of COMMUNITY re-coded into NEW_COMMUNITY (a community of no chief). */
  const cellsFile = async (): Promise<string> => {
    const { rows } = await db.query<{ code: string; geometry: string }>(
      `SELECT code, ST_AsGeoJSON(geom, 15) AS geometry FROM grid_cell WHERE retired_at IS NULL ORDER BY code`,
    );
    const features = rows.map((r) => {
      const moved = r.code.startsWith(COMMUNITY);
      const properties = moved ? { code: NEW_COMMUNITY + r.code.slice(12), communityName: '新华社区（调整）' } : { code: r.code };
      return { type: 'Feature', properties, geometry: JSON.parse(r.geometry) as unknown };
    });
    return JSON.stringify({ type: 'FeatureCollection', features });
  };

  /** The live road network as a roads file, without the road `without`. */
  const roadsFile = async (without: number): Promise<string> => {
    const { rows } = await db.query<{ road: string; name: string; ref: string; geometry: string }>(
      `SELECT r.ref AS road, r.name, s.ref, ST_AsGeoJSON(s.geom, 15) AS geometry
         FROM road_segment s JOIN road r ON r.id = s.road_id WHERE s.retired_at IS NULL AND r.id <> $1 ORDER BY r.ref, s.seq`,
      [without],
    );
    const features = rows.map((r) => ({ type: 'Feature', properties: { name: r.name, roadId: r.road, segmentId: r.ref }, geometry: JSON.parse(r.geometry) as unknown }));
    return JSON.stringify({ type: 'FeatureCollection', features });
  };

  const report = async (as: string | undefined, point: { lng: number; lat: number }, description: string): Promise<CaseBody> => {
    const answer = await http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description, location: { lng: point.lng, lat: point.lat } }, as ? auth[as] : undefined);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  };
  const dispatched = (id: string) =>
    until(`case ${id} dispatched`, 60_000, async () => {
      const v = await view(id);
      return v.status === 'dispatched' && v;
    });

  beforeAll(async () => {
    // No duplicate flags: the test's reports lie a few metres apart on purpose.
    const env = { REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000', DUPLICATE_RADIUS_M: '0' };
    intake = await startIntake('rezoning', env);
    dispatcher = await startDispatcher(intake.databaseUrl, env);
    http = api(intake);
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    for (const u of ['operator', 'admin', 'warden1']) auth[u] = await intake.bearer(u);
    tmp = mkdtempSync(join(tmpdir(), 'wangge-rezoning-'));

    // In COMMUNITY: a point far from every road, and one a few metres from a segment.
    const { rows: far } = await db.query<{ lng: number; lat: number }>(
      `SELECT ST_X(p) AS lng, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM grid_cell g WHERE g.community_code = $1) x
        WHERE NOT EXISTS (SELECT 1 FROM road_segment s WHERE ST_DWithin(s.geom::geography, x.p::geography, 150)) LIMIT 1`,
      [COMMUNITY],
    );
    const { rows: near } = await db.query<{ lng: number; lat: number; road_id: number; ref: string }>(
      `SELECT ST_X(p) AS lng, ST_Y(p) AS lat, s.road_id, r.ref FROM grid_cell g
         JOIN road_segment s ON ST_Intersects(s.geom, g.geom) JOIN road r ON r.id = s.road_id
         -- 90 % of the way from the cell's centre to the road: a few metres from it, inside the cell.
         CROSS JOIN LATERAL (SELECT ST_LineInterpolatePoint(ST_MakeLine(ST_Centroid(g.geom), ST_ClosestPoint(s.geom, ST_Centroid(g.geom))), 0.9) AS p) q
        WHERE g.community_code = $1 AND ST_Covers(g.geom, q.p) ORDER BY g.code LIMIT 1`,
      [COMMUNITY],
    );
    expect(far[0] && near[0]).toBeTruthy();
    onRoadRoad = { id: near[0].road_id, ref: near[0].ref };
    cases.offRoad = await dispatched((await report('warden1', far[0], 'off-road garbage')).id);
    cases.onRoad = await dispatched((await report('warden1', near[0], 'garbage by the road')).id);
    cases.cancelled = await dispatched((await report('warden1', { lng: far[0].lng + 0.0001, lat: far[0].lat }, 'to be cancelled')).id);
    expect((await http.act(cases.cancelled.id, 'cancel', { reason: 'test' }, auth.operator)).status).toBe(200);
    cases.reported = await report(undefined, { lng: far[0].lng, lat: far[0].lat + 0.0001 }, 'citizen report');
    expect(cases.reported.status).toBe('reported');
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await dispatcher?.close();
    await intake?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('a dry run reports what replacing the cells would do and writes nothing', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE retired_at IS NOT NULL)::int AS retired FROM grid_cell`)).rows[0];
    const { status, body } = await importHttp({ files: [{ name: 'cells.geojson', content: await cellsFile() }], replace: 'cells', dryRun: true });
    expect(status, JSON.stringify(body).slice(0, 500)).toBe(200);
    expect(body).toMatchObject({ applied: false, replace: 'cells', cases: { relocated: 3, rerouted: 1 }, created: { communities: 1 } });
    expect(body.retired.cells).toBeGreaterThan(0);
    expect((await db.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE retired_at IS NOT NULL)::int AS retired FROM grid_cell`)).rows[0]).toEqual(before);
    expect(await events(cases.offRoad.id, 'case.relocated')).toBe(0);
  }, 120_000);

  it('replacing the cells: every open case ends in one live cell, the one whose chief changed is routed again once, history keeps the old codes', async () => {
    const started = Date.now();
    const { status, body } = await importHttp({ files: [{ name: 'cells.geojson', content: await cellsFile() }], replace: 'cells' });
    console.info(`re-zoning 20,000 cells over HTTP: ${Date.now() - started} ms`);
    expect(status, JSON.stringify(body).slice(0, 500)).toBe(200);
    const moved = (await db.query(`SELECT count(*)::int AS n FROM grid_cell WHERE community_code = $1`, [COMMUNITY])).rows[0].n as number;
    expect(body).toMatchObject({ applied: true, replace: 'cells', retired: { cells: moved, segments: 0 }, cases: { relocated: 3, rerouted: 1 } });
    expect(body.cells.created).toBe(moved);
    // warden1 patrolled the old cells of 新华社区: now the new cells on the same ground.
    expect(body.wardenCells.added).toBe(moved);
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM warden_cell w JOIN app_user u ON u.id = w.user_id WHERE u.username = 'warden1' AND w.cell_code LIKE $1`, [`${NEW_COMMUNITY}%`])).rows[0].n,
    ).toBe(moved);
    // The community chief of 新华社区 is left without a live cell.
    expect(body.orphanedScopes).toContainEqual(expect.objectContaining({ kind: 'community', ref: COMMUNITY, problem: expect.stringContaining('no live grid cell') }));

    // Every open case: in exactly one live cell, the one its case_file names.
    const { rows: open } = await db.query<{ code: string; live: number; own: boolean }>(
      `SELECT c.code, (SELECT count(*)::int FROM grid_cell g WHERE g.retired_at IS NULL AND ST_Covers(g.geom, c.location)) AS live,
              EXISTS (SELECT 1 FROM grid_cell g WHERE g.code = c.grid_cell_code AND g.retired_at IS NULL AND ST_Covers(g.geom, c.location)) AS own
         FROM case_file c WHERE c.status IN ('reported', 'registered', 'dispatched', 'in_progress', 'resolved')`,
    );
    expect(open.length).toBe(3);
    for (const c of open) expect(c, c.code).toMatchObject({ live: 1, own: true });

    // The off-road case's chief was 新华社区's; the new community has none: the street chief takes it, once.
    const offRoad = await until('re-route', 60_000, async () => {
      const v = await view(cases.offRoad.id);
      return v.assignee?.id !== cases.offRoad.assignee?.id && v;
    });
    expect(offRoad.status).toBe('dispatched');
    expect(offRoad.assignee?.level).toBe(2);
    expect(offRoad.gridCell.code).toBe(NEW_COMMUNITY + cases.offRoad.gridCell.code.slice(12));
    expect(offRoad.community).toEqual({ code: NEW_COMMUNITY, name: '新华社区（调整）' });
    expect(await events(cases.offRoad.id, 'case.rerouted')).toBe(1);
    // The road case keeps its road chief: relocated, not routed again.
    const onRoad = await view(cases.onRoad.id);
    expect(onRoad.assignee?.id).toBe(cases.onRoad.assignee?.id);
    expect(onRoad.gridCell.code.slice(0, 12)).toBe(NEW_COMMUNITY);
    expect(await events(cases.onRoad.id, 'case.rerouted')).toBe(0);
    expect((await view(cases.reported.id)).gridCell.code.slice(0, 12)).toBe(NEW_COMMUNITY);

    // History: the relocation names the old codes; the cancelled case keeps its (now retired) cell.
    const relocated = offRoad.timeline.find((e) => e.type === 'case.relocated');
    expect(relocated?.evidence).toMatchObject({ from: { gridCell: cases.offRoad.gridCell.code, community: COMMUNITY }, to: { community: NEW_COMMUNITY } });
    const cancelled = await view(cases.cancelled.id);
    expect(cancelled.gridCell.code).toBe(cases.cancelled.gridCell.code);
    expect((await db.query(`SELECT retired_at IS NOT NULL AS retired FROM grid_cell WHERE code = $1`, [cancelled.gridCell.code])).rows[0]).toEqual({ retired: true });

    // A retired cell is located no more, nor drawn on the map.
    const p = (await db.query<{ lng: number; lat: number }>(`SELECT ST_X(location) AS lng, ST_Y(location) AS lat FROM case_file WHERE id = $1`, [cases.offRoad.id])).rows[0];
    const located = await http.get<{ gridCell: { code: string } }>(`/api/v1/locate?lng=${p.lng}&lat=${p.lat}`, auth.operator);
    expect(located.body.gridCell.code).toBe(offRoad.gridCell.code);
    const map = await http.get<{ features: { properties: { code: string } }[] }>(
      `/api/v1/grid/cells?bbox=${p.lng - 0.002},${p.lat - 0.002},${p.lng + 0.002},${p.lat + 0.002}`,
      auth.operator,
    );
    expect(map.body.features.length).toBeGreaterThan(0);
    expect(map.body.features.filter((f) => f.properties.code.startsWith(COMMUNITY))).toEqual([]);
  }, 180_000);

  it('a repeated re-route job and a repeated import change nothing', async () => {
    await db.query(`INSERT INTO outbox (topic, name, payload) VALUES ('job', 'reroute-case', $1)`, [{ caseId: cases.offRoad.id }]);
    await until('outbox drained', 60_000, async () => (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n === 0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await events(cases.offRoad.id, 'case.rerouted')).toBe(1);
    const { status, body } = await importHttp({ files: [{ name: 'cells.geojson', content: await cellsFile() }], replace: 'cells' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ retired: { cells: 0 }, cases: { relocated: 0, rerouted: 0 }, cells: { created: 0 } });
  }, 120_000);

  it('replacing the roads from the CLI: the road left out is retired, its chiefs listed, the case on it routed again once', async () => {
    const file = join(tmp, 'roads.geojson');
    writeFileSync(file, await roadsFile(onRoadRoad.id));
    const config = loadAppConfig({ NODE_ENV: 'test', DATABASE_URL: intake.databaseUrl, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' });
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
    let code: number;
    try {
      code = await importCommand.run(['--replace', 'roads', file], { loadConfig: () => config });
    } finally {
      stdout.mockRestore();
    }
    expect(code, out.join('')).toBe(0);
    const text = out.join('');
    const segments = (await db.query(`SELECT count(*)::int AS n FROM road_segment WHERE road_id = $1`, [onRoadRoad.id])).rows[0].n as number;
    expect(text).toContain(`retired:        0 cells, ${segments} segments (replaced the roads layer)`);
    expect(text).toContain('open cases:     0 located in another cell, 1 to be routed again');
    expect(text).toMatch(/chiefs' scopes left without a live place \(\d+\), reassign them:/);
    expect(text).toContain(`road ${onRoadRoad.ref}`);
    expect((await db.query(`SELECT bool_and(retired_at IS NOT NULL) AS all FROM road_segment WHERE road_id = $1`, [onRoadRoad.id])).rows[0]).toEqual({ all: true });

    const onRoad = await until('re-route', 60_000, async () => {
      const v = await view(cases.onRoad.id);
      return v.assignee?.id !== cases.onRoad.assignee?.id && v;
    });
    expect(onRoad.assignee?.level).toBe(2);
    expect(await events(cases.onRoad.id, 'case.rerouted')).toBe(1);
    expect((await db.query(`SELECT segment_id FROM case_file WHERE id = $1`, [cases.onRoad.id])).rows[0]).toEqual({ segment_id: null });
  }, 120_000);

  it('refuses a layer that leaves an open case in no cell, naming the case, and writes nothing', async () => {
    const all = JSON.parse(await cellsFile()) as { features: { properties: { code: string } }[] };
    const without = { ...all, features: all.features.filter((f) => !f.properties.code.startsWith(NEW_COMMUNITY)) };
    const { status, body } = await importHttp({ files: [{ name: 'cells.geojson', content: JSON.stringify(without) }], replace: 'cells' });
    expect(status).toBe(422);
    expect(body.details).toContainEqual({ field: expect.stringMatching(/^\(open cases\):case \d{6}-\d{8}-\d{6} \(dispatched\) at /), problem: expect.stringContaining('lies in no live grid cell') });
    expect((await db.query(`SELECT count(*)::int AS n FROM grid_cell WHERE community_code = $1 AND retired_at IS NULL`, [NEW_COMMUNITY])).rows[0].n).toBeGreaterThan(0);
  }, 120_000);
});
