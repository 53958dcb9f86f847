import { addStreetAdmin } from '../support/cases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, startWorld, type World } from '../cases/helpers/workflow';

interface CalendarYear {
  year: number;
  covered: boolean;
  entries: { date: string; kind: string; name: string; nameEn: string }[];
}

describe('admin: the holiday calendar by year (domain.md section 7)', () => {
  let w: World;
  let streetAdmin: string;
  const state = async () =>
    (
      await w.db.query(
        `SELECT (SELECT json_agg(h ORDER BY date) FROM holiday h)::text AS holidays, (SELECT count(*) FROM audit_entry)::int AS audits,
                (SELECT revision FROM calendar_revision)::int AS revision`,
      )
    ).rows[0] as { holidays: string; audits: number; revision: number };

  beforeAll(async () => {
    w = await startWorld('admin-calendar');
    await addStreetAdmin(w.db);
    streetAdmin = await w.app.bearer('street_admin', 'street-admin-pass-1');
  });
  afterAll(async () => {
    await w?.close();
  });

  it("reads a year's entries: the demo's 2026 and 2027, none for 2031", async () => {
    const y2026 = must(await w.http.get<CalendarYear>('/api/v1/admin/calendar/2026', w.auth.admin)) as CalendarYear;
    expect(y2026.covered).toBe(true);
    expect(y2026.entries[0]).toEqual({ date: '2026-01-01', kind: 'holiday', name: '元旦', nameEn: "New Year's Day" });
    expect(y2026.entries.every((e) => e.date.startsWith('2026-'))).toBe(true);
    expect(y2026.entries.some((e) => e.kind === 'workday')).toBe(true);
    expect(must(await w.http.get('/api/v1/admin/calendar/2031', w.auth.admin))).toEqual({ year: 2031, covered: false, entries: [] });
    const bad = await w.http.get('/api/v1/admin/calendar/20x7', w.auth.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.details?.[0]?.field).toBe('year');
  });

  it("replaces a year's entries whole, with one audit entry holding the year before and after", async () => {
    const before = must(await w.http.get<CalendarYear>('/api/v1/admin/calendar/2027', w.auth.admin)) as CalendarYear;
    const revision = (await state()).revision;
    const next = [
      { date: '2027-02-13', kind: 'workday', name: '春节调休', nameEn: 'Spring Festival make-up day' },
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-05', kind: 'holiday', name: '春节', nameEn: 'Spring Festival' },
    ];
    const saved = must(await w.http.call<CalendarYear>('PUT', '/api/v1/admin/calendar/2027', { auth: w.auth.admin, body: next })) as CalendarYear;
    expect(saved).toEqual({
      year: 2027,
      covered: true,
      entries: [
        { date: '2027-01-01', kind: 'holiday', name: '元旦', nameEn: '元旦' },
        { date: '2027-02-05', kind: 'holiday', name: '春节', nameEn: 'Spring Festival' },
        { date: '2027-02-13', kind: 'workday', name: '春节调休', nameEn: 'Spring Festival make-up day' },
      ],
    });
    expect(must(await w.http.get('/api/v1/admin/calendar/2027', w.auth.admin))).toEqual(saved);
    // Other years are untouched; the revision every process follows moved.
    expect((must(await w.http.get<CalendarYear>('/api/v1/admin/calendar/2026', w.auth.admin)) as CalendarYear).entries.length).toBeGreaterThan(10);
    expect((await state()).revision).toBeGreaterThan(revision);
    const { rows } = await w.db.query(`SELECT action, actor_username, entity_id, before, after FROM audit_entry WHERE entity = 'calendar'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'calendar.replace', actor_username: 'admin', entity_id: '2027', before: before.entries, after: saved.entries });
  });

  it('refuses bad entries naming the field, writing nothing', async () => {
    const before = await state();
    const cases: [unknown, string][] = [
      [[{ date: '2027-02-30', kind: 'holiday', name: 'x' }], '[0].date'],
      [[{ date: '2026-12-31', kind: 'holiday', name: 'x' }], '[0].date'],
      [[{ date: '2027-05-01', kind: 'holiday', name: 'a' }, { date: '2027-05-01', kind: 'holiday', name: 'b' }], '[1].date'],
      [[{ date: '2027-05-01', kind: 'vacation', name: 'x' }], '[0].kind'],
      [[{ date: '2027-05-01', kind: 'holiday', name: '' }], '[0].name'],
      [[{ date: '2027-05-01', kind: 'holiday', name: '<script>' }], '[0].name'],
      [[{ date: '2027-05-01', kind: 'holiday', name: 'x', color: 'red' }], '[0].color'],
      [{ date: '2027-05-01', kind: 'holiday', name: 'x' }, 'body'],
    ];
    for (const [body, field] of cases) {
      const answer = await w.http.call('PUT', '/api/v1/admin/calendar/2027', { auth: w.auth.admin, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.details?.map((d) => d.field), JSON.stringify(body)).toContain(field);
    }
    const badYear = await w.http.call('PUT', '/api/v1/admin/calendar/1999', { auth: w.auth.admin, body: [] });
    expect(badYear.status).toBe(400);
    expect(badYear.body.details?.[0]?.field).toBe('year');
    expect(await state()).toEqual(before);
  });

  it('refuses street-level admins and other roles (403), writing nothing', async () => {
    const before = await state();
    const body = [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }];
    for (const auth of [streetAdmin, w.auth.operator, w.auth.leader, w.auth.warden1, w.auth.chief1]) {
      expect((await w.http.get('/api/v1/admin/calendar/2027', auth)).status).toBe(403);
      expect((await w.http.call('PUT', '/api/v1/admin/calendar/2027', { auth, body })).status).toBe(403);
    }
    expect((await w.http.call('PUT', '/api/v1/admin/calendar/2027', { body })).status).toBe(401);
    expect(await state()).toEqual(before);
  });
});
