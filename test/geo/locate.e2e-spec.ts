import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCATE_SQL } from '@wangge/geo';
import { startIntake, type RunningApp } from '../support/apps';

interface LocateBody {
  gridCell: { code: string };
  street: { code: string; name: string };
  community: { code: string; name: string };
  road: { id: number; name: string; segment: { id: number; seq: number; ref: string } } | null;
  distanceM: number | null;
  assignee: { id: number; name: string; level: number; asDeputyOf: number | null } | null;
  reason: string;
  reasonZh: string;
}

describe('GET /api/v1/locate on the demo district', () => {
  let intake: RunningApp;
  let db: Client;
  let operator: string;

  const locate = async (lng: number, lat: number, auth = operator) => {
    const res = await fetch(`${intake.baseUrl}/api/v1/locate?lng=${lng}&lat=${lat}`, { headers: { authorization: auth } });
    return { status: res.status, body: (await res.json()) as LocateBody & { error?: string; details?: { field: string }[] } };
  };
  const setChief = async (id: number, change: Record<string, unknown>) => {
    const res = await fetch(`${intake.baseUrl}/api/v1/chiefs/${id}`, {
      method: 'PATCH',
      headers: { authorization: operator, 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    intake = await startIntake('locate');
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    operator = await intake.bearer('operator');
  });
  afterAll(async () => {
    await db?.end();
    await intake?.close();
  });

  /** The midpoint of a segment of 文治路 that has its own level-3 chief. */
  async function segmentWithChief() {
    const { rows } = await db.query(
      `SELECT rs.id AS segment_id, rs.seq, r.name AS road_name, c.id AS chief_id, u.name AS chief_name,
              ST_X(ST_LineInterpolatePoint(rs.geom, 0.5)) AS lng, ST_Y(ST_LineInterpolatePoint(rs.geom, 0.5)) AS lat
         FROM road_segment rs JOIN road r ON r.id = rs.road_id
         JOIN road_chief_scope sc ON sc.kind = 'segment' AND sc.segment_id = rs.id
         JOIN road_chief c ON c.id = sc.chief_id JOIN app_user u ON u.id = c.user_id
        WHERE r.name = '文治路' ORDER BY rs.seq LIMIT 1`,
    );
    expect(rows.length).toBe(1);
    return rows[0] as { segment_id: number; seq: number; road_name: string; chief_id: number; chief_name: string; lng: number; lat: number };
  }

  it('a point on a road segment gets that segment chief, with the reason in words', async () => {
    const s = await segmentWithChief();
    const { status, body } = await locate(s.lng, s.lat);
    expect(status).toBe(200);
    expect(body.road).toMatchObject({ name: '文治路', segment: { id: s.segment_id, seq: s.seq } });
    expect(body.distanceM).toBeLessThan(1);
    expect(body.assignee).toMatchObject({ id: s.chief_id, level: 3, asDeputyOf: null });
    expect(body.reason).toBe(`road 文治路 segment ${s.seq} at 0 m → level-3 chief ${s.chief_name}`);
    expect(body.reasonZh).toContain('文治路');
    expect(body.gridCell.code).toMatch(/^410104\d{9}$/);
    expect(body.gridCell.code.startsWith(body.community.code)).toBe(true);
    expect(body.community.code.startsWith(body.street.code)).toBe(true);
  });

  it('a point 200 m from any road gets the community chief', async () => {
    const { rows } = await db.query(
      `SELECT ST_X(ST_Centroid(g.geom)) AS lng, ST_Y(ST_Centroid(g.geom)) AS lat, g.community_code, c.id AS chief_id, u.name AS chief_name
         FROM grid_cell g
         JOIN road_chief_scope sc ON sc.kind = 'community' AND sc.community_code = g.community_code
         JOIN road_chief c ON c.id = sc.chief_id JOIN app_user u ON u.id = c.user_id
        WHERE c.available
          AND NOT EXISTS (SELECT 1 FROM road_segment rs WHERE ST_DWithin(rs.geom::geography, ST_Centroid(g.geom)::geography, 200))
        ORDER BY g.code LIMIT 1`,
    );
    expect(rows.length).toBe(1);
    const p = rows[0] as { lng: number; lat: number; community_code: string; chief_id: number; chief_name: string };
    const { status, body } = await locate(p.lng, p.lat);
    expect(status).toBe(200);
    expect(body.road).toBeNull();
    expect(body.distanceM).toBeNull();
    expect(body.community.code).toBe(p.community_code);
    expect(body.assignee).toMatchObject({ id: p.chief_id, level: 3 });
    expect(body.reason).toBe(`no road within 30 m → community ${body.community.name} → level-3 chief ${p.chief_name}`);
  });

  it('a point just beyond the routing radius is off road; just inside it is on the road', async () => {
    const s = await segmentWithChief();
    const { rows } = await db.query(
      `SELECT ST_X(p) AS lng, ST_Y(p) AS lat, ST_Distance(p::geography, rs.geom::geography) AS d
         FROM road_segment rs, LATERAL (SELECT ST_Project(ST_LineInterpolatePoint(rs.geom, 0.5)::geography, $2, radians(
                 CASE WHEN abs(ST_X(ST_EndPoint(rs.geom)) - ST_X(ST_StartPoint(rs.geom))) > abs(ST_Y(ST_EndPoint(rs.geom)) - ST_Y(ST_StartPoint(rs.geom)))
                      THEN 0 ELSE 90 END))::geometry AS p) x
        WHERE rs.id = $1`,
      [s.segment_id, 25],
    );
    const near = rows[0] as { lng: number; lat: number; d: number };
    expect(near.d).toBeGreaterThan(24);
    const inside = await locate(near.lng, near.lat);
    expect(inside.body.road?.segment.id).toBe(s.segment_id);
    expect(inside.body.distanceM).toBeGreaterThan(24);
    expect(inside.body.distanceM).toBeLessThanOrEqual(30);
  });

  it('an unavailable chief is skipped for the deputy, then for the next level up', async () => {
    const s = await segmentWithChief();
    const { rows } = await db.query(
      `SELECT c.id, u.name FROM road_chief c JOIN app_user u ON u.id = c.user_id
        WHERE c.level = 3 AND c.id <> $1 AND c.available ORDER BY c.id LIMIT 1`,
      [s.chief_id],
    );
    const deputy = rows[0] as { id: number; name: string };
    await setChief(s.chief_id, { available: false, unavailableReason: '休假 on leave', deputyId: deputy.id });
    let r = await locate(s.lng, s.lat);
    expect(r.body.assignee).toMatchObject({ id: deputy.id, asDeputyOf: s.chief_id });
    expect(r.body.reason).toContain(`unavailable → deputy ${deputy.name}`);

    await setChief(deputy.id, { available: false });
    r = await locate(s.lng, s.lat);
    expect(r.body.assignee?.id).not.toBe(s.chief_id);
    expect(r.body.assignee?.id).not.toBe(deputy.id);
    expect(r.body.assignee?.level).toBeLessThan(3);
    expect(r.body.reason).toContain('unavailable');

    await setChief(deputy.id, { available: true });
    await setChief(s.chief_id, { available: true, deputyId: null });
    r = await locate(s.lng, s.lat);
    expect(r.body.assignee?.id).toBe(s.chief_id);
  });

  it('a point outside the district answers 422 out_of_jurisdiction', async () => {
    const { status, body } = await locate(116.397, 39.909);
    expect(status).toBe(422);
    expect(body.error).toBe('out_of_jurisdiction');
  });

  it('bad coordinates answer 400 naming the field, never 500', async () => {
    for (const [query, field] of [['lng=abc&lat=34.74', 'lng'], ['lng=113.68', 'lat'], ['lng=200&lat=34.74', 'lng'], ['lng=113.68&lat=34.74&x=1', 'x']]) {
      const res = await fetch(`${intake.baseUrl}/api/v1/locate?${query}`, { headers: { authorization: operator } });
      const body = (await res.json()) as { error: string; details: { field: string }[] };
      expect(res.status, query).toBe(400);
      expect(body.details.map((d) => d.field)).toContain(field);
    }
  });

  it('a point on the shared edge of two cells belongs to the cell with the smaller code', async () => {
    const { rows } = await db.query(
      `SELECT a.code AS a, b.code AS b, ST_X(ST_PointOnSurface(ST_Intersection(a.geom, b.geom))) AS lng,
              ST_Y(ST_PointOnSurface(ST_Intersection(a.geom, b.geom))) AS lat
         FROM grid_cell a JOIN grid_cell b ON a.code < b.code AND a.geom && b.geom AND ST_Touches(a.geom, b.geom)
          AND ST_Dimension(ST_Intersection(a.geom, b.geom)) = 1
        LIMIT 1`,
    );
    const edge = rows[0] as { a: string; b: string; lng: number; lat: number };
    const { body } = await locate(edge.lng, edge.lat);
    expect(body.gridCell.code).toBe(edge.a);
  });

  it('uses the GiST indexes of grid_cell and road_segment (EXPLAIN)', async () => {
    const { rows } = await db.query(`EXPLAIN (FORMAT TEXT) ${LOCATE_SQL}`, [113.68, 34.74, 30, 30 / 110_000]);
    const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan (using|on) grid_cell_geom_gist/);
    expect(plan).toMatch(/Index Scan (using|on) road_segment_geom_gist/);
    expect(plan).not.toMatch(/Seq Scan on grid_cell/);
    expect(plan).not.toMatch(/Seq Scan on road_segment/);
  });

  it('estimates the cell lookup from the column statistics, not a fixed share of the grid (EXPLAIN)', async () => {
    // ST_Covers alone is estimated at 0.1 % of the table (20 of the demo's 20,000 cells; 2,000 of 2
    // million, where the planner then starts a parallel worker for one row); the bounding-box test
    // beside it is estimated from the statistics: about one cell.
    await db.query('ANALYZE grid_cell');
    const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${LOCATE_SQL}`, [113.68, 34.74, 30, 30 / 110_000]);
    type Node = { 'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string; 'Plan Rows': number; Plans?: Node[] };
    const nodes: Node[] = [];
    const walk = (n: Node) => (nodes.push(n), n.Plans?.forEach(walk));
    walk((rows[0] as { 'QUERY PLAN': [{ Plan: Node }] })['QUERY PLAN'][0].Plan);
    const cellScans = nodes.filter((n) => n['Relation Name'] === 'grid_cell' || n['Index Name'] === 'grid_cell_geom_gist');
    expect(cellScans.length).toBeGreaterThan(0);
    for (const scan of cellScans) expect(scan['Plan Rows']).toBeLessThanOrEqual(2);
    expect(nodes.some((n) => n['Node Type'] === 'Gather' || n['Node Type'] === 'Gather Merge')).toBe(false);
  });
});

describe('map layers and catalogue', () => {
  let intake: RunningApp;
  let warden: string;

  beforeAll(async () => {
    intake = await startIntake('layers');
    warden = await intake.bearer('warden1');
  });
  afterAll(async () => intake?.close());

  it('GET /grid/cells?bbox= answers a GeoJSON FeatureCollection of the cells in the box', async () => {
    const res = await fetch(`${intake.baseUrl}/api/v1/grid/cells?bbox=113.675,34.735,113.685,34.745`, { headers: { authorization: warden } });
    expect(res.status).toBe(200);
    const fc = (await res.json()) as { type: string; features: { geometry: { type: string }; properties: { code: string } }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThan(50);
    expect(fc.features[0].geometry.type).toBe('MultiPolygon');
    expect(fc.features[0].properties.code).toMatch(/^\d{15}$/);
  });

  it('GET /roads?bbox= answers segments with their chiefs by level', async () => {
    const res = await fetch(`${intake.baseUrl}/api/v1/roads?bbox=113.60,34.65,113.80,34.85`, { headers: { authorization: warden } });
    expect(res.status).toBe(200);
    const fc = (await res.json()) as { features: { geometry: { type: string }; properties: { roadName: string; chiefs: { level: number }[] } }[] };
    expect(fc.features.length).toBeGreaterThan(10);
    expect(fc.features[0].geometry.type).toBe('LineString');
    expect(fc.features.some((f) => f.properties.chiefs.length === 3)).toBe(true);
    expect(new Set(fc.features.map((f) => f.properties.roadName))).toContain('文治路');
  });

  it('refuses a bad or too large bbox with 400/422 naming bbox', async () => {
    for (const [bbox, status] of [['1,2,3', 400], ['113.7,34.7,113.6,34.8', 400], ['113.0,34.0,114.0,35.0&limit=10', 422]] as const) {
      const res = await fetch(`${intake.baseUrl}/api/v1/grid/cells?bbox=${bbox}`, { headers: { authorization: warden } });
      const body = (await res.json()) as { details: { field: string }[] };
      expect(res.status, bbox).toBe(status);
      expect(body.details.map((d) => d.field)).toContain('bbox');
    }
  });

  it('GET /categories lists the catalogue with conditions and time limits, without a token', async () => {
    const res = await fetch(`${intake.baseUrl}/api/v1/categories`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { code: string; kind: string; standard: { version: number; conditions: { timeLimit: { value: number; clockType: string } }[] } }[];
    expect(list.length).toBeGreaterThanOrEqual(50);
    const garbage = list.find((c) => c.code === 'E0102');
    expect(garbage?.kind).toBe('event');
    expect(garbage?.standard.conditions.length).toBeGreaterThan(0);
    expect(['urgent_hours', 'work_hours', 'work_days', 'natural_days']).toContain(garbage?.standard.conditions[0].timeLimit.clockType);
  });
});
