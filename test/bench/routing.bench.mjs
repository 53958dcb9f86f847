// Benchmark: how locate (the routing lookups) scales with the size of the grid. A fresh database with
// the demo district (20,000 cells of 100 m, 23 roads in 645 segments of ~500 m) and a copy of it
// (CREATE DATABASE … TEMPLATE) grown to `scale`² times as many cells (default 10 → 2,000,000) by bulk SQL: the
// demo district becomes one of scale × scale blocks of 160 × 125 cells, each other block a generated
// street of 25 communities of 32 × 25 cells (800 cells each, so the cell codes stay within their 3
// digits) with a copy of the demo's road layout (so roads grow in proportion: 645 segments per block),
// and no chiefs; then VACUUM ANALYZE. Each database has its own intake process.
//
// Points: one pseudo-random sequence, uniform over the demo district's box (all inside it; the demo's
// own answers must not change, and they are compared), each point asked of both sizes in turn
// (alternating which goes first), so the load of this shared machine falls on both alike. Then a
// second series over the whole grown grid, at the larger size only.
// Per point: `GET /api/v1/locate` through a real intake process (HTTP, JWT, the place query and the
// chiefs query), the place query alone (libs/geo LOCATE_SQL, the statement intake and the dispatcher
// run) and the cell lookup alone (&& and ST_Covers on the GiST index, as there) as client round trips, and the place
// query's planning and execution time and shared buffers from EXPLAIN (ANALYZE, BUFFERS).
// Prints one JSON line; ratio_* are p50(large) / p50(20k).
//
//   usage: node test/bench/routing.bench.mjs [points] [scale]    (defaults 1000 points, scale 10;
//          scale 1 = the demo district only, which is what `npm run bench:locate` runs)
//   env:   BENCH_POINTS, BENCH_SCALE (as the arguments), BENCH_PG_URL (server; database
//          `wangge_bench_routing` and `…_large` are created and dropped), BENCH_KEEP=1 (keep them, e.g. to
//          EXPLAIN by hand), REDIS_URL (intake's queues; nothing is queued by locate).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { DEMO_FRAME } from '../../dist/libs/demo/src/grid-layout.js';
import { planRoads } from '../../dist/libs/demo/src/road-network.js';
import { LOCATE_SQL } from '../../dist/libs/geo/src/locate.service.js';
import { children, cleanupOnExit, run, start, stop } from './support/processes.mjs';
import { freePort, waitHealthy } from './support/system.mjs';

const points = Number(process.argv[2] ?? process.env.BENCH_POINTS ?? 1000);
const scale = Number(process.argv[3] ?? process.env.BENCH_SCALE ?? 10);
if (!Number.isInteger(scale) || scale < 1 || scale > 20) throw new Error(`scale must be a whole number 1..20, not ${scale}`);
const keep = process.env.BENCH_KEEP === '1';
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'wangge_bench_routing';
const DB_LARGE = `${DB}_large`;
const urlOf = (name) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();
const RADIUS_M = 30; // ROUTE_RADIUS_M's default, set for intake below
const WARMUP = 100;

