import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citizens' follow-up (issue 18, domain.md 9), owned by the workflow: the reporter's feedback after
 * a close (one per close: a reopened case that closes again may be answered again; 满意率 counts
 * these rows), and the reporter's updates (a note and photos), hidden from the public until an
 * operator approves them. Each row names the case event that recorded it.
 */
export class CitizenFollowUp1765850000000 implements MigrationInterface {
  name = 'CitizenFollowUp1765850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_feedback (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES case_file (id),
        closed_at timestamptz NOT NULL,
        satisfied boolean NOT NULL,
        comment text CHECK (char_length(comment) <= 500),
        reopened boolean NOT NULL DEFAULT false,
        event_seq bigint NOT NULL REFERENCES case_event (seq),
        created_at timestamptz NOT NULL,
        UNIQUE (case_id, closed_at)
      )`);
    await q.query(`CREATE INDEX case_feedback_created_idx ON case_feedback (created_at)`);
    await q.query(`
      CREATE TABLE case_update (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES case_file (id),
        note text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 1000),
        media_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        event_seq bigint NOT NULL REFERENCES case_event (seq),
        created_at timestamptz NOT NULL,
        decided_at timestamptz,
        decided_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        decision_reason text
      )`);
    await q.query(`CREATE INDEX case_update_case_idx ON case_update (case_id, created_at)`);
    await q.query(`CREATE INDEX case_update_pending_idx ON case_update (created_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_update`);
    await q.query(`DROP TABLE case_feedback`);
  }
}
