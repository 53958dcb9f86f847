// Benchmark: the going-live steps of the README on the demo district's own files (20,000 cells).
// The demo is seeded into a scratch database and exported as a real district would bring it
// (cells.geojson with codes only, roads.geojson, chiefs.csv); then, on an empty database, each step
// runs as a user runs it (`node dist/apps/cli/src/main.js setup|import`) and is timed. Prints the
// figures and one JSON line. Needs PostgreSQL + PostGIS (TEST_PG_URL or 127.0.0.1:5432, user postgres).
//
//   usage: npm run bench:golive
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const SERVER = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const urlOf = (name) => { const u = new URL(SERVER); u.pathname = `/${name}`; return u.toString(); };
const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
const names = [`wangge_bench_demo_${randomBytes(3).toString('hex')}`, `wangge_bench_live_${randomBytes(3).toString('hex')}`];
for (const n of names) await admin.query(`CREATE DATABASE "${n}"`);
const [demoUrl, liveUrl] = names.map(urlOf);
const dir = mkdtempSync(join(tmpdir(), 'wangge-golive-bench-'));
const env = (url) => ({ ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: url, JWT_SECRET: randomBytes(32).toString('hex'), DISTRICT_CODE: undefined });
const cli = (args, url, extra = {}) => {
  const t0 = performance.now();
  execFileSync(process.execPath, ['dist/apps/cli/src/main.js', ...args], { env: { ...env(url), ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - t0;
};
const secs = (ms) => Math.round(ms / 100) / 10;

try {
  // The demo district, exported as a district's own files.
  cli(['seed-demo', '--history-days', '0'], demoUrl, { DISTRICT_CODE: '410104' });
  const demo = new pg.Client({ connectionString: demoUrl });
  await demo.connect();
  const cells = (await demo.query(`SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
      'type', 'Feature', 'properties', json_build_object('code', code), 'geometry', ST_AsGeoJSON(geom, 7)::json) ORDER BY code)) AS fc FROM grid_cell`)).rows[0].fc;
  const roads = (await demo.query(`SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
      'type', 'Feature', 'properties', json_build_object('name', r.name, 'roadId', r.ref, 'segmentId', s.ref), 'geometry', ST_AsGeoJSON(s.geom, 7)::json)
      ORDER BY r.ref, s.seq)) AS fc FROM road_segment s JOIN road r ON r.id = s.road_id`)).rows[0].fc;
  const chiefs = (await demo.query(`SELECT u.username, u.name, coalesce(u.phone, '') AS phone, c.level,
      coalesce(sc.street_code, sc.community_code, rs.ref, r.ref) AS scope
      FROM road_chief c JOIN app_user u ON u.id = c.user_id JOIN road_chief_scope sc ON sc.chief_id = c.id
      LEFT JOIN road r ON r.id = sc.road_id LEFT JOIN road_segment rs ON rs.id = sc.segment_id ORDER BY c.level, u.username, scope`)).rows;
  await demo.end();
  const files = {
    cells: join(dir, 'cells.geojson'),
    roads: join(dir, 'roads.geojson'),
    chiefs: join(dir, 'chiefs.csv'),
  };
  writeFileSync(files.cells, JSON.stringify(cells));
  writeFileSync(files.roads, JSON.stringify(roads));
  writeFileSync(files.chiefs, ['username,name,phone,level,scope', ...chiefs.map((c) => [c.username, c.name, c.phone, c.level, c.scope].join(','))].join('\n') + '\n');

  // The README's steps on an empty database.
  const setupMs = cli(['setup', '--district', '410104'], liveUrl, { ADMIN_PASSWORD: 'Guancheng-Admin-2026' });
  const importMs = cli(['import', files.cells, files.roads, files.chiefs], liveUrl);
  const live = new pg.Client({ connectionString: liveUrl });
  await live.connect();
  const counts = (await live.query(`SELECT (SELECT count(*) FROM grid_cell)::int AS cells, (SELECT count(*) FROM street)::int AS streets,
      (SELECT count(*) FROM community)::int AS communities, (SELECT count(*) FROM road_segment)::int AS segments,
      (SELECT count(*) FROM road_chief)::int AS chiefs, (SELECT count(*) FROM app_user)::int AS users`)).rows[0];
  await live.end();
  const size = (f) => Math.round(statSync(f).size / 1024);
  console.log(`files: cells.geojson ${size(files.cells)} KiB (${cells.features.length} cells), roads.geojson ${size(files.roads)} KiB (${roads.features.length} segments), chiefs.csv ${chiefs.length} lines`);
  console.log(`npm run setup: ${secs(setupMs)} s (a CLI process: migrations, district, catalogue, calendar, first admin)`);
  console.log(`npm run import: ${secs(importMs)} s (a CLI process: ${counts.cells} cells, ${counts.streets} streets and ${counts.communities} communities created from the codes, ${counts.segments} segments, ${counts.chiefs} chiefs with accounts)`);
  console.log(JSON.stringify({ bench: 'golive', setupSeconds: secs(setupMs), importSeconds: secs(importMs), ...counts }));
} finally {
  for (const n of names) await admin.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
