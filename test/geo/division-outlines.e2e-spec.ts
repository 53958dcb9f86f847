import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';
import { addStreetOperator, api, STREET_OPERATOR } from '../support/cases';

interface Outline {
  type: string;
  id: string;
  geometry: { type: string; coordinates: number[][][][] };
  properties: { level: string; code: string; name: string; nameEn: string | null; streetCode: string | null; cellCount: number; label: [number, number] };
}
interface Outlines {
  type: string;
  revision: number;
  features: Outline[];
}

/** Every ring closed, at least four positions, each position a finite [lng, lat]. */
function wellFormed(g: Outline['geometry']): boolean {
  return (
    g.type === 'MultiPolygon' &&
    g.coordinates.length > 0 &&
    g.coordinates.every((polygon) =>
      polygon.every((ring) => ring.length >= 4 && ring.every((p) => p.length === 2 && p.every(Number.isFinite)) && ring[0].join() === ring[ring.length - 1].join()),
    )
  );
}

/**
 * GET /api/v1/divisions/outlines (issue 19): the district, its streets and communities dissolved
 * from the live grid cells, one feature per division with its name and a label point inside it; the
 * whole district to every staff role (public geography); made again after the cells change.
 */
describe('GET /api/v1/divisions/outlines: the district, streets and communities from the cells', () => {
  let intake: RunningApp;
  let db: Client;
  let http: ReturnType<typeof api>;
  let operator: string;

  const outlines = async (level: string, auth = operator) => {
    const res = await http.get<Outlines>(`/api/v1/divisions/outlines?level=${level}`, auth);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    return res.body;
  };

  /** Whether PostGIS finds the GeoJSON geometry valid and the label inside it. */
  const checkInPostgis = async (f: Outline) => {
    const { rows } = await db.query(
      `SELECT ST_IsValid(g) AS valid, ST_Covers(g, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS label_inside FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) x`,
      [JSON.stringify(f.geometry), f.properties.label[0], f.properties.label[1]],
    );
    return rows[0] as { valid: boolean; label_inside: boolean };
  };

  beforeAll(async () => {
    intake = await startIntake('division-outlines');
    http = api(intake);
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    operator = await intake.bearer('operator');
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await intake?.close();
  });

  it('one street per street of the district, with its name; the cells they hold add up to the live cells', async () => {
    const body = await outlines('street');
    const { rows: streets } = await db.query(`SELECT code, name FROM street ORDER BY code`);
    const { rows: live } = await db.query(`SELECT street_code AS code, count(*)::int AS n FROM grid_cell WHERE retired_at IS NULL GROUP BY 1 ORDER BY 1`);
    expect(streets.length).toBeGreaterThan(1);
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f) => [f.id, f.properties.name])).toEqual(streets.map((s) => [s.code, s.name]));
    expect(body.features.map((f) => [f.properties.code, f.properties.cellCount])).toEqual(live.map((r) => [r.code, r.n]));
    for (const f of body.features) {
      expect(f.type).toBe('Feature');
      expect(f.properties).toMatchObject({ level: 'street', streetCode: f.id });
      expect(wellFormed(f.geometry), f.id).toBe(true);
      expect(await checkInPostgis(f), f.id).toEqual({ valid: true, label_inside: true });
    }
  });

  it('one community per community, named, each in its street; one district outline with its name', async () => {
    const body = await outlines('community');
    const { rows: communities } = await db.query(`SELECT code, name, street_code FROM community ORDER BY code`);
    expect(communities.length).toBeGreaterThan(10);
    expect(body.features.map((f) => [f.id, f.properties.name, f.properties.streetCode])).toEqual(communities.map((c) => [c.code, c.name, c.street_code]));
    expect(body.features.every((f) => wellFormed(f.geometry))).toBe(true);
    const sample = body.features[Math.floor(body.features.length / 2)];
    expect(await checkInPostgis(sample)).toEqual({ valid: true, label_inside: true });

    const district = await outlines('district');
    const { rows } = await db.query(`SELECT code, name, name_en FROM district`);
    expect(district.features.map((f) => [f.id, f.properties.name, f.properties.nameEn])).toEqual(rows.map((d) => [d.code, d.name, d.name_en]));
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM grid_cell WHERE retired_at IS NULL`)).rows;
    expect(district.features[0].properties.cellCount).toBe(n);
    expect(await checkInPostgis(district.features[0])).toEqual({ valid: true, label_inside: true });
    // The district's outline covers the same ground as its cells (areas in m², to 0.01 %: the coordinates are rounded to 6 decimals).
    const { rows: area } = await db.query(
      `SELECT ST_Area(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)::geography) AS outline, (SELECT sum(area_m2) FROM grid_cell WHERE retired_at IS NULL) AS cells`,
      [JSON.stringify(district.features[0].geometry)],
    );
    expect(Math.abs(area[0].outline - area[0].cells) / area[0].cells).toBeLessThan(1e-4);
  });

  it('a street operator and a warden see the whole district’s outlines too: geography, not cases', async () => {
    await addStreetOperator(db);
    const streetOperator = await intake.bearer(STREET_OPERATOR.username, STREET_OPERATOR.password);
    const all = await outlines('street');
    expect((await outlines('street', streetOperator)).features.map((f) => f.id)).toEqual(all.features.map((f) => f.id));
    expect((await outlines('street', await intake.bearer('warden1'))).features.length).toBe(all.features.length);
  });

  it('made again after the cells change: a retired cell leaves its community’s outline', async () => {
    const before = await outlines('community');
    const { rows } = await db.query(
      `SELECT code, community_code FROM grid_cell WHERE retired_at IS NULL ORDER BY code LIMIT 1`,
    );
    const cell = rows[0] as { code: string; community_code: string };
    const was = before.features.find((f) => f.id === cell.community_code)!;
    await db.query(`UPDATE grid_cell SET retired_at = now() WHERE code = $1`, [cell.code]);
    try {
      const after = await outlines('community');
      expect(after.revision).toBeGreaterThan(before.revision);
      const now = after.features.find((f) => f.id === cell.community_code)!;
      expect(now.properties.cellCount).toBe(was.properties.cellCount - 1);
      const { rows: gone } = await db.query(
        `SELECT ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), ST_PointOnSurface(geom)) AS covered FROM grid_cell WHERE code = $2`,
        [JSON.stringify(now.geometry), cell.code],
      );
      expect(gone[0].covered).toBe(false);
      // Unchanged cells: the same revision, no new work.
      expect((await outlines('community')).revision).toBe(after.revision);
    } finally {
      await db.query(`UPDATE grid_cell SET retired_at = NULL WHERE code = $1`, [cell.code]);
    }
    expect((await outlines('community')).features.find((f) => f.id === cell.community_code)!.properties.cellCount).toBe(was.properties.cellCount);
  });

  it('refuses a bad level with a 400 naming it, and callers without a sign-in with 401', async () => {
    for (const q of ['level=city', '']) {
      const res = await http.get(`/api/v1/divisions/outlines?${q}`, operator);
      expect(res.status).toBe(400);
      expect(res.body.details?.map((d) => d.field)).toEqual(['level']);
      expect(JSON.stringify(res.body)).toContain('层级');
    }
    expect((await http.get('/api/v1/divisions/outlines?level=street')).status).toBe(401);
  });
});
