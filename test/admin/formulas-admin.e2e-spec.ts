import { addStreetAdmin } from '../support/cases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '@wangge/clock';
import { must, startWorld, type World } from '../cases/helpers/workflow';

interface Formula {
  version: number;
  weights: Record<string, number>;
  effectiveFrom: string;
  note: string | null;
}

const WEIGHTS = { onTimeHandlingRate: 40, closingRate: 20, reworkRate: 15, overdueRate: 15, extensionRate: 10 };

describe('admin: evaluation formula versions (domain.md sections 5 and 7)', () => {
  let w: World;
  let streetAdmin: string;
  const today = localDate(new Date(), 480);
  const yesterday = localDate(new Date(Date.now() - 86_400_000), 480);
  const state = async () =>
    (await w.db.query(`SELECT (SELECT count(*) FROM evaluation_formula)::int AS formulas, (SELECT count(*) FROM audit_entry)::int AS audits`)).rows[0];

  beforeAll(async () => {
    w = await startWorld('admin-formulas');
    await addStreetAdmin(w.db);
    streetAdmin = await w.app.bearer('street_admin', 'street-admin-pass-1');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('adds a version in force from today; reports of earlier periods keep the version in force then; one audit entry', async () => {
    const created = must(await w.http.post<Formula>('/api/v1/admin/evaluation/formulas', { weights: WEIGHTS, effectiveFrom: today, note: '加重按期处置' }, w.auth.admin), 201) as Formula;
    expect(created).toMatchObject({ version: 2, weights: WEIGHTS, note: '加重按期处置' });
    expect(created.effectiveFrom).toBe(new Date(`${today}T00:00:00+08:00`).toISOString());
    const versions = must(await w.http.get<Formula[]>('/api/v1/admin/evaluation/formulas', w.auth.admin)) as unknown as Formula[];
    expect(versions.map((f) => f.version)).toEqual([1, 2]);
    expect(versions[0].weights).toEqual({ onTimeHandlingRate: 30, closingRate: 20, reworkRate: 20, overdueRate: 20, extensionRate: 10 });

    const report = async (day: string) =>
      (must(await w.http.get<{ formula: { version: number } }>(`/api/v1/evaluation?from=${day}&to=${day}&groupBy=street`, w.auth.leader)) as { formula: { version: number } }).formula.version;
    expect(await report(yesterday)).toBe(1);
    expect(await report(today)).toBe(2);

    const { rows } = await w.db.query(`SELECT action, actor_username, entity_id, after FROM audit_entry WHERE entity = 'formula'`);
    expect(rows).toEqual([{ action: 'formula.create', actor_username: 'admin', entity_id: '2', after: expect.objectContaining({ version: 2, weights: WEIGHTS }) }]);
  });

  it('refuses weights that do not sum to 100, negative weights and past dates, naming the field, writing nothing', async () => {
    const before = await state();
    const cases: [Record<string, unknown>, string][] = [
      [{ weights: { ...WEIGHTS, extensionRate: 11 }, effectiveFrom: today }, 'weights'],
      [{ weights: { ...WEIGHTS, closingRate: -5, onTimeHandlingRate: 65 }, effectiveFrom: today }, 'weights.closingRate'],
      [{ weights: { ...WEIGHTS, reworkRate: '15' }, effectiveFrom: today }, 'weights.reworkRate'],
      [{ weights: { ...WEIGHTS, overdueRate: undefined }, effectiveFrom: today }, 'weights.overdueRate'],
      [{ weights: { ...WEIGHTS, bonus: 1 }, effectiveFrom: today }, 'weights.bonus'],
      [{ weights: WEIGHTS, effectiveFrom: yesterday }, 'effectiveFrom'],
      [{ weights: WEIGHTS, effectiveFrom: '2027-02-30' }, 'effectiveFrom'],
      [{ weights: WEIGHTS }, 'effectiveFrom'],
      [{ effectiveFrom: today }, 'weights'],
    ];
    for (const [body, field] of cases) {
      const answer = await w.http.post('/api/v1/admin/evaluation/formulas', body, w.auth.admin);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.details?.map((d) => d.field), JSON.stringify(body)).toContain(field);
    }
    expect(await state()).toEqual(before);
  });

  it('refuses street-level admins and other roles (403), writing nothing', async () => {
    const before = await state();
    for (const auth of [streetAdmin, w.auth.operator, w.auth.leader, w.auth.warden1, w.auth.chief1]) {
      expect((await w.http.post('/api/v1/admin/evaluation/formulas', { weights: WEIGHTS, effectiveFrom: today }, auth)).status).toBe(403);
    }
    expect((await w.http.post('/api/v1/admin/evaluation/formulas', { weights: WEIGHTS, effectiveFrom: today })).status).toBe(401);
    expect(await state()).toEqual(before);
  });
});
