import { addStreetAdmin } from '../support/cases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '@wangge/clock';
import { must, report, startWorld, type World } from '../cases/helpers/workflow';

interface CategoryRecord {
  code: string;
  kind: string;
  major: { code: string; name: string; nameEn: string };
  minor: { code: string; name: string; nameEn: string };
  autoRegister: boolean;
  active: boolean;
  versionInForce: number | null;
  standards: { version: number; effectiveFrom: string; conditions: { no: number; condition: string; timeLimit: { value: number; clockType: string } }[] }[];
}

const today = () => localDate(new Date(), 480);

const condition = (value: number, clockType = 'work_hours', zh = '占道晾晒衣物') => ({
  condition: zh,
  conditionEn: 'Clothes hung out over the road',
  timeLimit: { value, clockType },
  closingCondition: '已清除',
  closingConditionEn: 'removed',
});

const newCategory = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  kind: 'event',
  majorCode: code.slice(1, 3),
  minorCode: code.slice(3, 5),
  name: '占道晾晒',
  nameEn: 'Drying clothes on the road',
  standard: { effectiveFrom: today(), conditions: [condition(4)] },
  ...extra,
});

describe('admin: categories and standard versions (domain.md section 7)', () => {
  let w: World;
  let streetAdmin: string;
  const counts = async () =>
    (
      await w.db.query(
        `SELECT (SELECT count(*) FROM category)::int AS categories, (SELECT count(*) FROM category_standard)::int AS standards,
                (SELECT count(*) FROM audit_entry)::int AS audits`,
      )
    ).rows[0] as { categories: number; standards: number; audits: number };
  const audits = async (entity: string, entityId: string) =>
    (await w.db.query(`SELECT action, actor_username, before, after FROM audit_entry WHERE entity = $1 AND entity_id = $2 ORDER BY id`, [entity, entityId])).rows;

  beforeAll(async () => {
    w = await startWorld('admin-catalogue');
    await addStreetAdmin(w.db);
    streetAdmin = await w.app.bearer('street_admin', 'street-admin-pass-1');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('adds a category with its first standard: reporting and GET /categories offer it; one audit entry', async () => {
    const created = must(await w.http.post<CategoryRecord>('/api/v1/admin/categories', newCategory('E0197'), w.auth.admin), 201) as CategoryRecord;
    expect(created).toMatchObject({ code: 'E0197', kind: 'event', active: true, autoRegister: true, versionInForce: 1, minor: { code: '97', name: '占道晾晒' } });
    // The major class keeps the name it has.
    expect(created.major.name).toBe('市容环境');
    expect(created.standards).toEqual([{ version: 1, effectiveFrom: today(), retiredAt: null, conditions: [expect.objectContaining({ no: 1, timeLimit: { value: 4, clockType: 'work_hours' } })] }]);
    const catalogue = must(await w.http.get<{ code: string; standard: { version: number } }[]>('/api/v1/categories')) as unknown as { code: string; standard: { version: number } }[];
    expect(catalogue.find((c) => c.code === 'E0197')?.standard.version).toBe(1);
    const entries = await audits('category', 'E0197');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'category.create', actor_username: 'admin', before: null, after: { code: 'E0197', standards: [{ version: 1 }] } });

    // Without a standard, and in a new major class (named).
    const bare = must(
      await w.http.post<CategoryRecord>('/api/v1/admin/categories', newCategory('C9901', { kind: 'component', standard: undefined, majorName: '试点部件', majorNameEn: 'Pilot components' }), w.auth.admin),
      201,
    ) as CategoryRecord;
    expect(bare).toMatchObject({ code: 'C9901', versionInForce: null, standards: [], major: { code: '99', name: '试点部件' } });
  });

  it('refuses bad categories naming the field, and writes nothing', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string, number][] = [
      [newCategory('E0196', { code: 'C0196' }), 'code', 400],
      [newCategory('E0196', { code: 'E01966' }), 'code', 400],
      [newCategory('E0196', { kind: 'thing' }), 'kind', 400],
      [newCategory('E0196', { nameEn: undefined }), 'nameEn', 400],
      [newCategory('E0196', { name: '<b>x</b>' }), 'name', 400],
      [newCategory('E0196', { autoRegister: 'yes' }), 'autoRegister', 400],
      [newCategory('E9801', { majorCode: '98' }), 'majorName', 400],
      [newCategory('E0196', { standard: { effectiveFrom: '2020-01-01', conditions: [condition(4)] } }), 'standard.effectiveFrom', 400],
      [newCategory('E0196', { standard: { effectiveFrom: '2026-13-01', conditions: [condition(4)] } }), 'standard.effectiveFrom', 400],
      [newCategory('E0196', { standard: { effectiveFrom: today(), conditions: [] } }), 'standard.conditions', 400],
      [newCategory('E0196', { standard: { effectiveFrom: today(), conditions: [condition(4, 'moon_hours')] } }), 'standard.conditions.0.timeLimit.clockType', 400],
      [newCategory('E0196', { standard: { effectiveFrom: today(), conditions: [condition(0)] } }), 'standard.conditions.0.timeLimit.value', 400],
    ];
    for (const [body, field, status] of cases) {
      const answer = await w.http.post('/api/v1/admin/categories', body, w.auth.admin);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.details?.map((d) => d.field), JSON.stringify(body)).toContain(field);
    }
    const exists = await w.http.post('/api/v1/admin/categories', newCategory('E0102'), w.auth.admin);
    expect(exists.status).toBe(409);
    expect(await counts()).toEqual(before);
  });

  it('adds standard versions, never edits one; the database refuses to change a stored version', async () => {
    const v2 = must(
      await w.http.post<CategoryRecord>('/api/v1/admin/categories/E0197/standards', { effectiveFrom: today(), conditions: [condition(2, 'urgent_hours'), condition(3, 'work_days', '阳台外挂晾晒')] }, w.auth.admin),
      201,
    ) as CategoryRecord;
    expect(v2.versionInForce).toBe(2);
    expect(v2.standards.map((s) => [s.version, s.conditions.map((c) => c.timeLimit.value)])).toEqual([
      [1, [4]],
      [2, [2, 3]],
    ]);
    const entries = await audits('standard', 'E0197/v2');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'standard.create', after: { version: 2, effectiveFrom: today() } });

    const before = await counts();
    const bad: [string, Record<string, unknown>, string, number][] = [
      ['E0197', { effectiveFrom: '2020-01-01', conditions: [condition(1)] }, 'effectiveFrom', 400],
      ['E0197', { effectiveFrom: today() }, 'conditions', 400],
      ['E0197', { effectiveFrom: today(), conditions: [{ ...condition(1), closingConditionEn: undefined }] }, 'conditions.0.closingConditionEn', 400],
      ['E0197', { effectiveFrom: today(), conditions: [condition(1)], version: 7 }, 'version', 400],
      ['e0197', { effectiveFrom: today(), conditions: [condition(1)] }, 'code', 400],
    ];
    for (const [code, body, field, status] of bad) {
      const answer = await w.http.post(`/api/v1/admin/categories/${code}/standards`, body, w.auth.admin);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.details?.map((d) => d.field)).toContain(field);
    }
    expect((await w.http.post('/api/v1/admin/categories/E0999/standards', { effectiveFrom: today(), conditions: [condition(1)] }, w.auth.admin)).status).toBe(404);
    expect(await counts()).toEqual(before);
    await expect(w.db.query(`UPDATE category_standard SET time_limit_value = 99 WHERE category_code = 'E0197'`)).rejects.toThrow(/frozen/);
    await expect(w.db.query(`DELETE FROM category_standard WHERE category_code = 'E0197'`)).rejects.toThrow(/frozen/);
  });

  it('deactivating hides a category from reporting and Open311 but keeps its cases readable; each change audited', async () => {
    const old = await report(w, { category: 'E0197', as: 'operator', description: '晾晒 drying clothes' });
    const off = must(await w.http.call<CategoryRecord>('PATCH', '/api/v1/admin/categories/E0197', { auth: w.auth.admin, body: { active: false, nameEn: 'Clothes drying on the road' } })) as CategoryRecord;
    expect(off).toMatchObject({ active: false, minor: { nameEn: 'Clothes drying on the road' } });
    const catalogue = must(await w.http.get('/api/v1/categories')) as unknown as { code: string }[];
    expect(catalogue.map((c) => c.code)).not.toContain('E0197');
    const services = (await (await fetch(`${w.app.baseUrl}/open311/v2/services.json`)).json()) as { service_code: string }[];
    expect(services.map((s) => s.service_code)).not.toContain('E0197');
    const refused = await w.http.post('/api/v1/cases', { categoryCode: 'E0197', description: 'again', location: old.location }, w.auth.operator);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const kept = must(await w.http.get<{ category: { code: string }; standard: { version: number } }>(`/api/v1/cases/${old.id}`, w.auth.operator));
    expect(kept.category.code).toBe('E0197');
    expect(kept.standard.version).toBe(2);

    const entries = await audits('category', 'E0197');
    expect(entries.map((e) => e.action)).toEqual(['category.create', 'category.update']);
    expect(entries[1]).toMatchObject({ before: { active: true, nameEn: 'Drying clothes on the road' }, after: { active: false, nameEn: 'Clothes drying on the road' } });

    const bad = await w.http.call('PATCH', '/api/v1/admin/categories/E0197', { auth: w.auth.admin, body: { active: 'no' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details?.[0]?.field).toBe('active');
    expect((await w.http.call('PATCH', '/api/v1/admin/categories/E0999', { auth: w.auth.admin, body: { active: true } })).status).toBe(404);
    must(await w.http.call('PATCH', '/api/v1/admin/categories/E0197', { auth: w.auth.admin, body: { active: true } }));
    expect((await audits('category', 'E0197')).length).toBe(3);
  });

  it('refuses street-level admins (403) and other roles (403), writing nothing', async () => {
    const before = await counts();
    const calls = [
      ['GET', '/api/v1/admin/categories', undefined],
      ['POST', '/api/v1/admin/categories', newCategory('E0195')],
      ['PATCH', '/api/v1/admin/categories/E0102', { active: false }],
      ['POST', '/api/v1/admin/categories/E0102/standards', { effectiveFrom: today(), conditions: [condition(1)] }],
    ] as const;
    for (const [method, path, body] of calls) {
      for (const auth of [streetAdmin, w.auth.operator, w.auth.leader, w.auth.warden1, w.auth.chief1]) {
        expect((await w.http.call(method, path, { auth, body })).status, `${method} ${path}`).toBe(403);
      }
      expect((await w.http.call(method, path, { body })).status).toBe(401);
    }
    expect(await counts()).toEqual(before);
  });
});
