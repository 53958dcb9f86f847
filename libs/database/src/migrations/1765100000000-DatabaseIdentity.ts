import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The database's identity: a random id made once, with the oid of the database it was made in. Every
 * Redis key of the platform (queues, feed stream, hints) carries it, so the jobs and events of one
 * database never meet another's over a shared Redis. A copy of the database (CREATE DATABASE …
 * TEMPLATE, a restored dump) has another oid and takes a new id when a process first reads it
 * (libs/database/src/database-identity.ts): its outbox and event numbers restart or rewind, so it
 * must not inherit the original's jobs either.
 */
export class DatabaseIdentity1765100000000 implements MigrationInterface {
  name = 'DatabaseIdentity1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE database_identity (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        database_oid oid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO database_identity (database_oid) SELECT oid FROM pg_database WHERE datname = current_database()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE database_identity`);
  }
}