const admin = new pg.Client({ connectionString: server });
const clients = [];
const cleanup = cleanupOnExit(async () => {
  await Promise.all(children.map((c) => stop(c)));
  for (const c of clients) await c.end().catch(() => undefined);
  for (const name of keep ? [] : [DB, DB_LARGE]) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

const f = DEMO_FRAME;
// The same integer arithmetic as the seed (libs/demo seed-demo.ts lngSql/latSql), so generated cells
// share their edges bit for bit with the demo's; columns and rows are relative to the demo frame.
const lngSql = (col) => `((${f.west}::bigint + (${col}) * ${f.dx}::bigint)::float8 / 1e7::float8)`;
const latSql = (row) => `((${f.north}::bigint - (${row}) * ${f.dy}::bigint)::float8 / 1e7::float8)`;
const BLOCK_COLS = 32;
const BLOCK_ROWS = 25;
if (f.columns % BLOCK_COLS !== 0 || f.rows % BLOCK_ROWS !== 0) throw new Error('the demo frame is not a whole number of 32 x 25 blocks');
const perRow = f.columns / BLOCK_COLS; // communities per street, west to east
const communities = perRow * (f.rows / BLOCK_ROWS);
// The demo block's position among the scale × scale blocks (near the middle), and a block's origin.
const demoAt = { x: Math.floor((scale - 1) / 2), y: Math.floor((scale - 1) / 2) };
const slotCol = (s) => `((${s} % ${scale}) - ${demoAt.x}) * ${f.columns}`;
const slotRow = (s) => `((${s} / ${scale}) - ${demoAt.y}) * ${f.rows}`;

/** Grows the district to scale × scale blocks of the demo's size; returns what it added and how long it took. */
async function grow(db, district) {
  const t = Date.now();
  const demo = demoAt.y * scale + demoAt.x;
  const streetCode = (s) => `'${district}' || lpad((${1000 - scale * scale} + ${s})::text, 3, '0')`;
  const { rows: clash } = await db.query(`SELECT code FROM street WHERE right(code, 3)::int >= $1`, [1000 - scale * scale]);
  if (clash.length > 0) throw new Error(`street codes ${clash.map((r) => r.code)} are in the generated range`);
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO street (code, district_code, name)
     SELECT ${streetCode('s')}, $1, '生成街道 ' || s FROM generate_series(0, ${scale * scale - 1}) s WHERE s <> ${demo}`,
    [district],
  );
  await db.query(
    `INSERT INTO community (code, street_code, name, geom)
     SELECT ${streetCode('s')} || lpad((b + 1)::text, 3, '0'), ${streetCode('s')}, '生成社区 ' || s || '-' || (b + 1),
            ST_Multi(ST_MakeEnvelope(${lngSql(`${slotCol('s')} + (b % ${perRow}) * ${BLOCK_COLS}`)}, ${latSql(`${slotRow('s')} + (b / ${perRow} + 1) * ${BLOCK_ROWS}`)},
                                     ${lngSql(`${slotCol('s')} + (b % ${perRow} + 1) * ${BLOCK_COLS}`)}, ${latSql(`${slotRow('s')} + (b / ${perRow}) * ${BLOCK_ROWS}`)}, 4326))
       FROM generate_series(0, ${scale * scale - 1}) s CROSS JOIN generate_series(0, ${communities - 1}) b WHERE s <> ${demo}`,
  );
  // Cells in code order: block by block, inside a community west to east then north to south.
  const cells = await db.query(
    `INSERT INTO grid_cell (code, community_code, street_code, geom)
     SELECT ${streetCode('s')} || lpad((b + 1)::text, 3, '0') || lpad((k + 1)::text, 3, '0'), ${streetCode('s')} || lpad((b + 1)::text, 3, '0'), ${streetCode('s')},
            ST_Multi(ST_MakeEnvelope(${lngSql('x')}, ${latSql('y + 1')}, ${lngSql('x + 1')}, ${latSql('y')}, 4326))
       FROM generate_series(0, ${scale * scale - 1}) s
      CROSS JOIN generate_series(0, ${communities - 1}) b
      CROSS JOIN generate_series(0, ${BLOCK_COLS * BLOCK_ROWS - 1}) k
      CROSS JOIN LATERAL (SELECT ${slotCol('s')} + (b % ${perRow}) * ${BLOCK_COLS} + k % ${BLOCK_COLS} AS x,
                                 ${slotRow('s')} + (b / ${perRow}) * ${BLOCK_ROWS} + k / ${BLOCK_COLS} AS y) xy
      WHERE s <> ${demo}`,
  );
  // The demo's road layout again in every generated block: roads and ~500 m segments on cell edges.
  const roads = planRoads(f);
  const segments = roads.flatMap((r) => r.segments.map((g) => ({ ...g, road: r.ref })));
  await db.query(
    `INSERT INTO road (ref, name)
     SELECT 'G' || s || '-' || r.ref, r.name || ' (生成 ' || s || ')' FROM generate_series(0, ${scale * scale - 1}) s CROSS JOIN unnest($1::text[], $2::text[]) AS r(ref, name)
      WHERE s <> ${demo}`,
    [roads.map((r) => r.ref), roads.map((r) => r.name)],
  );
  const segs = await db.query(
    `INSERT INTO road_segment (road_id, ref, seq, geom)
     SELECT road.id, 'G' || s || '-' || g.ref, g.seq,
            ST_SetSRID(ST_MakeLine(ST_MakePoint(${lngSql(`${slotCol('s')} + g.col1`)}, ${latSql(`${slotRow('s')} + g.row1`)}),
                                   ST_MakePoint(${lngSql(`${slotCol('s')} + g.col2`)}, ${latSql(`${slotRow('s')} + g.row2`)})), 4326)
       FROM generate_series(0, ${scale * scale - 1}) s
      CROSS JOIN unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[]) AS g(road, ref, seq, col1, row1, col2, row2)
       JOIN road ON road.ref = 'G' || s || '-' || g.road
      WHERE s <> ${demo}`,
    [segments.map((g) => g.road), segments.map((g) => g.ref), segments.map((g) => g.seq), segments.map((g) => g.from.col), segments.map((g) => g.from.row), segments.map((g) => g.to.col), segments.map((g) => g.to.row)],
  );
  await db.query('COMMIT');
  const built = (Date.now() - t) / 1000;
  await db.query('VACUUM ANALYZE grid_cell');
  await db.query('VACUUM ANALYZE road_segment');
  await db.query('ANALYZE');
  return { cells_added: cells.rowCount, segments_added: segs.rowCount, insert_s: +built.toFixed(1), total_s: +((Date.now() - t) / 1000).toFixed(1) };
}

/** Sizes of what the lookups read. */
async function sizes(db) {
  const { rows: [r] } = await db.query(
    `SELECT (SELECT count(*) FROM grid_cell)::int cells, (SELECT count(*) FROM road_segment)::int segments,
            round(pg_relation_size('grid_cell_geom_gist') / 1048576.0, 1)::float8 cell_gist_mb,
            round(pg_relation_size('grid_cell') / 1048576.0, 1)::float8 cell_table_mb,
            round(pg_relation_size('road_segment_geom_gist') / 1048576.0, 1)::float8 segment_gist_mb`,
  );
  return r;
}

const pct = (a, p) => {
  const s = [...a].sort((u, v) => u - v);
  return +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(3);
};
const stats = (a) => ({ p50: pct(a, 0.5), p99: pct(a, 0.99) });
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;

/** The same pseudo-random points for the same seed. */
function pointsIn(box, seed) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return () => [box.x0 + rand() * (box.x1 - box.x0), box.y0 + rand() * (box.y1 - box.y0)];
}

/** Locates the same points at every target ({base, headers, db}) in turn; returns each target's figures and answers. */
async function measure(targets, box) {
  const next = pointsIn(box, 42);
  const params = (x, y) => [x, y, RADIUS_M, RADIUS_M / 110_000];
  const runs = targets.map(() => ({ http: [], place: [], cell: [], planning: [], execution: [], buffers: [], answers: [], inside: 0, onRoad: 0 }));
  for (let i = -WARMUP; i < points; i++) {
    const [x, y] = next();
    for (let k = 0; k < targets.length; k++) {
      const j = (((i + k) % targets.length) + targets.length) % targets.length; // who goes first alternates
      const { base, headers, db } = targets[j];
      const r = runs[j];
      if (i < 0) {
        await (await fetch(`${base}/api/v1/locate?lng=${x}&lat=${y}`, { headers })).arrayBuffer();
        await db.query(LOCATE_SQL, params(x, y));
        continue;
      }
      let t = process.hrtime.bigint();
      const res = await fetch(`${base}/api/v1/locate?lng=${x}&lat=${y}`, { headers });
      const body = await res.json();
      r.http.push(ms(t));
      if (res.status === 200) {
        r.inside++;
        if (body.road) r.onRoad++;
      }
      r.answers.push(res.status === 200 ? `${body.gridCell.code} ${body.road?.segment.ref ?? '-'} ${body.assignee?.id ?? '-'}` : String(res.status));
      t = process.hrtime.bigint();
      await db.query(LOCATE_SQL, params(x, y));
      r.place.push(ms(t));
      t = process.hrtime.bigint();
      await db.query(`SELECT code FROM grid_cell, ST_SetSRID(ST_MakePoint($1, $2), 4326) p WHERE geom && p AND ST_Covers(geom, p) ORDER BY code LIMIT 1`, [x, y]);
      r.cell.push(ms(t));
      const { rows: [{ 'QUERY PLAN': [plan] }] } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${LOCATE_SQL}`, params(x, y));
      r.planning.push(plan['Planning Time']);
      r.execution.push(plan['Execution Time']);
      r.buffers.push(plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks']);
    }
  }
  return runs.map((r) => ({
    result: {
      inside: r.inside, on_road: r.onRoad,
      http_ms: stats(r.http), place_sql_ms: stats(r.place), cell_sql_ms: stats(r.cell),
      place_planning_ms: stats(r.planning), place_execution_ms: stats(r.execution), place_buffers_p50: pct(r.buffers, 0.5),
    },
    answers: r.answers,
  }));
}

