// Benchmark: the inspection clock at 1,000 places on a 4-hour plan (issue 17). On a scratch database
// `wangge_bench_insp` (migrated, demo seeded; dropped at the end) and the Redis at REDIS_URL (under the
// scratch database's own key prefix, removed at the end), with a dispatcher in this process on a
// ManualClock: the time to make one slot due (rows, timers, feed events: one transaction), a day of
// six slots driven by the sweeper and the dispatcher's handlers (each timer marks its row and makes
// the next slot), the sweep's duration, and the rows and timers a day makes. Prints one JSON line.
// BENCH_PLACES changes the number of places. Run: npm run bench:inspections.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { ManualClock } from '@wangge/clock';
import { loadAppConfig } from '@wangge/config';
import { createDataSource, runMigrations } from '@wangge/database';
import { seedDemo } from '@wangge/demo';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { InspectionClockService } from '@wangge/places';
import { InspectionSweeper } from '../../apps/dispatcher/src/clocks/inspection-sweeper';
import { createDispatcherApp } from '../../apps/dispatcher/src/dispatcher.app';

const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = 'wangge_bench_insp';
const dbUrl = new URL(server);
dbUrl.pathname = `/${dbName}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const places = Number(process.env.BENCH_PLACES ?? 1000);
const HOUR = 3_600_000;
const ms = (t: bigint) => Math.round(Number(process.hrtime.bigint() - t) / 1e6);

async function onServer(sql: string): Promise<void> {
  const c = new Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  await onServer(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${dbName}`);
  const ds = createDataSource({ url: dbUrl.toString(), poolSize: 2 });
  await ds.initialize();
  await runMigrations(ds);
  await seedDemo(ds, { districtCode: '410104', demoPassword: 'demo1234', history: { days: 0 } });
  await ds.destroy();

  const db = new Client({ connectionString: dbUrl.toString() });
  await db.connect();
  // 1,000 sites in as many cells, each with a warden of the district as its responsible person.
  await db.query(
    `INSERT INTO place (kind, name, geom, point, responsible_id, grid_cell_code, community_code, street_code)
     SELECT 'site', 'bench site ' || n, p, p, (SELECT id FROM app_user WHERE role = 'warden' ORDER BY username OFFSET n % 10 LIMIT 1), code, community_code, street_code
       FROM (SELECT row_number() OVER (ORDER BY code) AS n, code, community_code, street_code, ST_PointOnSurface(geom) AS p FROM grid_cell) c
      WHERE n <= $1`,
    [places],
  );
  const clock = new ManualClock(new Date(Date.now() + 30 * 24 * HOUR));
  const from = clock.now();
  const config = loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redisUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    DISPATCHER_PORT: '0',
    SWEEP_INTERVAL_MS: '3600000',
    OUTBOX_POLL_MS: '50',
  });
  const app = await createDispatcherApp(config, { clock });
  await app.listen(0, '127.0.0.1');
  const keys = app.get<RedisNamespace>(REDIS_NAMESPACE);
  const inspections = app.get(InspectionClockService);
  const sweeper = app.get(InspectionSweeper);
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);

  const [{ id: checklistId }] = (await db.query(`SELECT id FROM checklist WHERE name = '工地"8个100%"'`)).rows;
  const [{ id: createdBy }] = (await db.query(`SELECT id FROM app_user WHERE username = 'leader'`)).rows;
  const [{ id: planId }] = (
    await db.query(`INSERT INTO inspection_plan (checklist_id, every, every_ms, from_at, created_by, created_at) VALUES ($1, 'PT4H', $2, $3, $4, $3) RETURNING id`, [
      checklistId,
      4 * HOUR,
      from,
      createdBy,
    ])
  ).rows;
  await db.query(`INSERT INTO inspection_plan_place (plan_id, place_id) SELECT $1, id FROM place`, [planId]);

  // One slot made due at every place: rows, outbox timers and feed events, one transaction.
  let t = process.hrtime.bigint();
  const dataSource = app.get(DataSource);
  const first = await dataSource.transaction((m) => inspections.makeCurrent(m, { id: planId, everyMs: 4 * HOUR, from, to: null }, clock.now()));
  const makeSlotMs = ms(t);
  const outboxAfterSlot = await count(`SELECT count(*) AS n FROM outbox`);

  // A day: six deadlines. At each, a third of the places were inspected in time; the sweeper sends the
  // due timers and the handlers mark the rest missed (escalated, announced) and make the next slot.
  const sweeps: number[] = [];
  const slots: number[] = [];
  for (let slot = 0; slot < 6; slot++) {
    await db.query(
      `UPDATE inspection_due SET state = 'done', done_at = slot_start + interval '1 hour' WHERE plan_id = $1 AND handled_at IS NULL AND state = 'due' AND hashtext(place_id::text) % 3 = 0`,
      [planId],
    );
    clock.set(new Date(from.getTime() + (slot + 1) * 4 * HOUR + 11_000));
    t = process.hrtime.bigint();
    await sweeper.sweep(false);
    sweeps.push(ms(t));
    for (;;) {
      const left = await count(`SELECT count(*) AS n FROM inspection_due WHERE handled_at IS NULL AND due_at < $1`, [clock.now()]);
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    slots.push(ms(t));
  }
  const rows = await count(`SELECT count(*) AS n FROM inspection_due WHERE plan_id = $1`, [planId]);
  const missed = await count(`SELECT count(*) AS n FROM inspection_due WHERE plan_id = $1 AND state = 'missed'`, [planId]);
  t = process.hrtime.bigint();
  const rebuilt = await sweeper.sweep(true);
  const fullSweepMs = ms(t);

  await app.close();
  await db.end();
  const redis = new Redis(redisUrl);
  let removed = 0;
  for (let cursor = '0'; ; ) {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.prefix}*`, 'COUNT', 1000);
    if (found.length > 0) removed += await redis.unlink(...found);
    cursor = next;
    if (cursor === '0') break;
  }
  redis.disconnect();
  await onServer(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  console.log(
    JSON.stringify({
      bench: 'inspections',
      places,
      every: 'PT4H',
      makeSlot: { rows: first, ms: makeSlotMs, outboxRows: outboxAfterSlot },
      day: { slots: 6, rowsPerDay: rows - first, timersPerDay: rows - first, missed, perSlotMs: slots, sweepMs: sweeps },
      fullSweep: { pending: rebuilt.due, ms: fullSweepMs },
      redisKeysRemoved: removed,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
