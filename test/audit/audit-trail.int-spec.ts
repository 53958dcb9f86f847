import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail, recordAudit } from '@wangge/audit';
import { createDataSource, runMigrations } from '@wangge/database';
import { createTestDatabase } from '../support/database';

describe('the audit trail (append-only, in the transaction of the change)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let trail: AuditTrail;

  beforeAll(async () => {
    db = await createTestDatabase('audit');
    ds = createDataSource({ url: db.url, poolSize: 2 });
    await ds.initialize();
    await runMigrations(ds);
    trail = new AuditTrail(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('keeps what was recorded, newest first, filtered by time, actor, entity and street', async () => {
    const admin = { id: '00000000-0000-4000-8000-000000000001', username: 'admin' };
    await trail.record({ actor: admin, action: 'user.create', entity: 'user', entityId: 'a', after: { name: '甲', password: 'secret' } });
    await trail.record({ actor: { id: null, username: 'cli:setup' }, action: 'district.create', entity: 'district', entityId: '410105' });
    await trail.record({ actor: admin, action: 'user.update', entity: 'user', entityId: 'a', streetCode: '410105001', before: { name: '甲' }, after: { name: '乙' } });

    const all = await trail.list();
    expect(all.map((e) => e.action)).toEqual(['user.update', 'district.create', 'user.create']);
    expect(all[2]).toMatchObject({ actor: admin, entity: 'user', entityId: 'a', before: null, after: { name: '甲' } });
    expect(JSON.stringify(all)).not.toContain('secret');
    expect((await trail.list({ entity: 'district' })).map((e) => e.entityId)).toEqual(['410105']);
    expect((await trail.list({ actor: 'admin' })).length).toBe(2);
    expect((await trail.list({ actor: admin.id! })).length).toBe(2);
    expect((await trail.list({ streetCode: '410105001' })).map((e) => e.action)).toEqual(['user.update']);
    expect(await trail.list({ from: new Date(Date.now() + 60_000) })).toEqual([]);
    expect((await trail.list({ to: new Date(Date.now() + 60_000), limit: 1 })).length).toBe(1);
  });

  it('commits with the change or not at all', async () => {
    const before = (await trail.list()).length;
    await expect(
      ds.transaction(async (m) => {
        await recordAudit(m, { actor: { id: null, username: 'cli' }, action: 'import.apply', entity: 'import' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await trail.list()).length).toBe(before);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, whoever asks', async () => {
    await expect(ds.query(`UPDATE audit_entry SET actor_username = 'someone'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(ds.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(ds.query(`TRUNCATE audit_entry`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await trail.list()).length).toBeGreaterThan(0);
  });
});