/** An intake process on database `name`, signed in as the operator. */
async function target(name, jwtSecret) {
  const port = await freePort();
  const env = {
    ...process.env, DATABASE_URL: urlOf(name), REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    JWT_SECRET: jwtSecret, INTAKE_PORT: String(port), LOG_LEVEL: 'warn', ROUTE_RADIUS_M: String(RADIUS_M),
  };
  const intake = start(process.execPath, ['dist/apps/intake/src/main.js'], env);
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy('intake', intake, `${base}/health`);
  const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'demo1234' }) })).json();
  const db = new pg.Client({ connectionString: urlOf(name) });
  await db.connect();
  clients.push(db);
  return { base, headers: { authorization: `Bearer ${login.accessToken}` }, db };
}

try {
  await admin.connect();
  for (const name of [DB, DB_LARGE]) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const jwtSecret = randomBytes(32).toString('hex');
  await run(process.execPath, ['dist/apps/cli/src/main.js', 'seed-demo', '--history-days', '0'], { ...process.env, DATABASE_URL: urlOf(DB), REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', JWT_SECRET: jwtSecret, LOG_LEVEL: 'warn' });
  const out = { bench: 'routing', date: new Date().toISOString(), points };
  let growth = null;
  if (scale > 1) {
    await admin.query(`CREATE DATABASE ${DB_LARGE} TEMPLATE ${DB}`);
    const large = new pg.Client({ connectionString: urlOf(DB_LARGE) });
    await large.connect();
    clients.push(large);
    const { rows: [{ code }] } = await large.query('SELECT code FROM district');
    growth = await grow(large, code);
  }
  const small = await target(DB, jwtSecret);
  await small.db.query('VACUUM ANALYZE');
  const { rows: [district] } = await small.db.query('SELECT ST_XMin(geom) x0, ST_YMin(geom) y0, ST_XMax(geom) x1, ST_YMax(geom) y1 FROM district');
  out.machine = { host: os.hostname(), cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, postgres: (await small.db.query('SHOW server_version')).rows[0].server_version };
  out.area = `demo district box ${district.x0.toFixed(4)},${district.y0.toFixed(4)} - ${district.x1.toFixed(4)},${district.y1.toFixed(4)} (uniform, the same points at both sizes, interleaved)`;
  if (scale === 1) {
    const [s] = await measure([small], district);
    out.small = { ...(await sizes(small.db)), ...s.result };
  } else {
    const large = await target(DB_LARGE, jwtSecret);
    const [s, l] = await measure([small, large], district);
    out.small = { ...(await sizes(small.db)), ...s.result };
    out.growth = growth;
    out.large = { ...(await sizes(large.db)), ...l.result };
    out.answers_changed = l.answers.filter((a, i) => a !== s.answers[i]).length;
    const r = (k) => +(out.large[k].p50 / out.small[k].p50).toFixed(2);
    out.ratio_http_p50 = r('http_ms');
    out.ratio_place_sql_p50 = r('place_sql_ms');
    out.ratio_cell_sql_p50 = r('cell_sql_ms');
    out.ratio_place_execution_p50 = r('place_execution_ms');
    // Over the whole grown grid: lookups spread over the whole index (no counterpart at 20k cells).
    const { rows: [whole] } = await large.db.query('SELECT ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1 FROM (SELECT ST_Extent(geom)::geometry e FROM grid_cell) g');
    out.large_whole_grid = (await measure([large], whole))[0].result;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await cleanup();
}
