import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outlines of the district, its streets and its communities as the map draws them (issue 19):
 * the live grid cells dissolved per community, street and district (libs/geo `DivisionOutlines`).
 * Dissolving 20,000 cells takes about a second, so the outlines are kept in `division_outline` and
 * made again only when the cells changed: every statement that writes `grid_cell` (an import, a
 * re-zoning, the seed, whoever) and touches rows raises `grid_revision.revision` (statement
 * triggers with their transition tables: a statement that touched no row, as a re-import of the same
 * file, changes nothing); the outlines record the revision they were made from.
 */
export class DivisionOutlines1765740000000 implements MigrationInterface {
  name = 'DivisionOutlines1765740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE grid_revision (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        revision bigint NOT NULL,
        outlines_revision bigint NOT NULL
      )`);
    // 1 against 0: the outlines of a database migrated with its cells already in are made on first read
    await q.query(`INSERT INTO grid_revision (id, revision, outlines_revision) VALUES (true, 1, 0)`);
    await q.query(`
      CREATE FUNCTION grid_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE grid_revision SET revision = revision + 1 WHERE id;
        RETURN NULL;
      END $$`);
    // A transition table may serve one event only: one trigger per event, each over the rows it touched.
    for (const [name, event, table] of [
      ['grid_cell_inserted', 'INSERT', 'NEW'],
      ['grid_cell_updated', 'UPDATE', 'NEW'],
      ['grid_cell_deleted', 'DELETE', 'OLD'],
    ] as const) {
      const fn = `${name}_bump`;
      await q.query(`
        CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM touched) THEN
            UPDATE grid_revision SET revision = revision + 1 WHERE id;
          END IF;
          RETURN NULL;
        END $$`);
      await q.query(`CREATE TRIGGER ${name} AFTER ${event} ON grid_cell REFERENCING ${table} TABLE AS touched FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    }
    await q.query(`
      CREATE TRIGGER grid_cell_truncated AFTER TRUNCATE ON grid_cell
        FOR EACH STATEMENT EXECUTE FUNCTION grid_revision_bump()`);
    await q.query(`
      CREATE TABLE division_outline (
        level text NOT NULL CHECK (level IN ('district', 'street', 'community')),
        code varchar(12) NOT NULL,
        geom geometry(MultiPolygon, 4326) NOT NULL,
        label geometry(Point, 4326) NOT NULL,
        cell_count integer NOT NULL CHECK (cell_count > 0),
        PRIMARY KEY (level, code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE division_outline`);
    await q.query(`DROP TRIGGER grid_cell_truncated ON grid_cell`);
    for (const name of ['grid_cell_inserted', 'grid_cell_updated', 'grid_cell_deleted']) {
      await q.query(`DROP TRIGGER ${name} ON grid_cell`);
      await q.query(`DROP FUNCTION ${name}_bump()`);
    }
    await q.query(`DROP FUNCTION grid_revision_bump()`);
    await q.query(`DROP TABLE grid_revision`);
  }
}
