// Benchmark: GET /api/v1/evaluation over a generated year of 1,000,000 cases with realistic event
// histories (about 6 events a case), for each groupBy, through a real intake process. Prints one
// JSON line. The cases and events are generated in SQL with generate_series in a scratch database
// `wangge_bench_eval` (dropped at the end). BENCH_CASES changes the number of cases; BENCH_DB names another
// scratch database and BENCH_KEEP=1 keeps it (to profile queries on it afterwards).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { run, start, stop, sleep } from './support/processes.mjs';

const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = process.env.BENCH_DB ?? 'wangge_bench_eval';
if (!/^wangge_bench_\w+$/.test(dbName)) throw new Error(`BENCH_DB must be wangge_bench_<name>, not ${dbName}`);
const keep = process.env.BENCH_KEEP === '1';
const dbUrl = new URL(server); dbUrl.pathname = `/${dbName}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const port = Number(process.env.BENCH_PORT ?? 3991);
const cases = Number(process.env.BENCH_CASES ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const env = { ...process.env, DATABASE_URL: dbUrl.toString(), REDIS_URL: redisUrl, JWT_SECRET: randomBytes(32).toString('hex'), INTAKE_PORT: String(port), LOG_LEVEL: 'warn' };
const ms = (t) => Math.round(Number(process.hrtime.bigint() - t) / 1e6);

/** One year (2025, local +08:00) of cases: ~92% closed (10% reworked, 7.7% extended, 14% late), 2% merged, 3% rejected, 1% cancelled, 2% open. */
const GENERATE = `
  CREATE TEMP TABLE cells AS SELECT (row_number() OVER (ORDER BY code))::int - 1 AS n, code, street_code, community_code, ST_PointOnSurface(geom) AS p FROM grid_cell;
  CREATE TEMP TABLE chiefs AS SELECT (row_number() OVER (ORDER BY id))::int - 1 AS n, id, level FROM road_chief;
  CREATE TEMP TABLE stds AS SELECT (row_number() OVER (ORDER BY id))::int - 1 AS n, id, category_code,
         CASE clock_type WHEN 'natural_days' THEN time_limit_value * interval '24 hours' WHEN 'work_days' THEN time_limit_value * interval '24 hours'
              ELSE time_limit_value * interval '1 hour' END AS lim
    FROM category_standard;
  CREATE TEMP TABLE plan AS
  SELECT g, k, gen_random_uuid() AS id,
         timestamptz '2025-01-01 00:00+08' + ((g - 1) / per_day) * interval '1 day' + (((g - 1) % per_day) * 86400 / per_day) * interval '1 second' AS t0,
         ((g - 1) / per_day) AS day, ((g - 1) % per_day) + 1 AS seq,
         (SELECT count(*) FROM cells)::int AS ncells
    FROM (SELECT g, abs(hashint4(g)) % 1000 AS k, ceil($1::numeric / 365)::int AS per_day FROM generate_series(1, $1::int) g) s;
  ALTER TABLE plan ADD COLUMN cell int, ADD COLUMN chief int, ADD COLUMN std int;
  UPDATE plan SET cell = abs(hashint4(g * 7)) % ncells, chief = abs(hashint4(g * 13)) % (SELECT count(*) FROM chiefs)::int,
                  std = abs(hashint4(g * 17)) % (SELECT count(*) FROM stds)::int;
  CREATE TEMP TABLE p AS
  SELECT pl.g, pl.k, pl.id, pl.t0, pl.day, pl.seq, c.code AS cell, c.street_code, c.community_code, c.p, ch.id AS chief_id, ch.level, s.id AS std_id, s.category_code, s.lim,
         CASE WHEN pl.k < 20 AND pl.g > 1 THEN 'merged' WHEN pl.k < 50 THEN 'rejected' WHEN pl.k < 60 THEN 'cancelled' WHEN pl.k < 80 THEN 'open' ELSE 'closed' END AS fate,
         pl.k % 10 = 0 AS rework, pl.k % 13 = 0 AS extend, pl.k % 7 = 0 AS late
    FROM plan pl JOIN cells c ON c.n = pl.cell JOIN chiefs ch ON ch.n = pl.chief JOIN stds s ON s.n = pl.std;
  ALTER TABLE p ADD COLUMN dispatched timestamptz, ADD COLUMN deadline timestamptz, ADD COLUMN deadline2 timestamptz, ADD COLUMN resolved timestamptz;
  UPDATE p SET dispatched = t0 + interval '10 minutes', deadline = t0 + interval '10 minutes' + lim;
  UPDATE p SET deadline2 = CASE WHEN extend THEN deadline + interval '24 hours' ELSE deadline END;
  UPDATE p SET resolved = dispatched + (deadline2 - dispatched) * CASE WHEN late THEN 1.5 ELSE 0.5 END;
  CREATE INDEX ON p (g);
  SET session_replication_role = replica;
  INSERT INTO case_file (id, code, status, category_code, standard_id, description, location, reported_coord_system, reported_lng, reported_lat,
                         grid_cell_code, street_code, community_code, source, tracking_token_hash, assignee_chief_id, merged_into, created_at)
  SELECT p.id, '410104-' || to_char(date '2025-01-01' + p.day::int, 'YYYYMMDD') || '-' || lpad(p.seq::text, 6, '0'),
         CASE fate WHEN 'open' THEN 'in_progress' ELSE fate END, p.category_code, p.std_id, 'generated', p.p, 'wgs84', ST_X(p.p), ST_Y(p.p),
         p.cell, p.street_code, p.community_code, 'warden', md5(p.g::text) || md5('x' || p.g), CASE WHEN fate = 'open' THEN p.chief_id END,
         CASE WHEN fate = 'merged' THEN (SELECT q.id FROM p q WHERE q.g = greatest(p.g - 1, 1) AND q.g <> p.g) END, p.t0
    FROM p;
  INSERT INTO case_event (case_id, type, actor_role, from_status, to_status, evidence, state, at)
  SELECT p.id, e.type, 'system', NULL, e.to_status, e.evidence, e.state, e.at
    FROM p
    CROSS JOIN LATERAL (
      SELECT jsonb_build_object('assignee', jsonb_build_object('id', p.chief_id, 'name', '', 'level', p.level), 'escalationLevel', 0, 'escalatedTo', '[]'::jsonb,
                                'deadlineAt', to_char(p.deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'overdue', false) AS s1,
             jsonb_build_object('assignee', jsonb_build_object('id', p.chief_id, 'name', '', 'level', p.level), 'escalationLevel', 0, 'escalatedTo', '[]'::jsonb,
                                'deadlineAt', to_char(p.deadline2 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'overdue', false) AS s2
    ) st
    CROSS JOIN LATERAL (VALUES
      (1, 'case.reported', 'reported', '{}'::jsonb, '{}'::jsonb, p.t0, true),
      (2, 'case.merged', 'merged', '{}'::jsonb, '{}'::jsonb, p.t0 + interval '30 minutes', p.fate = 'merged'),
      (3, 'case.rejected', 'rejected', '{}'::jsonb, '{}'::jsonb, p.t0 + interval '30 minutes', p.fate = 'rejected'),
      (4, 'case.registered', 'registered', '{}'::jsonb, '{}'::jsonb, p.t0 + interval '5 minutes', p.fate IN ('cancelled', 'open', 'closed')),
      (5, 'case.dispatched', 'dispatched', jsonb_build_object('assignee', st.s1 -> 'assignee'), st.s1, p.dispatched, p.fate IN ('cancelled', 'open', 'closed')),
      (6, 'case.accepted', 'in_progress', '{}'::jsonb, st.s1, p.dispatched + interval '20 minutes', p.fate IN ('cancelled', 'open', 'closed')),
      (7, 'case.cancelled', 'cancelled', '{}'::jsonb, st.s1, p.dispatched + interval '1 hour', p.fate = 'cancelled'),
      (8, 'case.extended', 'in_progress', jsonb_build_object('hours', 24), st.s2, p.dispatched + interval '30 minutes', p.extend AND p.fate IN ('open', 'closed')),
      (9, 'case.overdue', 'in_progress', '{}'::jsonb, st.s2, p.deadline2, (p.late AND p.fate = 'closed') OR (p.fate = 'open' AND p.deadline2 < now())),
      (10, 'case.resolved', 'resolved', '{}'::jsonb, st.s2, p.resolved, p.fate = 'closed'),
      (11, 'case.reworked', 'in_progress', '{}'::jsonb, st.s2, p.resolved + interval '1 hour', p.fate = 'closed' AND p.rework),
      (12, 'case.resolved', 'resolved', '{}'::jsonb, st.s2, p.resolved + interval '3 hours', p.fate = 'closed' AND p.rework),
      (13, 'case.closed', 'closed', '{}'::jsonb, st.s2, p.resolved + CASE WHEN p.rework THEN interval '4 hours' ELSE interval '1 hour' END, p.fate = 'closed')
    ) AS e(n, type, to_status, evidence, state, at, wanted)
   WHERE e.wanted;
  SET session_replication_role = DEFAULT;
  ANALYZE case_file; ANALYZE case_event;`;

const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${dbName}`);
let intake;
const db = new pg.Client({ connectionString: dbUrl.toString() });
try {
  await run(process.execPath, ['dist/apps/cli/src/main.js', 'seed-demo', '--history-days', '0'], env);
  await db.connect();
  let t = process.hrtime.bigint();
  for (const statement of GENERATE.split(';').map((s) => s.trim()).filter(Boolean)) {
    await db.query(statement, statement.includes('$1') ? [cases] : []);
  }
  const generateMs = ms(t);
  const { rows: [size] } = await db.query(`SELECT (SELECT count(*) FROM case_file)::int AS cases, (SELECT count(*) FROM case_event)::int AS events`);

  // The facts are built on the first evaluation; the initial build of a whole year is timed here.
  const { REFRESH_FACTS_SQL } = await import('../../dist/libs/evaluation/src/facts/evaluation-facts.sql.js');
  const { REBUILD_ROLLUPS_SQL } = await import('../../dist/libs/evaluation/src/facts/evaluation-rollup.sql.js');
  const { evaluationSql, rollupEvaluationSql } = await import('../../dist/libs/evaluation/src/evaluation.sql.js');
  t = process.hrtime.bigint();
  const { rows: [top] } = await db.query(`SELECT max(seq) AS seq FROM case_event`);
  await db.query(REFRESH_FACTS_SQL, [0, top.seq, 480]);
  await db.query(`UPDATE evaluation_watermark SET last_seq = $1`, [top.seq]);
  await db.query(`ANALYZE evaluation_case_fact`);
  const factBuildMs = ms(t);
  // The daily rollups from the facts (what the first refresh does on a database without them).
  t = process.hrtime.bigint();
  for (const sql of REBUILD_ROLLUPS_SQL) await db.query(sql, sql.includes('$1') ? [480] : []);
  await db.query(`UPDATE evaluation_watermark SET rollup_offset_minutes = 480`);
  await db.query(`ANALYZE evaluation_daily`);
  const rollupBuildMs = ms(t);
  const { rows: [rollupSize] } = await db.query(`SELECT count(*)::int AS n FROM evaluation_daily`);

  intake = start(process.execPath, ['dist/apps/intake/src/main.js'], env);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* not up yet */ }
    if (i > 150) throw new Error(`intake did not start:\n${intake.tail}`);
    await sleep(200);
  }
  const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'leader', password: 'demo1234' }) })).json();
  const headers = { authorization: `Bearer ${login.accessToken}` };
  const get = async (query) => {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${base}/api/v1/evaluation?${query}`, { headers });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: ms(t0), body };
  };
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const year = 'from=2025-01-01&to=2025-12-31';
  const result = {};
  for (const groupBy of ['chief', 'street', 'community', 'category']) {
    await get(`${year}&groupBy=${groupBy}`);
    const times = [];
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const r = await get(`${year}&groupBy=${groupBy}`);
      times.push(r.ms);
      rows = r.body.rows.length;
    }
    result[groupBy] = { year_median_ms: median(times), year_max_ms: Math.max(...times), rows };
  }
  const week = [];
  for (let i = 0; i < runs; i++) week.push((await get('from=2025-06-02&to=2025-06-08&groupBy=chief')).ms);
  const day = [];
  for (let i = 0; i < runs; i++) day.push((await get('from=2025-06-02&to=2025-06-02&groupBy=street')).ms);

  // A date-time period (not local midnights) is counted from the facts, as before the rollups.
  const dayTimes = [];
  for (let i = 0; i < runs; i++) dayTimes.push((await get('from=2025-06-02T10:00:00%2B08:00&to=2025-06-03T10:00:00%2B08:00&groupBy=street')).ms);

  // The fact scan alone (the engine's query before the rollups; still the one for street- and chief-scoped periods), in SQL.
  const sqlMs = async (sql, params) => {
    const times = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      const t0 = process.hrtime.bigint();
      await db.query(sql, params);
      times.push(ms(t0));
    }
    return median(times);
  };
  const yearRange = [new Date('2024-12-31T16:00:00Z'), new Date('2025-12-31T16:00:00Z')];
  const weekRange = [new Date('2025-06-01T16:00:00Z'), new Date('2025-06-08T16:00:00Z')];
  const factScan = {
    year_chief_ms: await sqlMs(evaluationSql('chief', []), yearRange),
    year_street_ms: await sqlMs(evaluationSql('street', []), yearRange),
    week_chief_ms: await sqlMs(evaluationSql('chief', []), weekRange),
    year_one_street_by_chief_ms: await sqlMs(evaluationSql('chief', ['street_code = $3']), [...yearRange, '410104001']),
    year_one_chief_by_category_ms: await sqlMs(evaluationSql('category', ['chief_id = $3']), [...yearRange, 1]),
  };

  // Incremental refresh: 1,000 new events on 1,000 cases, then one query (which refreshes their facts first).
  await db.query(`INSERT INTO case_event (case_id, type, actor_role, to_status, at)
                  SELECT id, 'case.commented', 'system', status, timestamptz '2025-12-31 12:00+08' FROM case_file ORDER BY id LIMIT 1000`);
  const afterNew = (await get(`${year}&groupBy=street`)).ms;

  const explain = async (sql, params, serial = false) => {
    await db.query(`SET max_parallel_workers_per_gather = ${serial ? 0 : 2}`);
    return (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN'][0];
  };
  const nodes = (plan) => {
    const out = [];
    const walk = (n, depth) => {
      out.push(`${' '.repeat(depth)}${n['Node Type']}${n['Index Name'] ? ` (${n['Index Name']})` : n['Relation Name'] ? ` on ${n['Relation Name']}` : ''} rows=${n['Actual Rows']} ${Math.round(n['Actual Total Time'])}ms`);
      for (const c of n.Plans ?? []) walk(c, depth + 1);
    };
    walk(plan.Plan, 0);
    return { execution_ms: Math.round(plan['Execution Time']), nodes: out.filter((l) => /Scan|Aggregate|Gather|BitmapOr/.test(l)) };
  };
  const days = (range) => range.map((d) => new Date(d.getTime() + 480 * 60_000).toISOString().slice(0, 10));
  const plans = {
    rollup_year_street: nodes(await explain(rollupEvaluationSql('street'), [...yearRange, 'street', ...days(yearRange)], true)),
    rollup_week_chief: nodes(await explain(rollupEvaluationSql('chief'), [...weekRange, 'chief', ...days(weekRange)], true)),
    facts_year_street: nodes(await explain(evaluationSql('street', []), yearRange)),
  };
  console.log(JSON.stringify({
    bench: 'evaluation', date: new Date().toISOString(), cases: size.cases, events: size.events, generate_ms: generateMs, fact_build_ms: factBuildMs,
    rollup_build_ms: rollupBuildMs, rollup_rows: rollupSize.n,
    year: result, week_chief_median_ms: median(week), day_street_median_ms: median(day), datetime_day_street_median_ms: median(dayTimes),
    year_street_after_1000_new_events_ms: afterNew, fact_scan_sql: factScan, plans,
  }));
} finally {
  if (intake) await stop(intake);
  await db.end().catch(() => {});
  if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
