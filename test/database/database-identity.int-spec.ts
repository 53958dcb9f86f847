import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readDatabaseIdentity } from '@wangge/database';
import { createTestDatabase, databaseUrl, withServer } from '../support/database';

type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;

async function identityOf(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await readDatabaseIdentity({ query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows });
  } finally {
    await client.end();
  }
}

describe('the database identity (the prefix of its Redis keys)', () => {
  const dropped: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of dropped) await drop();
  });
  async function database(): Promise<TestDb> {
    const db = await createTestDatabase('identity');
    dropped.push(db.drop);
    return db;
  }

  it('is made once and read the same ever after', async () => {
    const db = await database();
    const id = await identityOf(db.url);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await identityOf(db.url)).toBe(id);
  });

  it('is new in a copy of the database (CREATE DATABASE … TEMPLATE, as a restored dump): the original keeps its own', async () => {
    const original = await database();
    const id = await identityOf(original.url);
    const copy = `${original.name}_copy`;
    await withServer(async (c) => void (await c.query(`CREATE DATABASE "${copy}" TEMPLATE "${original.name}"`)));
    dropped.push(() => withServer(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`))));
    const copied = await identityOf(databaseUrl(copy));
    expect(copied).not.toBe(id);
    expect(await identityOf(databaseUrl(copy))).toBe(copied);
    expect(await identityOf(original.url)).toBe(id);
  });

  it('is the same for every process that starts on a fresh copy at the same moment', async () => {
    const db = await database();
    const ids = await Promise.all(Array.from({ length: 8 }, () => identityOf(db.url)));
    expect(new Set(ids).size).toBe(1);
    expect(await identityOf(db.url)).toBe(ids[0]);
  });

  it('says what to do on a database without it', async () => {
    const client = { query: async () => Promise.reject(Object.assign(new Error('relation "database_identity" does not exist'), { code: '42P01' })) };
    await expect(readDatabaseIdentity(client)).rejects.toThrow(/run the migrations first/);
  });
});
