import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource, MIGRATIONS, runMigrations } from '@wangge/database';
import { type EmbeddedPostgres, freePort, PidLockError, startEmbeddedPostgres } from '@wangge/database';

/**
 * The embedded PostgreSQL (PGlite + PostGIS behind the socket server) as the apps use it: several
 * pooled connections at once, transactions from all of them, PostGIS, and data that survives a restart.
 */
describe('embedded PostgreSQL', () => {
  const root = mkdtempSync(join(tmpdir(), 'wangge-embedded-pg-'));
  const dataDir = join(root, 'pg');
  let pg: EmbeddedPostgres;
  let pool: Pool;

  beforeAll(async () => {
    pg = await startEmbeddedPostgres({ dataDir, port: await freePort(0) });
    pool = new Pool({ connectionString: pg.url, max: 4 });
  });

  afterAll(async () => {
    await pool?.end().catch(() => undefined);
    await pg?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves PostGIS over an ordinary postgres:// URL', async () => {
    expect(pg.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');
    const { rows } = await pool.query<{ version: string }>('SELECT postgis_lib_version() AS version');
    expect(rows[0].version).toMatch(/^3\./);
  });

  it('keeps 4 pooled connections apart: concurrent transactions see only their own work', async () => {
    await pool.query(`CREATE TABLE spot (id serial PRIMARY KEY, worker int NOT NULL, geom geometry(Point, 4326) NOT NULL)`);
    const worker = async (id: number): Promise<number[]> => {
      const seen: number[] = [];
      for (let round = 0; round < 5; round++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          for (let i = 0; i < 3; i++) {
            await client.query('INSERT INTO spot (worker, geom) VALUES ($1, ST_SetSRID(ST_MakePoint($2, $3), 4326))', [
              id,
              113.68 + id * 0.001 + i * 0.0001,
              34.74 + round * 0.0001,
            ]);
          }
          const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM spot WHERE worker = $1', [id]);
          seen.push(rows[0].n);
          // Worker 3 throws its third round away: the rows must vanish, the others must not notice.
          await client.query(id === 3 && round === 2 ? 'ROLLBACK' : 'COMMIT');
        } finally {
          client.release();
        }
      }
      return seen;
    };
    const seen = await Promise.all([0, 1, 2, 3].map(worker));
    expect(seen.slice(0, 3)).toEqual([0, 1, 2].map(() => [3, 6, 9, 12, 15]));
    expect(seen[3]).toEqual([3, 6, 9, 9, 12]);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM spot');
    expect(rows[0].n).toBe(3 * 15 + 12);
    expect(pool.totalCount).toBe(4);
  });

  it('answers parameterised statements from all connections without mixing them up', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2
          ? pool.query<{ a: number }>('SELECT $1::int AS a', [i]).then((r) => r.rows[0].a === i)
          : pool.query<{ b: string; c: number }>('SELECT $1::text AS b, $2::int AS c', [`x${i}`, i]).then((r) => r.rows[0].b === `x${i}` && r.rows[0].c === i),
      ),
    );
    expect(results.every(Boolean)).toBe(true);
    const failed = await Promise.allSettled([pool.query('SELECT 1 / $1::int', [0]), pool.query('SELECT $1::int AS ok', [7])]);
    expect(failed[0].status).toBe('rejected');
    expect(failed[1]).toMatchObject({ status: 'fulfilled', value: { rows: [{ ok: 7 }] } });
  });

  it('builds a GiST index and answers ST_Covers with geography casts', async () => {
    await pool.query('CREATE INDEX spot_geom_gist ON spot USING gist (geom)');
    await pool.query('ANALYZE spot');
    const { rows } = await pool.query<{ n: number; nearest: number }>(
      `SELECT count(*)::int AS n,
              min(ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography)) AS nearest
         FROM spot
        WHERE ST_Covers(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, 50)::geometry, geom)`,
      [113.68, 34.74],
    );
    expect(rows[0].n).toBeGreaterThan(0);
    expect(rows[0].nearest).toBeLessThan(1);
  });

  it('runs the migrations through TypeORM on a pool of 4, then concurrent TypeORM transactions', async () => {
    const ds = createDataSource({ url: pg.url, poolSize: 4, applicationName: 'embedded-test', preparedStatements: false });
    await ds.initialize();
    try {
      expect((await runMigrations(ds)).length).toBeGreaterThan(0);
      const inserted = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          ds.transaction(async (tx) => {
            await tx.query(`INSERT INTO holiday (date, kind, name, name_en) VALUES ($1, 'holiday', $2, $2)`, [`2030-01-0${i + 1}`, `h${i}`]);
            const [{ n }] = await tx.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM holiday WHERE name = $1`, [`h${i}`]);
            return n;
          }),
        ),
      );
      expect(inserted).toEqual(Array.from({ length: 8 }, () => 1));
    } finally {
      await ds.destroy();
    }
  });

  it('refuses a second server on the same data directory', async () => {
    await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toBeInstanceOf(PidLockError);
  });

  it('keeps the data across a clean stop and start', async () => {
    await pool.end();
    await pg.stop();
    pg = await startEmbeddedPostgres({ dataDir, port: 0 });
    pool = new Pool({ connectionString: pg.url, max: 2 });
    const { rows } = await pool.query<{ n: number; holidays: number; migrations: number }>(
      `SELECT (SELECT count(*)::int FROM spot) AS n,
              (SELECT count(*)::int FROM holiday) AS holidays,
              (SELECT count(*)::int FROM schema_migrations) AS migrations`,
    );
    expect(rows[0]).toEqual({ n: 57, holidays: 8, migrations: MIGRATIONS.length });
    const covered = await pool.query<{ ok: boolean }>(
      `SELECT ST_Covers(ST_MakeEnvelope(113, 34, 114, 35, 4326), ST_SetSRID(ST_MakePoint(113.68, 34.74), 4326)) AS ok`,
    );
    expect(covered.rows[0].ok).toBe(true);
  });
});
