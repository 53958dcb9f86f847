import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The district's own id of a place (issue 17 item 1, docs/places.md): `place.code`, nullable, unique
 * when given (one district per database). A places import updates the place its row's code names,
 * so importing the same file twice creates nothing new.
 */
export class PlaceCodes1765940000000 implements MigrationInterface {
  name = 'PlaceCodes1765940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE place ADD COLUMN code text CHECK (code IS NULL OR length(code) BETWEEN 1 AND 64)`);
    await q.query(`CREATE UNIQUE INDEX place_code_key ON place (code) WHERE code IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX place_code_key`);
    await q.query(`ALTER TABLE place DROP COLUMN code`);
  }
}
