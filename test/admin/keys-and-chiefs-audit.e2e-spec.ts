import { addStreetAdmin } from '../support/cases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, startWorld, type World } from '../cases/helpers/workflow';

interface ChiefView {
  id: number;
  name: string;
  level: number;
  available: boolean;
  unavailableReason: string | null;
  deputy: { id: number; name: string; level: number } | null;
}

describe('admin: API keys and chiefs’ availability are audited (domain.md section 7)', () => {
  let w: World;
  let streetAdmin: string;
  let street: string;
  const auditsOf = async (entity: string) =>
    (await w.db.query(`SELECT action, actor_username, entity_id, street_code, before, after FROM audit_entry WHERE entity = $1 ORDER BY id`, [entity])).rows;
  const auditCount = async () => (await w.db.query(`SELECT count(*)::int AS n FROM audit_entry`)).rows[0].n as number;

  beforeAll(async () => {
    w = await startWorld('admin-keys-chiefs');
    street = await addStreetAdmin(w.db);
    streetAdmin = await w.app.bearer('street_admin', 'street-admin-pass-1');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('records issuing and revoking a key, never the key; revoking again records nothing', async () => {
    const created = must(await w.http.post<{ id: string; key: string; prefix: string }>('/api/v1/admin/api-keys', { name: 'wechat-miniprogram' }, w.auth.admin), 201) as {
      id: string;
      key: string;
      prefix: string;
    };
    expect(created.key).toMatch(/^wg_/);
    const revoke = () => w.http.call('DELETE', `/api/v1/admin/api-keys/${created.id}`, { auth: w.auth.admin });
    expect((await revoke()).status).toBe(204);
    expect((await revoke()).status).toBe(204);
    const entries = await auditsOf('api_key');
    expect(entries).toEqual([
      { action: 'api_key.create', actor_username: 'admin', entity_id: created.id, street_code: null, before: null, after: { name: 'wechat-miniprogram', prefix: created.prefix } },
      {
        action: 'api_key.revoke',
        actor_username: 'admin',
        entity_id: created.id,
        street_code: null,
        before: { name: 'wechat-miniprogram', prefix: created.prefix, revoked: false },
        after: { name: 'wechat-miniprogram', prefix: created.prefix, revoked: true },
      },
    ]);
    const all = JSON.stringify((await w.db.query(`SELECT * FROM audit_entry`)).rows);
    expect(all).not.toContain(created.key);
  });

  it('refuses API keys to street-level admins and other roles (403), and bad names, writing nothing', async () => {
    const before = await auditCount();
    const keys = (await w.db.query(`SELECT count(*)::int AS n FROM api_key`)).rows[0].n;
    for (const auth of [streetAdmin, w.auth.operator, w.auth.leader, w.auth.warden1]) {
      expect((await w.http.post('/api/v1/admin/api-keys', { name: 'x' }, auth)).status).toBe(403);
      expect((await w.http.get('/api/v1/admin/api-keys', auth)).status).toBe(403);
    }
    const bad = await w.http.post('/api/v1/admin/api-keys', { name: '' }, w.auth.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.details?.[0]?.field).toBe('name');
    expect((await w.http.call('DELETE', '/api/v1/admin/api-keys/00000000-0000-4000-8000-000000000000', { auth: w.auth.admin })).status).toBe(404);
    expect(await auditCount()).toBe(before);
    expect((await w.db.query(`SELECT count(*)::int AS n FROM api_key`)).rows[0].n).toBe(keys);
  });

  it("records each change of a chief's availability and deputy with before and after", async () => {
    const [chief, deputy] = [w.chiefs.chief3, w.chiefs.chief2];
    const initial = must(await w.http.get<ChiefView>(`/api/v1/chiefs/${chief}`, w.auth.admin)) as ChiefView;
    expect(initial.available).toBe(true);
    const leave = must(
      await w.http.call<ChiefView>('PATCH', `/api/v1/chiefs/${chief}`, { auth: w.auth.admin, body: { available: false, unavailableReason: '病假 sick leave', deputyId: deputy } }),
    ) as ChiefView;
    expect(leave).toMatchObject({ available: false, unavailableReason: '病假 sick leave', deputy: { id: deputy } });
    const back = must(await w.http.call<ChiefView>('PATCH', `/api/v1/chiefs/${chief}`, { auth: w.auth.operator, body: { available: true, deputyId: null } })) as ChiefView;
    expect(back).toMatchObject({ available: true, unavailableReason: null, deputy: null });
    // The same values again: no change, no entry.
    must(await w.http.call('PATCH', `/api/v1/chiefs/${chief}`, { auth: w.auth.admin, body: { available: true } }));

    const entries = await auditsOf('chief');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      action: 'chief.update',
      actor_username: 'admin',
      entity_id: String(chief),
      before: { available: true, unavailableReason: null, deputy: initial.deputy },
      after: { available: false, unavailableReason: '病假 sick leave', deputy: { id: deputy } },
    });
    expect(entries[1]).toMatchObject({ actor_username: 'operator', before: { available: false }, after: { available: true, deputy: null } });
  });

  it('lets a street-level admin change only the chiefs of their street; bad input names the field; nothing written', async () => {
    const mine = must(await w.http.get<ChiefView[]>(`/api/v1/chiefs`, streetAdmin)) as unknown as ChiefView[];
    expect(mine.length).toBeGreaterThan(0);
    const all = must(await w.http.get<ChiefView[]>(`/api/v1/chiefs`, w.auth.admin)) as unknown as ChiefView[];
    const other = all.find((c) => !mine.some((m) => m.id === c.id));
    expect(other).toBeDefined();

    const before = await auditCount();
    // Another street's chief is not revealed: 404, as a missing one.
    const refused = await w.http.call('PATCH', `/api/v1/chiefs/${other!.id}`, { auth: streetAdmin, body: { available: false } });
    expect(refused.status).toBe(404);
    const bad = await w.http.call('PATCH', `/api/v1/chiefs/${mine[0].id}`, { auth: w.auth.admin, body: { deputyId: mine[0].id } });
    expect(bad.status).toBe(400);
    expect(bad.body.details?.[0]?.field).toBe('deputyId');
    const badType = await w.http.call('PATCH', `/api/v1/chiefs/${mine[0].id}`, { auth: w.auth.admin, body: { available: 'no' } });
    expect(badType.status).toBe(400);
    expect(badType.body.details?.[0]?.field).toBe('available');
    for (const auth of [w.auth.leader, w.auth.warden1, w.auth.chief1]) {
      expect((await w.http.call('PATCH', `/api/v1/chiefs/${mine[0].id}`, { auth, body: { available: false } })).status).toBe(403);
    }
    expect(await auditCount()).toBe(before);
    expect((await w.db.query(`SELECT count(*)::int AS n FROM road_chief WHERE NOT available`)).rows[0].n).toBe(0);

    const ok = must(await w.http.call<ChiefView>('PATCH', `/api/v1/chiefs/${mine[0].id}`, { auth: streetAdmin, body: { available: false, unavailableReason: '出差' } })) as ChiefView;
    expect(ok.available).toBe(false);
    const [entry] = (await auditsOf('chief')).slice(-1);
    expect(entry).toMatchObject({ actor_username: 'street_admin', street_code: street, entity_id: String(mine[0].id) });
  });
});
