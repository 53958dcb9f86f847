import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Address-only reports (issue 16, Open311 to the letter): a GeoReport v2 request may be located by
 * `address_string` or `address_id` alone. Such a case is written without a point, cell, street or
 * community, and waits for an operator to place it (the case action `place`). The CHECK keeps every
 * other case as before: a case has no place only while it was never registered (reported, or
 * rejected, cancelled or merged from there) and only when it carries the address it was given.
 */
export class AddressOnlyReports1765700000000 implements MigrationInterface {
  name = 'AddressOnlyReports1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE case_file
        ADD COLUMN address_id text CHECK (length(address_id) BETWEEN 1 AND 100),
        ALTER COLUMN location DROP NOT NULL,
        ALTER COLUMN reported_lng DROP NOT NULL,
        ALTER COLUMN reported_lat DROP NOT NULL,
        ALTER COLUMN grid_cell_code DROP NOT NULL,
        ALTER COLUMN street_code DROP NOT NULL,
        ALTER COLUMN community_code DROP NOT NULL`);
    await q.query(`
      ALTER TABLE case_file ADD CONSTRAINT case_file_place_check CHECK (
        (location IS NOT NULL AND grid_cell_code IS NOT NULL AND street_code IS NOT NULL AND community_code IS NOT NULL)
        OR (location IS NULL AND grid_cell_code IS NULL AND street_code IS NULL AND community_code IS NULL
            AND road_id IS NULL AND segment_id IS NULL
            AND status IN ('reported', 'rejected', 'cancelled', 'merged')
            AND (address IS NOT NULL OR address_id IS NOT NULL)))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // A case never placed cannot take a NOT NULL place: place (or close) such cases before going back.
    const [{ n }]: { n: number }[] = await q.query(`SELECT count(*)::int AS n FROM case_file WHERE location IS NULL`);
    if (n > 0) throw new Error(`${n} case(s) have no place yet: place them (POST /api/v1/cases/:id/place) before reverting this migration`);
    await q.query(`ALTER TABLE case_file DROP CONSTRAINT case_file_place_check`);
    await q.query(`
      ALTER TABLE case_file
        DROP COLUMN address_id,
        ALTER COLUMN location SET NOT NULL,
        ALTER COLUMN reported_lng SET NOT NULL,
        ALTER COLUMN reported_lat SET NOT NULL,
        ALTER COLUMN grid_cell_code SET NOT NULL,
        ALTER COLUMN street_code SET NOT NULL,
        ALTER COLUMN community_code SET NOT NULL`);
  }
}
