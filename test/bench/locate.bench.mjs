// Benchmark: cost of GET /api/v1/locate on the demo district, p50/p99 over 1,000 random points
// inside the district, sequential, through a real intake process. Prints one JSON line.
// Uses BENCH_PG_URL (default the local server) to create a fresh database `wangge_bench`.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = new URL(server); dbUrl.pathname = '/wangge_bench';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const port = Number(process.env.BENCH_PORT ?? 3990);
const n = Number(process.env.BENCH_POINTS ?? 1000);
const env = { ...process.env, DATABASE_URL: dbUrl.toString(), REDIS_URL: redisUrl, JWT_SECRET: randomBytes(32).toString('hex'), INTAKE_PORT: String(port), LOG_LEVEL: 'warn' };

const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS wangge_bench WITH (FORCE)');
await admin.query('CREATE DATABASE wangge_bench');
execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'seed-demo'], { env, stdio: 'ignore' });

const db = new pg.Client({ connectionString: dbUrl.toString() });
await db.connect();
const { rows: [box] } = await db.query('SELECT ST_XMin(geom) x0, ST_YMin(geom) y0, ST_XMax(geom) x1, ST_YMax(geom) y1, (SELECT count(*) FROM grid_cell)::int cells FROM district');
const intake = spawn(process.execPath, ['dist/apps/intake/src/main.js'], { env, stdio: 'ignore' });
try {
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* not up yet */ }
    if (i > 100) throw new Error('intake did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'demo1234' }) })).json();
  const headers = { authorization: `Bearer ${login.accessToken}` };
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const point = () => [box.x0 + rand() * (box.x1 - box.x0), box.y0 + rand() * (box.y1 - box.y0)];
  for (let i = 0; i < 100; i++) { const [x, y] = point(); await (await fetch(`${base}/api/v1/locate?lng=${x}&lat=${y}`, { headers })).arrayBuffer(); }
  const http = [], sql = [];
  let onRoad = 0, inside = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = point();
    let t = process.hrtime.bigint();
    const res = await fetch(`${base}/api/v1/locate?lng=${x}&lat=${y}`, { headers });
    const body = await res.json();
    http.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (res.status === 200) { inside++; if (body.road) onRoad++; }
    t = process.hrtime.bigint();
    await db.query(`EXPLAIN ANALYZE SELECT 1 FROM grid_cell WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`, [x, y]);
    sql.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const pct = (a, p) => { const s = [...a].sort((u, v) => u - v); return +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2); };
  console.log(JSON.stringify({ bench: 'locate', date: new Date().toISOString(), cells: box.cells, points: n, inside, onRoad,
    http_p50_ms: pct(http, 0.5), http_p99_ms: pct(http, 0.99), cell_sql_p50_ms: pct(sql, 0.5), cell_sql_p99_ms: pct(sql, 0.99) }));
} finally {
  intake.kill('SIGTERM');
  await db.end();
  await admin.query('DROP DATABASE IF EXISTS wangge_bench WITH (FORCE)');
  await admin.end();
}
