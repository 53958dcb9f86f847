import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inspection plans by kind follow their kind (issue 17 leftover): `scope_street_codes` keeps the
 * jurisdiction a plan was made for (null: the whole district; else the creator's street), so a place
 * of the plan's kind that comes into it later joins, and one that leaves the kind or the scope leaves.
 * Existing plans by kind take their creator's street (plans by id have no scope).
 */
export class PlanPlacesFollowKind1765920000000 implements MigrationInterface {
  name = 'PlanPlacesFollowKind1765920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inspection_plan ADD COLUMN scope_street_codes text[]`);
    await q.query(`UPDATE inspection_plan p SET scope_street_codes = ARRAY[u.street_code] FROM app_user u WHERE u.id = p.created_by AND u.street_code IS NOT NULL AND p.place_kind IS NOT NULL`);
    await q.query(`CREATE INDEX inspection_plan_kind_active ON inspection_plan (place_kind) WHERE active AND place_kind IS NOT NULL`);
    await q.query(`CREATE INDEX inspection_plan_place_place ON inspection_plan_place (place_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inspection_plan_place_place`);
    await q.query(`DROP INDEX inspection_plan_kind_active`);
    await q.query(`ALTER TABLE inspection_plan DROP COLUMN scope_street_codes`);
  }
}
