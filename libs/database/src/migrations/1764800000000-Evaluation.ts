import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evaluation (考核): the versioned formula, the per-case facts derived from case events (refreshed
 * incrementally by event seq), the work-time function for handling times, and appeals of overdue marks.
 * Rules: docs/evaluation.md.
 */
export class Evaluation1764800000000 implements MigrationInterface {
  name = 'Evaluation1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluation_formula (
        version integer PRIMARY KEY CHECK (version > 0),
        weights jsonb NOT NULL CHECK (
          jsonb_typeof(weights) = 'object'
          AND weights ?& ARRAY['onTimeHandlingRate', 'closingRate', 'reworkRate', 'overdueRate', 'extensionRate']),
        effective_from timestamptz NOT NULL,
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A version is never changed once stored: a report names the version it used.
    await q.query(`
      CREATE FUNCTION evaluation_formula_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'evaluation_formula version % is frozen; add a new version instead', OLD.version;
      END $$`);
    await q.query(`
      CREATE TRIGGER evaluation_formula_frozen BEFORE UPDATE OR DELETE ON evaluation_formula
        FOR EACH ROW EXECUTE FUNCTION evaluation_formula_frozen()`);
    await q.query(`
      INSERT INTO evaluation_formula (version, weights, effective_from, note)
      VALUES (1, '{"onTimeHandlingRate": 30, "closingRate": 20, "reworkRate": 20, "overdueRate": 20, "extensionRate": 10}',
              '2000-01-01T00:00:00Z', 'defaults of domain.md section 5 / 默认权重')`);

    // Work hours (08:00-12:00, 14:00-18:00 on work days of the holiday calendar) between two instants,
    // local time at a fixed UTC offset, as libs/clock counts them.
    await q.query(`
      CREATE FUNCTION evaluation_work_hours(t0 timestamptz, t1 timestamptz, offset_minutes integer)
      RETURNS double precision LANGUAGE sql STABLE AS $$
        SELECT coalesce(sum(extract(epoch FROM greatest(interval '0',
                 least(b.l1, d + p.close_at) - greatest(b.l0, d + p.open_at)))), 0) / 3600.0
          FROM (SELECT (t0 AT TIME ZONE 'UTC') + make_interval(mins => offset_minutes) AS l0,
                       (t1 AT TIME ZONE 'UTC') + make_interval(mins => offset_minutes) AS l1) b
          CROSS JOIN LATERAL generate_series(date_trunc('day', b.l0), b.l1, interval '1 day') AS d
          CROSS JOIN (VALUES (interval '8 hours', interval '12 hours'), (interval '14 hours', interval '18 hours')) AS p(open_at, close_at)
          LEFT JOIN holiday h ON h.date = d::date
         WHERE t1 > t0 AND coalesce(h.kind = 'workday', extract(isodow FROM d) <= 5)
      $$`);

    // One row per case, rebuilt from its events whenever it has new ones (see EvaluationFactsService).
    await q.query(`
      CREATE TABLE evaluation_case_fact (
        case_id uuid PRIMARY KEY REFERENCES case_file (id),
        street_code varchar(9) NOT NULL,
        community_code varchar(12) NOT NULL,
        category_code varchar(5) NOT NULL,
        chief_id integer,
        merged boolean NOT NULL,
        reported_at timestamptz,
        registered_at timestamptz,
        dispatched_at timestamptz,
        deadline_at timestamptz,
        handled_at timestamptz,
        closed_at timestamptz,
        ended_at timestamptz,
        open_until timestamptz,
        resolutions integer NOT NULL,
        reworks integer NOT NULL,
        extensions integer NOT NULL,
        handling_hours double precision,
        exempt boolean NOT NULL,
        span tstzrange NOT NULL,
        last_seq bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX evaluation_case_fact_span_gist ON evaluation_case_fact USING gist (span) WHERE NOT merged`);
    await q.query(`CREATE INDEX evaluation_case_fact_chief_idx ON evaluation_case_fact (chief_id) WHERE chief_id IS NOT NULL`);
    await q.query(`CREATE INDEX evaluation_case_fact_street_idx ON evaluation_case_fact (street_code)`);
    await q.query(`
      CREATE TABLE evaluation_watermark (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        last_seq bigint NOT NULL,
        refreshed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO evaluation_watermark (last_seq) VALUES (0)`);

    await q.query(`
      CREATE TABLE appeal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES case_file (id),
        chief_id integer NOT NULL REFERENCES road_chief (id),
        street_code varchar(9) NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        created_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        decided_at timestamptz,
        decision_note text,
        CHECK ((status = 'pending') = (decided_at IS NULL)),
        UNIQUE (case_id, chief_id)
      )`);
    await q.query(`CREATE INDEX appeal_status_idx ON appeal (status, created_at DESC)`);
    await q.query(`CREATE INDEX appeal_chief_idx ON appeal (chief_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE appeal, evaluation_watermark, evaluation_case_fact`);
    await q.query(`DROP FUNCTION evaluation_work_hours(timestamptz, timestamptz, integer)`);
    await q.query(`DROP TABLE evaluation_formula`);
    await q.query(`DROP FUNCTION evaluation_formula_frozen()`);
  }
}
