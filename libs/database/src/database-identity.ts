import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS_NAMESPACE, redisNamespace } from '@wangge/jobs';

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Reads the database's identity (a UUID made once, by the migration DatabaseIdentity). A database
 * that is a copy of another (CREATE DATABASE … TEMPLATE, a restored dump: another oid than the one
 * the identity was made in) first takes an id of its own: its outbox ids and event seqs restart or
 * rewind, so the original's jobs and events, still in Redis, must never be taken for its own.
 * Processes starting together agree: the second waits on the row lock, then finds the oid already
 * its own and changes nothing.
 */
export async function readDatabaseIdentity(db: Queryable): Promise<string> {
  try {
    await db.query(
      `UPDATE database_identity i SET id = gen_random_uuid(), database_oid = d.oid, created_at = now()
         FROM pg_database d WHERE d.datname = current_database() AND i.database_oid <> d.oid`,
    );
    const [row] = (await db.query(`SELECT id FROM database_identity`)) as { id: string }[];
    if (row) return row.id;
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err;
  }
  throw new Error('the database has no identity (table database_identity): run the migrations first (npm run migrate)');
}

/** Provides every module of a process with the Redis keys of its database (REDIS_NAMESPACE), read once at start. */
@Global()
@Module({
  providers: [{ provide: REDIS_NAMESPACE, inject: [DataSource], useFactory: async (db: DataSource) => redisNamespace(await readDatabaseIdentity(db)) }],
  exports: [REDIS_NAMESPACE],
})
export class DatabaseIdentityModule {}
