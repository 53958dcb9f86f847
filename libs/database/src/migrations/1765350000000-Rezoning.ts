import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Re-zoning (调整网格, issue 15): a grid cell or road segment that a replacing import no longer lists
 * is retired, not deleted. Closed cases keep their cell code and segment, so history still names
 * the places it happened in; locating, map layers and routing see live rows only. A road's live
 * segments are numbered 1..n among themselves: retired segments keep their old number outside the
 * unique (road_id, seq), which now holds for live segments only.
 */
export class Rezoning1765350000000 implements MigrationInterface {
  name = 'Rezoning1765350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE grid_cell ADD COLUMN retired_at timestamptz`);
    await q.query(`ALTER TABLE road_segment ADD COLUMN retired_at timestamptz`);
    await q.query(`ALTER TABLE road_segment DROP CONSTRAINT road_segment_road_id_seq_key`);
    await q.query(`CREATE UNIQUE INDEX road_segment_live_seq_uq ON road_segment (road_id, seq) WHERE retired_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM road_segment WHERE retired_at IS NOT NULL`);
    await q.query(`DROP INDEX road_segment_live_seq_uq`);
    await q.query(`ALTER TABLE road_segment ADD CONSTRAINT road_segment_road_id_seq_key UNIQUE (road_id, seq)`);
    await q.query(`ALTER TABLE road_segment DROP COLUMN retired_at`);
    await q.query(`ALTER TABLE grid_cell DROP COLUMN retired_at`);
  }
}
