import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inspection plans, due inspections and duty at checkpoints (domain.md section 8, issue 17), owned by
 * libs/places:
 * - `inspection_plan`: a checklist to inspect at some places every `every_ms` (continuous time) from
 *   `from_at` (to `to_at`); `inspection_plan_place`: its places, fixed when it is made (by id or kind).
 * - `inspection_due`: one inspection due per (plan, place, slot), deadline = the slot's end; done
 *   (on time or late) by an inspection of the place in the slot, else marked missed and escalated once.
 * - `duty_roster`, `duty_shift`: shifts of named people at a place; `duty_check_in`: one check-in on
 *   site (off-site flagged). A shift not checked in within DUTY_GRACE_MIN of its start is missed.
 */
export class InspectionPlans1765810000000 implements MigrationInterface {
  name = 'InspectionPlans1765810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inspection_plan (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        checklist_id uuid NOT NULL REFERENCES checklist (id),
        place_kind text,
        every text NOT NULL,
        every_ms bigint NOT NULL CHECK (every_ms >= 60000),
        from_at timestamptz NOT NULL,
        to_at timestamptz CHECK (to_at IS NULL OR to_at > from_at),
        assignee_ids uuid[],
        active boolean NOT NULL DEFAULT true,
        created_by uuid NOT NULL REFERENCES app_user (id),
        created_at timestamptz NOT NULL,
        deactivated_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE inspection_plan_place (
        plan_id uuid NOT NULL REFERENCES inspection_plan (id),
        place_id uuid NOT NULL REFERENCES place (id),
        PRIMARY KEY (plan_id, place_id)
      )`);
    await q.query(`
      CREATE TABLE inspection_due (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES inspection_plan (id),
        place_id uuid NOT NULL REFERENCES place (id),
        slot_start timestamptz NOT NULL,
        due_at timestamptz NOT NULL CHECK (due_at > slot_start),
        assignee_ids uuid[] NOT NULL,
        state text NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'done', 'late', 'missed', 'cancelled')),
        inspection_id uuid REFERENCES inspection (id),
        done_at timestamptz,
        missed_at timestamptz,
        escalated_to jsonb,
        -- The deadline's timer has run (missed or not; the next slot made): the sweeper leaves it.
        handled_at timestamptz,
        UNIQUE (plan_id, place_id, slot_start)
      )`);
    await q.query(`CREATE INDEX inspection_due_pending ON inspection_due (due_at) WHERE handled_at IS NULL`);
    await q.query(`CREATE INDEX inspection_due_place ON inspection_due (place_id, slot_start)`);
    await q.query(`CREATE INDEX inspection_due_assignees ON inspection_due USING gin (assignee_ids)`);

    await q.query(`
      CREATE TABLE duty_roster (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        place_id uuid NOT NULL REFERENCES place (id),
        created_by uuid NOT NULL REFERENCES app_user (id),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE duty_shift (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        roster_id uuid NOT NULL REFERENCES duty_roster (id),
        place_id uuid NOT NULL REFERENCES place (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        user_ids uuid[] NOT NULL CHECK (cardinality(user_ids) > 0),
        check_by timestamptz NOT NULL,
        checked_in_at timestamptz,
        missed_at timestamptz,
        escalated_to jsonb
      )`);
    await q.query(`CREATE INDEX duty_shift_place ON duty_shift (place_id, starts_at)`);
    await q.query(`CREATE INDEX duty_shift_open ON duty_shift (check_by) WHERE checked_in_at IS NULL AND missed_at IS NULL`);
    await q.query(`CREATE INDEX duty_shift_users ON duty_shift USING gin (user_ids)`);
    await q.query(`
      CREATE TABLE duty_check_in (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shift_id uuid NOT NULL REFERENCES duty_shift (id),
        place_id uuid NOT NULL REFERENCES place (id),
        user_id uuid NOT NULL REFERENCES app_user (id),
        location geometry(Point, 4326) NOT NULL,
        distance_m numeric NOT NULL,
        off_site boolean NOT NULL,
        on_time boolean NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX duty_check_in_shift ON duty_check_in (shift_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE duty_check_in`);
    await q.query(`DROP TABLE duty_shift`);
    await q.query(`DROP TABLE duty_roster`);
    await q.query(`DROP TABLE inspection_due`);
    await q.query(`DROP TABLE inspection_plan_place`);
    await q.query(`DROP TABLE inspection_plan`);
  }
}
