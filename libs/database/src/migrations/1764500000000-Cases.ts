import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The closed loop: cases (案卷), their append-only events, the photos attached to them, the
 * gap-free daily case counter, the transactional outbox, idempotency keys and Open311 API keys.
 */
export class Cases1764500000000 implements MigrationInterface {
  name = 'Cases1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{6}-[0-9]{8}-[0-9]{6}$'),
        status text NOT NULL CHECK (status IN ('reported', 'registered', 'dispatched', 'in_progress', 'resolved',
                                               'closed', 'rejected', 'merged', 'cancelled')),
        category_code varchar(5) NOT NULL REFERENCES category (code),
        standard_id integer REFERENCES category_standard (id),
        description text NOT NULL,
        address text,
        location geometry(Point, 4326) NOT NULL,
        reported_coord_system text NOT NULL CHECK (reported_coord_system IN ('wgs84', 'gcj02', 'bd09')),
        reported_lng double precision NOT NULL,
        reported_lat double precision NOT NULL,
        grid_cell_code varchar(15) NOT NULL REFERENCES grid_cell (code),
        street_code varchar(9) NOT NULL REFERENCES street (code),
        community_code varchar(12) NOT NULL REFERENCES community (code),
        road_id integer REFERENCES road (id) ON DELETE SET NULL,
        segment_id integer REFERENCES road_segment (id) ON DELETE SET NULL,
        road_distance_m double precision,
        source text NOT NULL CHECK (source IN ('citizen', 'warden', 'hotline', 'open311')),
        channel text,
        reporter_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        reporter_name text,
        reporter_phone text,
        reporter_email text,
        tracking_token_hash char(64) NOT NULL UNIQUE,
        check_requested boolean NOT NULL DEFAULT false,
        check_passed boolean,
        assignee_chief_id integer REFERENCES road_chief (id) ON DELETE SET NULL,
        escalation_level smallint NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
        escalated_to integer[] NOT NULL DEFAULT '{}',
        routing_reason text,
        routing_reason_zh text,
        dispatched_at timestamptz,
        accepted_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        deadline_at timestamptz,
        overdue boolean NOT NULL DEFAULT false,
        extension_count smallint NOT NULL DEFAULT 0 CHECK (extension_count BETWEEN 0 AND 2),
        extension_requested_hours numeric(8, 2),
        rework_count integer NOT NULL DEFAULT 0,
        possible_duplicate_of uuid REFERENCES case_file (id),
        merged_into uuid REFERENCES case_file (id),
        public_note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status <> 'merged' OR merged_into IS NOT NULL),
        CHECK (merged_into IS NULL OR merged_into <> id),
        CHECK (status NOT IN ('dispatched', 'in_progress') OR assignee_chief_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX case_file_created_idx ON case_file (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX case_file_status_idx ON case_file (status, created_at DESC)`);
    await q.query(`CREATE INDEX case_file_street_idx ON case_file (street_code, created_at DESC)`);
    await q.query(`CREATE INDEX case_file_cell_idx ON case_file (grid_cell_code)`);
    await q.query(`CREATE INDEX case_file_assignee_idx ON case_file (assignee_chief_id) WHERE assignee_chief_id IS NOT NULL`);
    await q.query(`CREATE INDEX case_file_escalated_idx ON case_file USING gin (escalated_to)`);
    await q.query(`CREATE INDEX case_file_location_gist ON case_file USING gist (location)`);
    await q.query(`CREATE INDEX case_file_reporter_idx ON case_file (reporter_id) WHERE reporter_id IS NOT NULL`);
    // Duplicate search: open cases of one category near a point, recent first.
    await q.query(`
      CREATE INDEX case_file_open_category_gist ON case_file USING gist (location)
       WHERE status IN ('reported', 'registered', 'dispatched', 'in_progress', 'resolved')`);

    await q.query(`CREATE SEQUENCE case_event_seq AS bigint`);
    await q.query(`
      CREATE TABLE case_event (
        seq bigint PRIMARY KEY DEFAULT nextval('case_event_seq'),
        case_id uuid NOT NULL REFERENCES case_file (id),
        type text NOT NULL CHECK (type ~ '^case\\.[a-z_]+$'),
        actor_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        actor_role text NOT NULL,
        actor_name text,
        from_status text,
        to_status text NOT NULL,
        reason text,
        note text,
        evidence jsonb NOT NULL DEFAULT '{}',
        state jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER SEQUENCE case_event_seq OWNED BY case_event.seq`);
    await q.query(`CREATE INDEX case_event_case_idx ON case_event (case_id, seq)`);
    await q.query(`CREATE INDEX case_event_at_idx ON case_event (at)`);
    await q.query(`CREATE INDEX case_event_type_at_idx ON case_event (type, at)`);

    await q.query(`
      CREATE TABLE case_media (
        case_id uuid NOT NULL REFERENCES case_file (id),
        media_id uuid NOT NULL REFERENCES media (id),
        event_seq bigint REFERENCES case_event (seq),
        via_case_id uuid REFERENCES case_file (id),
        PRIMARY KEY (case_id, media_id)
      )`);
    await q.query(`CREATE INDEX case_media_media_idx ON case_media (media_id)`);
    // A photo belongs to one case; merging copies it to the target with via_case_id set.
    await q.query(`CREATE UNIQUE INDEX case_media_owner_uq ON case_media (media_id) WHERE via_case_id IS NULL`);

    await q.query(`
      CREATE TABLE case_day_counter (
        day date PRIMARY KEY,
        last_value integer NOT NULL CHECK (last_value BETWEEN 1 AND 999999)
      )`);

    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL CHECK (topic IN ('job', 'feed')),
        name text NOT NULL,
        payload jsonb NOT NULL,
        deliver_after timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (id)`);

    await q.query(`
      CREATE TABLE idempotency_key (
        scope text NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        request_hash char(64) NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at)`);

    await q.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        key_hash char(64) NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key, idempotency_key, outbox, case_day_counter, case_media, case_event, case_file`);
  }
}
