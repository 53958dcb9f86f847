import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The grid + network model: district, streets, communities, unit grid cells, roads and segments,
 * road chiefs and their scopes, users and wardens' cells, the category catalogue with its versioned
 * standards, and the holiday calendar.
 */
export class SpatialModel1764381600000 implements MigrationInterface {
  name = 'SpatialModel1764381600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS postgis`);

    await q.query(`
      CREATE TABLE district (
        code varchar(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
        name text NOT NULL,
        name_en text,
        geom geometry(MultiPolygon, 4326)
      )`);
    await q.query(`
      CREATE TABLE street (
        code varchar(9) PRIMARY KEY CHECK (code ~ '^[0-9]{9}$'),
        district_code varchar(6) NOT NULL REFERENCES district (code),
        name text NOT NULL,
        geom geometry(MultiPolygon, 4326),
        CHECK (left(code, 6) = district_code)
      )`);
    await q.query(`
      CREATE TABLE community (
        code varchar(12) PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
        street_code varchar(9) NOT NULL REFERENCES street (code),
        name text NOT NULL,
        geom geometry(MultiPolygon, 4326),
        CHECK (left(code, 9) = street_code)
      )`);
    await q.query(`CREATE INDEX community_street_idx ON community (street_code)`);
    await q.query(`
      CREATE TABLE grid_cell (
        code varchar(15) PRIMARY KEY CHECK (code ~ '^[0-9]{12}[0-9]{3}$' AND right(code, 3) <> '000'),
        community_code varchar(12) NOT NULL REFERENCES community (code),
        street_code varchar(9) NOT NULL REFERENCES street (code),
        geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
        area_m2 double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
        CHECK (left(code, 12) = community_code),
        CHECK (left(code, 9) = street_code)
      )`);
    await q.query(`CREATE INDEX grid_cell_geom_gist ON grid_cell USING gist (geom)`);
    await q.query(`CREATE INDEX grid_cell_community_idx ON grid_cell (community_code)`);

    await q.query(`
      CREATE TABLE road (
        id serial PRIMARY KEY,
        ref text NOT NULL UNIQUE,
        name text NOT NULL
      )`);
    await q.query(`CREATE INDEX road_name_idx ON road (name)`);
    await q.query(`
      CREATE TABLE road_segment (
        id serial PRIMARY KEY,
        road_id integer NOT NULL REFERENCES road (id) ON DELETE CASCADE,
        ref text NOT NULL UNIQUE,
        seq integer NOT NULL CHECK (seq > 0),
        geom geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom) AND ST_NPoints(geom) >= 2),
        length_m double precision GENERATED ALWAYS AS (ST_Length(geom::geography)) STORED,
        UNIQUE (road_id, seq)
      )`);
    await q.query(`CREATE INDEX road_segment_geom_gist ON road_segment USING gist (geom)`);

    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{2,64}$'),
        name text NOT NULL,
        phone text,
        role text NOT NULL CHECK (role IN ('citizen', 'warden', 'chief', 'operator', 'leader', 'admin')),
        password_hash text,
        street_code varchar(9) REFERENCES street (code),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE warden_cell (
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        cell_code varchar(15) NOT NULL REFERENCES grid_cell (code) ON DELETE CASCADE,
        PRIMARY KEY (user_id, cell_code)
      )`);
    await q.query(`CREATE INDEX warden_cell_cell_idx ON warden_cell (cell_code)`);

    await q.query(`
      CREATE TABLE road_chief (
        id serial PRIMARY KEY,
        user_id uuid NOT NULL UNIQUE REFERENCES app_user (id) ON DELETE CASCADE,
        level smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
        available boolean NOT NULL DEFAULT true,
        unavailable_reason text,
        deputy_id integer REFERENCES road_chief (id) ON DELETE SET NULL,
        UNIQUE (id, level),
        CHECK (deputy_id IS NULL OR deputy_id <> id)
      )`);
    await q.query(`
      CREATE TABLE road_chief_scope (
        id serial PRIMARY KEY,
        chief_id integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('road', 'segment', 'community', 'street')),
        level smallint NOT NULL,
        road_id integer REFERENCES road (id) ON DELETE CASCADE,
        segment_id integer REFERENCES road_segment (id) ON DELETE CASCADE,
        community_code varchar(12) REFERENCES community (code) ON DELETE CASCADE,
        street_code varchar(9) REFERENCES street (code) ON DELETE CASCADE,
        FOREIGN KEY (chief_id, level) REFERENCES road_chief (id, level) ON DELETE CASCADE ON UPDATE CASCADE,
        CHECK (num_nonnulls(road_id, segment_id, community_code, street_code) = 1),
        CHECK (kind <> 'road' OR road_id IS NOT NULL),
        CHECK (kind <> 'segment' OR (segment_id IS NOT NULL AND level = 3)),
        CHECK (kind <> 'community' OR (community_code IS NOT NULL AND level = 3)),
        CHECK (kind <> 'street' OR (street_code IS NOT NULL AND level = 2))
      )`);
    await q.query(`CREATE INDEX road_chief_scope_chief_idx ON road_chief_scope (chief_id)`);
    await q.query(`CREATE UNIQUE INDEX road_chief_scope_road_level_uq ON road_chief_scope (road_id, level) WHERE kind = 'road'`);
    await q.query(`CREATE UNIQUE INDEX road_chief_scope_segment_uq ON road_chief_scope (segment_id) WHERE kind = 'segment'`);
    await q.query(`CREATE UNIQUE INDEX road_chief_scope_community_uq ON road_chief_scope (community_code) WHERE kind = 'community'`);
    await q.query(`CREATE UNIQUE INDEX road_chief_scope_street_uq ON road_chief_scope (street_code) WHERE kind = 'street'`);

    await q.query(`
      CREATE TABLE category (
        code varchar(5) PRIMARY KEY CHECK (code ~ '^[CE][0-9]{4}$'),
        kind text NOT NULL CHECK (kind IN ('component', 'event')),
        major_code varchar(2) NOT NULL CHECK (major_code ~ '^[0-9]{2}$'),
        major_name text NOT NULL,
        major_name_en text NOT NULL,
        minor_code varchar(2) NOT NULL CHECK (minor_code ~ '^[0-9]{2}$'),
        name text NOT NULL,
        name_en text NOT NULL,
        auto_register boolean NOT NULL DEFAULT true,
        active boolean NOT NULL DEFAULT true,
        CHECK (code = (CASE kind WHEN 'component' THEN 'C' ELSE 'E' END) || major_code || minor_code)
      )`);
    await q.query(`
      CREATE TABLE category_standard (
        id serial PRIMARY KEY,
        category_code varchar(5) NOT NULL REFERENCES category (code),
        version integer NOT NULL CHECK (version > 0),
        condition_no integer NOT NULL CHECK (condition_no > 0),
        condition text NOT NULL,
        condition_en text NOT NULL,
        time_limit_value numeric(8, 2) NOT NULL CHECK (time_limit_value > 0),
        clock_type text NOT NULL CHECK (clock_type IN ('urgent_hours', 'work_hours', 'work_days', 'natural_days')),
        closing_condition text NOT NULL,
        closing_condition_en text NOT NULL,
        effective_from date NOT NULL,
        retired_at timestamptz,
        UNIQUE (category_code, version, condition_no)
      )`);

    await q.query(`
      CREATE TABLE holiday (
        date date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name text NOT NULL,
        name_en text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'holiday', 'category_standard', 'category', 'road_chief_scope', 'road_chief', 'warden_cell', 'app_user',
      'road_segment', 'road', 'grid_cell', 'community', 'street', 'district',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
