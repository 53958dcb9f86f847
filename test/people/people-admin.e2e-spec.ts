import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLogin, startPeopleWorld, type PeopleWorld } from './people-helpers';

interface Created {
  id: string;
  username: string;
  initialPassword: string;
}
interface Person {
  id: string;
  username: string;
  name: string;
  role: string;
  streetCode: string | null;
  cells: string[];
  active: boolean;
  chiefId: number | null;
}

describe('people: POST/PATCH /api/v1/admin/users, reset-password, import (domain.md section 7)', () => {
  let w: PeopleWorld;
  let streetA: string;
  let streetB: string;
  let wardenId: string;
  let wardenAuth: string;
  let streetAdmin: string;

  const userCount = async () => (await w.db.query(`SELECT count(*)::int AS n FROM app_user`)).rows[0].n as number;
  const audit = async (entityId: string) =>
    (await w.db.query(`SELECT action, before, after FROM audit_entry WHERE entity_id = $1 ORDER BY id`, [entityId])).rows as { action: string; before: unknown; after: unknown }[];

  beforeAll(async () => {
    w = await startPeopleWorld('people-admin');
    const streets = (await w.db.query(`SELECT code FROM street ORDER BY code LIMIT 2`)).rows as { code: string }[];
    [streetA, streetB] = streets.map((s) => s.code);
  });

  afterAll(async () => {
    await w?.close();
  });

  it('creates a warden with cells: a one-time password once, only its hash stored, one audit entry', async () => {
    const cells = await w.freeCells(streetA, 3);
    const res = await w.http.post<Created>('/api/v1/admin/users', { username: 'wang.wu', name: '王五', phone: '13800000001', role: 'warden', streetCode: streetA, cells }, w.admin);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), username: 'wang.wu', initialPassword: expect.stringMatching(/^[A-Za-z2-9]{14}$/) });
    wardenId = res.body.id;
    const row = (await w.db.query(`SELECT password_hash, password_change_required, street_code, role FROM app_user WHERE id = $1`, [wardenId])).rows[0];
    expect(row).toMatchObject({ password_change_required: true, street_code: streetA, role: 'warden' });
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(res.body.initialPassword);
    const got = await w.http.get<Person>(`/api/v1/admin/users/${wardenId}`, w.admin);
    expect(got.body).toMatchObject({ username: 'wang.wu', cells: [...cells].sort(), active: true, chiefId: null });
    const entries = await audit(wardenId);
    expect(entries).toEqual([{ action: 'user.create', before: null, after: expect.objectContaining({ username: 'wang.wu', role: 'warden', streetCode: streetA, cells: [...cells].sort() }) }]);
    expect(JSON.stringify(entries)).not.toContain(res.body.initialPassword);

    // The warden signs in once, sets a password, and reports a case in their cell: it is accepted.
    wardenAuth = await firstLogin(w, 'wang.wu', res.body.initialPassword, '王五的新密码-2026');
    const point = (await w.db.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid_cell WHERE code = $1`, [cells[0]])).rows[0];
    const report = await w.http.post<{ status: string; gridCell: { code: string } }>(
      '/api/v1/cases',
      { categoryCode: 'C0101', description: '井盖缺失 manhole cover missing', location: { lng: point.lng, lat: point.lat } },
      wardenAuth,
    );
    expect(report.status).toBe(201);
    expect(report.body.gridCell.code).toBe(cells[0]);
    expect(report.body.status).toBe('registered');
    expect(await w.auditCount('user.password_change', wardenId)).toBe(1);
  });

  it('lists people by role, street, active and search', async () => {
    const found = await w.http.get<{ username: string }[]>(`/api/v1/admin/users?role=warden&street=${streetA}&active=true&q=wang.w`, w.admin);
    expect(found.status).toBe(200);
    expect(found.body.map((u) => u.username)).toEqual(['wang.wu']);
    const byName = await w.http.get<{ username: string }[]>(`/api/v1/admin/users?q=${encodeURIComponent('王五')}`, w.admin);
    expect(byName.body.map((u) => u.username)).toEqual(['wang.wu']);
    // The demo's operators: operator and the command centre's 受理员 and 派遣员.
    const operators = (await w.http.get<{ username: string }[]>('/api/v1/admin/users?role=operator', w.admin)).body.map((u) => u.username);
    expect(operators.sort()).toEqual(['operator', 'paiqian1', 'paiqian2', 'shouli1', 'shouli2']);
    const bad = await w.http.get('/api/v1/admin/users?role=boss&active=maybe', w.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.details?.map((d) => d.field).sort()).toEqual(['active', 'role']);
  });

  it('edits a person: the audit entry holds before and after of the changed fields only', async () => {
    const cells = await w.freeCells(streetA, 2, 10);
    const res = await w.patch<Person>(`/api/v1/admin/users/${wardenId}`, { name: '王五五', cells }, w.admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: '王五五', cells: [...cells].sort() });
    const update = (await audit(wardenId)).filter((e) => e.action === 'user.update');
    expect(update).toHaveLength(1);
    expect(Object.keys(update[0].before as object).sort()).toEqual(['cells', 'name']);
    expect(update[0].after).toEqual({ name: '王五五', cells: [...cells].sort() });
    // The same change again changes nothing and records nothing.
    expect((await w.patch(`/api/v1/admin/users/${wardenId}`, { name: '王五五' }, w.admin)).status).toBe(200);
    expect(await w.auditCount('user.update', wardenId)).toBe(1);
  });

  it('refuses bad input with 4xx naming the field, and writes nothing', async () => {
    const before = await userCount();
    const auditBefore = (await w.db.query(`SELECT count(*)::int AS n FROM audit_entry`)).rows[0].n;
    const cases: [unknown, number, string][] = [
      [{ username: 'x y', name: '', role: 'boss' }, 400, 'username'],
      [{ username: 'new.one', name: '新人', role: 'warden', streetCode: streetA, cells: ['999999999999999'] }, 400, 'cells'],
      [{ username: 'new.one', name: '新人', role: 'warden' }, 400, 'streetCode'],
      [{ username: 'new.one', name: '新人', role: 'operator', cells: await w.freeCells(streetA, 1, 20) }, 400, 'cells'],
      [{ username: 'new.one', name: '新人', role: 'warden', streetCode: streetA, cells: await w.freeCells(streetB, 1) }, 400, 'cells'],
      [{ username: 'new.one', name: '新人', role: 'operator', departmentCode: 'D01' }, 400, 'departmentCode'],
      [{ username: 'new.one', name: '新人', role: 'chief' }, 400, 'chiefId'],
      [{ username: 'new.one', name: '新人', role: 'chief', chiefId: 999999 }, 400, 'chiefId'],
      [{ username: 'new.one', name: '新人', role: 'warden', streetCode: '999999999' }, 400, 'streetCode'],
      [{ username: 'wang.wu', name: '重名', role: 'operator' }, 409, 'username'],
    ];
    for (const [body, status, field] of cases) {
      const res = await w.http.post('/api/v1/admin/users', body, w.admin);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body.details?.map((d) => d.field)).toContain(field);
    }
    const dept = await w.http.post('/api/v1/admin/users', { username: 'new.one', name: '新人', role: 'operator', departmentCode: 'D01' }, w.admin);
    expect(dept.body.details?.[0]).toEqual({ field: 'departmentCode', problem: expect.stringMatching(/only role department belongs to a department/) });
    const patch = await w.patch(`/api/v1/admin/users/${wardenId}`, { username: 'renamed', active: 'no' }, w.admin);
    expect(patch.status).toBe(400);
    expect(patch.body.details?.map((d) => d.field).sort()).toEqual(['active', 'username']);
    expect((await w.patch('/api/v1/admin/users/not-a-uuid', { name: 'x' }, w.admin)).status).toBe(400);
    expect((await w.patch('/api/v1/admin/users/00000000-0000-4000-8000-000000000000', { name: 'x' }, w.admin)).status).toBe(404);
    expect(await userCount()).toBe(before);
    expect((await w.db.query(`SELECT count(*)::int AS n FROM audit_entry`)).rows[0].n).toBe(auditBefore);
    for (const who of ['operator', 'leader', 'chief1', 'warden1']) {
      expect((await w.http.post('/api/v1/admin/users', { username: 'new.two', name: '新', role: 'operator' }, await w.bearer(who))).status).toBe(403);
    }
  });

  it('lets a street admin manage their street only (403 with the reason otherwise)', async () => {
    const created = await w.http.post<Created>('/api/v1/admin/users', { username: 'jd.admin', name: '街道管理员', role: 'admin', streetCode: streetA }, w.admin);
    expect(created.status).toBe(201);
    streetAdmin = await firstLogin(w, 'jd.admin', created.body.initialPassword, 'jiedao-admin-2026!');

    const own = await w.http.post<Created>('/api/v1/admin/users', { username: 'a.warden', name: '本街网格员', role: 'warden', streetCode: streetA, cells: await w.freeCells(streetA, 2, 30) }, streetAdmin);
    expect(own.status).toBe(201);
    const list = await w.http.get<{ username: string; jurisdiction: { street: string } }[]>('/api/v1/admin/users', streetAdmin);
    expect(list.body.length).toBeGreaterThan(1);
    expect(list.body.every((u) => u.jurisdiction.street === streetA)).toBe(true);
    expect((await w.http.get(`/api/v1/admin/users?street=${streetB}`, streetAdmin)).status).toBe(403);

    const before = await userCount();
    const refusals: [unknown, string, RegExp][] = [
      [{ username: 'b.warden', name: '外街', role: 'warden', streetCode: streetB }, 'streetCode', /manages the people of that street only/],
      [{ username: 'd.staff', name: '全区', role: 'operator' }, 'streetCode', /district-wide/],
      [{ username: 'b.admin', name: '外街管理员', role: 'admin', streetCode: streetB }, 'streetCode', /street only/],
      [{ username: 'c.warden', name: '越界', role: 'warden', streetCode: streetA, cells: await w.freeCells(streetB, 1) }, 'cells', /outside your street/],
    ];
    for (const [body, field, reason] of refusals) {
      const res = await w.http.post('/api/v1/admin/users', body, streetAdmin);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('out_of_jurisdiction');
      expect(res.body.message).toMatch(reason);
      expect(res.body.details?.[0].field).toBe(field);
    }
    expect(await userCount()).toBe(before);

    const outsider = (await w.db.query(`SELECT id FROM app_user WHERE role = 'warden' AND street_code = $1 LIMIT 1`, [streetB])).rows[0].id as string;
    const chief = (await w.db.query(`SELECT id FROM app_user WHERE username = 'chief1'`)).rows[0].id as string;
    expect((await w.patch(`/api/v1/admin/users/${outsider}`, { name: 'x' }, streetAdmin)).status).toBe(403);
    expect((await w.http.post(`/api/v1/admin/users/${chief}/reset-password`, {}, streetAdmin)).status).toBe(403);
    expect((await w.http.get(`/api/v1/admin/users/${outsider}`, streetAdmin)).status).toBe(403);
    const moved = await w.patch(`/api/v1/admin/users/${own.body.id}`, { streetCode: streetB, cells: [] }, streetAdmin);
    expect(moved.status).toBe(403);
    expect((await w.patch(`/api/v1/admin/users/${own.body.id}`, { cells: await w.freeCells(streetB, 1) }, streetAdmin)).status).toBe(403);
    // Their entries carry their street: they read them in the audit trail.
    const trail = await w.http.get<{ action: string; entityId: string }[]>('/api/v1/admin/audit?entity=user', streetAdmin);
    expect(trail.body.some((e) => e.action === 'user.create' && e.entityId === own.body.id)).toBe(true);
  });

  it('deactivates (tokens refused at once, login refused) and reactivates', async () => {
    expect((await w.http.get('/api/v1/me/tasks', wardenAuth)).status).toBe(200);
    const off = await w.patch<Person>(`/api/v1/admin/users/${wardenId}`, { active: false }, w.admin);
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await w.http.get('/api/v1/me/tasks', wardenAuth)).status).toBe(401);
    expect((await w.login('wang.wu', '王五的新密码-2026')).status).toBe(401);
    expect((await w.http.get<{ active: boolean }[]>('/api/v1/admin/users?active=false&q=wang.wu', w.admin)).body).toHaveLength(1);
    const on = await w.patch<Person>(`/api/v1/admin/users/${wardenId}`, { active: true }, w.admin);
    expect(on.body.active).toBe(true);
    // The old token stays refused (its session ended); a new login works.
    expect((await w.http.get('/api/v1/me/tasks', wardenAuth)).status).toBe(401);
    const again = await w.login('wang.wu', '王五的新密码-2026');
    expect(again.status).toBe(200);
    wardenAuth = `Bearer ${again.body.accessToken}`;
    expect((await w.http.get('/api/v1/me/tasks', wardenAuth)).status).toBe(200);
    const toggles = (await audit(wardenId)).filter((e) => e.action === 'user.update' && JSON.stringify(e.after).includes('active'));
    expect(toggles.map((e) => e.after)).toEqual([{ active: false }, { active: true }]);
    // An admin cannot lock themselves out.
    const self = (await w.db.query(`SELECT id FROM app_user WHERE username = 'admin'`)).rows[0].id as string;
    expect((await w.patch(`/api/v1/admin/users/${self}`, { active: false }, w.admin)).status).toBe(409);
  });

  it('resets a password: old sessions and password refused, the one-time password must be changed first', async () => {
    const res = await w.http.post<{ initialPassword: string }>(`/api/v1/admin/users/${wardenId}/reset-password`, {}, w.admin);
    expect(res.status).toBe(200);
    expect(res.body.initialPassword).toMatch(/^[A-Za-z2-9]{14}$/);
    const old = await w.http.get('/api/v1/me/tasks', wardenAuth);
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('session_ended');
    const login = await w.login('wang.wu', res.body.initialPassword);
    expect(login.body.passwordChangeRequired).toBe(true);
    expect((await w.http.get('/api/v1/me/tasks', `Bearer ${login.body.accessToken}`)).status).toBe(403);
    expect(await w.auditCount('user.reset_password', wardenId)).toBe(1);
    const entry = (await audit(wardenId)).find((e) => e.action === 'user.reset_password');
    expect(JSON.stringify(entry)).not.toContain(res.body.initialPassword);
  });

  it('gives an imported chief (no password yet) a one-time password that logs in', async () => {
    // Every demo community has its level-3 chief: free one for the newcomer.
    const community = (
      await w.db.query(`DELETE FROM road_chief_scope WHERE id = (SELECT min(id) FROM road_chief_scope WHERE community_code IS NOT NULL) RETURNING community_code`)
    ).rows[0].community_code;
    const imported = await w.http.post(
      '/api/v1/admin/import',
      { files: [{ name: 'chiefs.csv', content: `username,name,phone,level,scope\nnew.chief,新任路长,13800000009,3,${community}\n` }] },
      w.admin,
    );
    if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
    const chief = (await w.db.query(`SELECT u.id, u.password_hash, c.id AS chief_id FROM app_user u JOIN road_chief c ON c.user_id = u.id WHERE u.username = 'new.chief'`)).rows[0];
    expect(chief.password_hash).toBeNull();
    const reset = await w.http.post<{ initialPassword: string }>(`/api/v1/admin/users/${chief.id}/reset-password`, {}, w.admin);
    expect(reset.status).toBe(200);
    const auth = await firstLogin(w, 'new.chief', reset.body.initialPassword, 'lu-zhang-2026-new');
    const me = await w.http.get<{ role: string; chiefId: number }>('/api/v1/auth/me', auth);
    expect(me.body).toMatchObject({ role: 'chief', chiefId: chief.chief_id });
    expect((await w.http.get('/api/v1/me/tasks', auth)).status).toBe(200);
  });

  it('hands a road-chief post to a new account (换人): the previous account is deactivated', async () => {
    const post = (await w.db.query(`SELECT c.id, u.id AS user_id FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE u.username = 'chief2'`)).rows[0];
    const res = await w.http.post<Created>('/api/v1/admin/users', { username: 'chief2.next', name: '接任路长', role: 'chief', chiefId: post.id }, w.admin);
    expect(res.status).toBe(201);
    expect((await w.db.query(`SELECT user_id FROM road_chief WHERE id = $1`, [post.id])).rows[0].user_id).toBe(res.body.id);
    expect((await w.db.query(`SELECT active FROM app_user WHERE id = $1`, [post.user_id])).rows[0].active).toBe(false);
    expect((await audit(res.body.id)).map((e) => e.action)).toEqual(['user.create']);
    expect((await audit(post.user_id)).map((e) => [e.action, e.after])).toEqual([['user.update', { active: false }]]);
    // An account that holds a post keeps the chief role until the post passes to another account.
    const chief3 = (await w.db.query(`SELECT id FROM app_user WHERE username = 'chief3'`)).rows[0].id;
    expect((await w.patch(`/api/v1/admin/users/${chief3}`, { role: 'operator' }, w.admin)).status).toBe(409);
  });

  it('imports a people CSV: any bad row refuses the whole file (each row listed), else all with their one-time passwords', async () => {
    const cells = await w.freeCells(streetA, 3, 40);
    const before = await userCount();
    const bad = [
      'username,name,phone,role,street,cells',
      `imp.one,导入一,13800000011,warden,${streetA},${cells[0]};${cells[1]}`,
      `imp.two,导入二,,warden,,`,
      `wang.wu,重名,,operator,,`,
      `imp.four,导入四,,warden,${streetA},999999999999999`,
      `imp.five,导入五,,boss,,`,
    ].join('\n');
    const refused = await w.http.post('/api/v1/admin/users/import', { content: bad }, w.admin);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('import_rejected');
    expect(refused.body.details?.map((d) => d.field)).toEqual(['line 6 (imp.five)', 'line 3 (imp.two)', 'line 4 (wang.wu)', 'line 5 (imp.four)']);
    expect(await userCount()).toBe(before);
    expect(await w.auditCount('user.import')).toBe(0);

    const good = ['username,name,phone,role,street,cells', `imp.one,导入一,13800000011,warden,${streetA},"${cells[0]} ${cells[1]}"`, `imp.two,导入二,,operator,,`].join('\r\n');
    const res = await w.http.post<{ created: { username: string; cells: string[]; initialPassword: string }[] }>('/api/v1/admin/users/import', { content: good }, w.admin);
    expect(res.status).toBe(201);
    expect(res.body.created.map((c) => [c.username, c.cells])).toEqual([
      ['imp.one', [cells[0], cells[1]]],
      ['imp.two', []],
    ]);
    expect(await userCount()).toBe(before + 2);
    expect(await w.auditCount('user.import')).toBe(1);
    const entry = (await w.db.query(`SELECT after FROM audit_entry WHERE action = 'user.import'`)).rows[0].after;
    expect(JSON.stringify(entry)).not.toContain(res.body.created[0].initialPassword);
    const login = await w.login('imp.one', res.body.created[0].initialPassword);
    expect(login.body.passwordChangeRequired).toBe(true);

    // A street admin's file may only hold their street's people.
    const foreign = ['username,name,phone,role,street,cells', `imp.six,外街,,warden,${streetB},`].join('\n');
    const out = await w.http.post('/api/v1/admin/users/import', { content: foreign }, streetAdmin);
    expect(out.status).toBe(422);
    expect(out.body.details?.[0].problem).toMatch(/street only/);
  });

  it('refuses a retired cell (re-zoning keeps retired cells for history; a warden gets live ones only)', async () => {
    // Re-zoning's migration adds grid_cell.retired_at; on a database without it yet, add it here.
    await w.db.query(`ALTER TABLE grid_cell ADD COLUMN IF NOT EXISTS retired_at timestamptz`);
    const [retired, live] = await w.freeCells(streetA, 2, 60);
    await w.db.query(`UPDATE grid_cell SET retired_at = now() WHERE code = $1`, [retired]);
    const res = await w.patch(`/api/v1/admin/users/${wardenId}`, { cells: [live, retired] }, w.admin);
    expect(res.status).toBe(400);
    expect(res.body.details?.[0]).toEqual({ field: 'cells', problem: expect.stringContaining(`no live grid cell ${retired}`) });
    expect((await w.patch<Person>(`/api/v1/admin/users/${wardenId}`, { cells: [live] }, w.admin)).body.cells).toEqual([live]);
  });

  it('records every admin change exactly once', async () => {
    const { rows } = await w.db.query(
      `SELECT action, entity_id, count(*)::int AS n FROM audit_entry WHERE entity = 'user' AND entity_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1 AND action <> 'user.update'`,
    );
    expect(rows).toEqual([]);
    const created = (await w.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'user.create'`)).rows[0].n;
    expect(created).toBe(4); // wang.wu, jd.admin, a.warden, chief2.next
  });
});
