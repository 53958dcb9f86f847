// Benchmark: the demo's history. On an empty database, `seed-demo --history-days 30` (as `npm run
// seed:demo` runs it) builds the district, then simulates 30 days of cases through the workflow's
// rules and writes them, then computes the evaluation and the past days' bulletins. Prints the time
// of each part (from the seed's own log lines) and one JSON line. Needs PostgreSQL + PostGIS
// (TEST_PG_URL or 127.0.0.1:5432, user postgres).
//
//   usage: npm run bench:history [-- --history-days N --seed N]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const SERVER = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const urlOf = (name) => { const u = new URL(SERVER); u.pathname = `/${name}`; return u.toString(); };
const args = process.argv.slice(2);
const days = Number(args[args.indexOf('--history-days') + 1] || 30) || 30;
const seed = args.includes('--seed') ? args[args.indexOf('--seed') + 1] : '1';
const name = `wangge_bench_history_${randomBytes(3).toString('hex')}`;
const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
try {
  const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: urlOf(name), JWT_SECRET: randomBytes(32).toString('hex') };
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'seed-demo', '--history-days', String(days), '--seed', seed], { env, encoding: 'utf8' });
  const totalS = (performance.now() - t0) / 1000;
  const history = /history: (\d+) cases over (\d+) days .*?, (\d+) events.*\(([\d.]+) s\)/.exec(out);
  const bulletins = /evaluation and bulletins of the history: (\d+) daily summaries, (\d+) weekly bulletins \(([\d.]+) s\)/.exec(out);
  if (!history || !bulletins) throw new Error(`seed-demo printed no history lines:\n${out}`);
  const result = {
    days: Number(history[2]),
    cases: Number(history[1]),
    events: Number(history[3]),
    historyS: Number(history[4]),
    bulletinsS: Number(bulletins[3]),
    daily: Number(bulletins[1]),
    weekly: Number(bulletins[2]),
    seedTotalS: Math.round(totalS * 10) / 10,
  };
  console.log(`history of ${result.days} days: ${result.cases} cases, ${result.events} events simulated and written in ${result.historyS} s`);
  console.log(`evaluation and bulletins of those days: ${result.daily} daily summaries, ${result.weekly} weekly bulletins in ${result.bulletinsS} s`);
  console.log(`seed-demo in all (district, people, history, bulletins): ${result.seedTotalS} s`);
  console.log(JSON.stringify({ bench: 'history', ...result }));
} finally {
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
