import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, freePort, runMigrations, startEmbeddedPostgres, type EmbeddedPostgres } from '@wangge/database';
import { DivisionOutlines } from '@wangge/geo';

/** A 100 m square cell (in degrees, near 34.7°N) at column `i`, row `j` of a small district. */
const square = (i: number, j: number) => {
  // written to 4 decimals, so that neighbours share their corners exactly, as a grid's cells do
  const [x0, y0, x1, y1] = [113.6 + i * 0.0011, 34.7 + j * 0.0009, 113.6 + (i + 1) * 0.0011, 34.7 + (j + 1) * 0.0009].map((n) => n.toFixed(4));
  return `MULTIPOLYGON(((${x0} ${y0}, ${x1} ${y0}, ${x1} ${y1}, ${x0} ${y1}, ${x0} ${y0})))`;
};

/**
 * The map's outlines in embedded mode (PGlite + PostGIS): the same migration (trigger, table) and
 * the same dissolve as on the server, on a district of two streets, three communities and 3×2
 * cells each.
 */
describe('division outlines on the embedded PostgreSQL', () => {
  const root = mkdtempSync(join(tmpdir(), 'wangge-embedded-outlines-'));
  let pg: EmbeddedPostgres;
  let ds: DataSource;
  let outlines: DivisionOutlines;

  beforeAll(async () => {
    pg = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), port: await freePort(0) });
    ds = createDataSource({ url: pg.url, poolSize: 2, applicationName: 'embedded-outlines', preparedStatements: false });
    await ds.initialize();
    await runMigrations(ds);
    await ds.query(`INSERT INTO district (code, name, name_en) VALUES ('410104', '管城回族区', 'Guancheng')`);
    await ds.query(`INSERT INTO street (code, district_code, name) VALUES ('410104001', '410104', '东大街街道'), ('410104002', '410104', '西大街街道')`);
    await ds.query(
      `INSERT INTO community (code, street_code, name) VALUES ('410104001001', '410104001', '东一社区'), ('410104001002', '410104001', '东二社区'), ('410104002001', '410104002', '西一社区')`,
    );
    const communities = ['410104001001', '410104001002', '410104002001'];
    for (const [k, community] of communities.entries()) {
      for (let n = 0; n < 6; n++) {
        await ds.query(`INSERT INTO grid_cell (code, community_code, street_code, geom) VALUES ($1, $2, $3, ST_GeomFromText($4, 4326))`, [
          `${community}${String(n + 1).padStart(3, '0')}`,
          community,
          community.slice(0, 9),
          square(k * 3 + (n % 3), Math.floor(n / 3)),
        ]);
      }
    }
    outlines = new DivisionOutlines(ds);
  }, 300_000);

  afterAll(async () => {
    await ds?.destroy();
    await pg?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('dissolves the cells into one outline per community, street and the district, named', async () => {
    const streets = await outlines.outlines('street');
    expect(streets.features.map((f) => [f.id, f.properties.name, f.properties.cellCount, f.geometry.type, f.geometry.coordinates.length])).toEqual([
      ['410104001', '东大街街道', 12, 'MultiPolygon', 1],
      ['410104002', '西大街街道', 6, 'MultiPolygon', 1],
    ]);
    const communities = await outlines.outlines('community');
    expect(communities.features.map((f) => [f.id, f.properties.name, f.properties.streetCode, f.properties.cellCount])).toEqual([
      ['410104001001', '东一社区', '410104001', 6],
      ['410104001002', '东二社区', '410104001', 6],
      ['410104002001', '西一社区', '410104002', 6],
    ]);
    const [district] = (await outlines.outlines('district')).features;
    expect([district.id, district.properties.name, district.properties.nameEn, district.properties.cellCount]).toEqual(['410104', '管城回族区', 'Guancheng', 18]);
    // One rectangle of 9×2 cells, no hole: every point of its one ring on the rectangle's edge (the cells' inner edges gone).
    expect(district.geometry.coordinates.map((polygon) => polygon.length)).toEqual([1]);
    const onEdge = district.geometry.coordinates[0][0].every(([x, y]) => ['113.6000', '113.6099'].includes(x.toFixed(4)) || ['34.7000', '34.7018'].includes(y.toFixed(4)));
    expect(onEdge).toBe(true);
    const [lng, lat] = district.properties.label;
    expect(lng > 113.6 && lng < 113.6099 && lat > 34.7 && lat < 34.7018).toBe(true);
  });

  it('follows a change of the cells', async () => {
    const before = await outlines.outlines('street');
    await ds.query(`UPDATE grid_cell SET retired_at = now() WHERE code = '410104002001006'`);
    const after = await outlines.outlines('street');
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(after.features.map((f) => f.properties.cellCount)).toEqual([12, 5]);
  });
});
