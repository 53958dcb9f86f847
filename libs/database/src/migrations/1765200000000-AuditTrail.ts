import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail of admin changes (domain.md section 7): append-only. Rows are only ever added;
 * UPDATE, DELETE and TRUNCATE are refused by the database itself, whoever asks.
 */
export class AuditTrail1765200000000 implements MigrationInterface {
  name = 'AuditTrail1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_username text NOT NULL CHECK (actor_username <> ''),
        action text NOT NULL CHECK (action ~ '^[a-z_]+\\.[a-z_]+$'),
        entity text NOT NULL CHECK (entity ~ '^[a-z_]+$'),
        entity_id text,
        street_code varchar(9),
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX audit_entry_at_idx ON audit_entry (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_entry_entity_idx ON audit_entry (entity, entity_id)`);
    await q.query(`CREATE INDEX audit_entry_actor_idx ON audit_entry (actor_id)`);
    await q.query(`
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_entry`);
    await q.query(`DROP FUNCTION audit_entry_append_only()`);
  }
}
