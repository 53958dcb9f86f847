// The Redis keys of a database, as the platform's processes use them (the identity read, and the
// prefix made, by the very code they run).
import { readDatabaseIdentity } from '../../../dist/libs/database/src/database-identity.js';
import { redisNamespace } from '../../../dist/libs/jobs/src/redis-namespace.js';

/** `db`: a connected pg Client of the database. */
export async function redisKeysOf(db) {
  return redisNamespace(await readDatabaseIdentity({ query: async (sql, params) => (await db.query(sql, params)).rows }));
}
