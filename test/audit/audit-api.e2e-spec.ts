import { addStreetAdmin } from '../support/cases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, startWorld, type World } from '../cases/helpers/workflow';

describe('GET /api/v1/admin/audit', () => {
  let w: World;
  let streetAdmin: string;
  let street: string;

  beforeAll(async () => {
    w = await startWorld('audit-api');
    street = await addStreetAdmin(w.db);
    streetAdmin = await w.app.bearer('street_admin', 'street-admin-pass-1');
    const add = (action: string, entityId: string, streetCode: string | null, after: object) =>
      w.db.query(
        `INSERT INTO audit_entry (actor_id, actor_username, action, entity, entity_id, street_code, after)
         SELECT id, username, $1, split_part($1, '.', 1), $2, $3, $4 FROM app_user WHERE username = 'admin'`,
        [action, entityId, streetCode, JSON.stringify(after)],
      );
    await add('user.create', 'u1', street, { name: '张三, 网格员' });
    await add('category.create', 'E0101', null, { name: '暴露垃圾' });
  });

  afterAll(async () => {
    await w?.close();
  });

  it('answers admins with every entry, newest first, filtered by entity and actor', async () => {
    const all = must(await w.http.get<unknown[]>('/api/v1/admin/audit', w.auth.admin)) as unknown as { action: string; actor: { username: string } }[];
    expect(all.map((e) => e.action).slice(0, 2)).toEqual(['category.create', 'user.create']);
    expect(all[0].actor.username).toBe('admin');
    const users = must(await w.http.get('/api/v1/admin/audit?entity=user&actor=admin', w.auth.admin)) as unknown as unknown[];
    expect(users).toHaveLength(1);
  });

  it('shows a street-level admin only the entries of their street', async () => {
    const mine = must(await w.http.get('/api/v1/admin/audit', streetAdmin)) as unknown as { action: string; streetCode: string }[];
    expect(mine.map((e) => e.action)).toEqual(['user.create']);
    expect(mine[0].streetCode).toBe(street);
  });

  it('exports CSV', async () => {
    const res = await fetch(`${w.app.baseUrl}/api/v1/admin/audit.csv?entity=user`, { headers: { authorization: w.auth.admin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM: spreadsheets read UTF-8
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('at,actor_id,actor_username,action,entity,entity_id,street_code,before,after');
    expect(text).toContain(',admin,user.create,user,u1,');
    expect(text).toContain('"{""name"":""张三, 网格员""}"');
  });

  it('refuses other roles and bad filters, naming the field', async () => {
    for (const who of ['operator', 'leader', 'warden1', 'chief1']) {
      expect((await w.http.get('/api/v1/admin/audit', w.auth[who])).status).toBe(403);
    }
    expect((await w.http.get('/api/v1/admin/audit')).status).toBe(401);
    const bad = await w.http.get('/api/v1/admin/audit?from=2026-02-30', w.auth.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.details?.[0]?.field).toBe('from');
    const badEntity = await w.http.get('/api/v1/admin/audit?entity=DROP%20TABLE', w.auth.admin);
    expect(badEntity.status).toBe(400);
    expect(badEntity.body.details?.[0]?.field).toBe('entity');
    expect((await w.http.get('/api/v1/admin/audit?limit=0', w.auth.admin)).status).toBe(400);
  });
});
