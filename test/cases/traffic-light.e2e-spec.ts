import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell } from '../support/cases';

interface LitCase {
  id: string;
  status: string;
  deadlineAt: string | null;
  light?: 'green' | 'yellow' | 'red' | null;
  limitUsed?: number | null;
}

/** The instant of a local time in UTC+8 (the demo district's zone). */
const local = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const minus1ms = (d: Date) => new Date(d.getTime() - 1);

/**
 * The traffic light over HTTP (issue 22, item 3), on a ManualClock: four cases dispatched on Monday
 * 2027-03-01 09:00, one on each clock (C0101 conditions 1-3: 2 urgent hours, 8 work hours, 5 work
 * days; E0101 condition 2: 30 natural days), and one registered case without a limit. At the
 * instants where each reaches 80 % and 100 % of its limit, the list sorted by light puts red first,
 * then yellow, then green by share used, the case without a limit last.
 */
describe('the traffic light in case views and in lists sorted by light', () => {
  const clock = new ManualClock(local('2027-03-01 09:00'));
  let intake: RunningApp;
  let http: ReturnType<typeof api>;
  let db: Client;
  const auth: Record<string, string> = {};
  const ids: Record<'urgent' | 'workHours' | 'workDays' | 'natural' | 'none', string> = { urgent: '', workHours: '', workDays: '', natural: '', none: '' };

  beforeAll(async () => {
    intake = await startIntake('light', { REPORT_RATE_LIMIT: '100000' }, { clock });
    http = api(intake);
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    for (const u of ['operator', 'warden1', 'chief3']) auth[u] = await intake.bearer(u);
    const chief3 = await chiefIdOf(db, 'chief3');
    const cases: [keyof typeof ids, string, number][] = [
      ['urgent', 'C0101', 1],
      ['workHours', 'C0101', 2],
      ['workDays', 'C0101', 3],
      ['natural', 'E0101', 2],
      ['none', 'C0101', 1],
    ];
    let n = 0;
    for (const [key, categoryCode, conditionNo] of cases) {
      const p = await pointInWardenCell(db, 'warden1', n++);
      const created = await http.post<LitCase>('/api/v1/cases', { categoryCode, conditionNo, description: `light ${key}`, location: { lng: p.lng, lat: p.lat } }, auth.warden1);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      // Some categories (E0101 illegal structures) wait for the operator to register them.
      if (created.body.status === 'reported') {
        expect((await http.act(created.body.id, 'register', { conditionNo }, auth.operator)).status).toBe(200);
      }
      ids[key] = created.body.id;
      if (key !== 'none') expect((await http.act(created.body.id, 'dispatch', { assigneeId: chief3 }, auth.operator)).status).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await intake?.close();
  });

  async function listAt(at: Date): Promise<LitCase[]> {
    clock.set(at);
    const answer = await http.get<{ items: LitCase[] }>('/api/v1/cases?sort=light&limit=200', auth.operator);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.items;
  }
  const nameOf = (id: string) => (Object.keys(ids) as (keyof typeof ids)[]).find((k) => ids[k] === id);
  const shown = (items: LitCase[]) => items.map((c) => `${nameOf(c.id)}:${c.light}`);

  it('the deadlines are those of the four clocks', async () => {
    const deadline = async (key: keyof typeof ids) => (await http.get<LitCase>(`/api/v1/cases/${ids[key]}`, auth.operator)).body.deadlineAt;
    expect(await deadline('urgent')).toBe(local('2027-03-01 11:00').toISOString());
    expect(await deadline('workHours')).toBe(local('2027-03-02 09:00').toISOString());
    expect(await deadline('workDays')).toBe(local('2027-03-08 09:00').toISOString());
    expect(await deadline('natural')).toBe(local('2027-03-31 09:00').toISOString());
    expect(await deadline('none')).toBeNull();
  });

  it.each([
    // 2 urgent hours: 80 % at 10:36, 100 % at 11:00.
    ['2027-03-01 10:36', 'urgent', ['urgent:yellow', 'workHours:green', 'workDays:green', 'natural:green', 'none:null']],
    ['2027-03-01 11:00', 'urgent', ['urgent:red', 'workHours:green', 'workDays:green', 'natural:green', 'none:null']],
    // 8 work hours from Monday 09:00: 3 h to noon, 3.4 h after lunch → 80 % at 17:24; 100 % Tuesday 09:00.
    ['2027-03-01 17:24', 'workHours', ['urgent:red', 'workHours:yellow', 'workDays:green', 'natural:green', 'none:null']],
    // (Both red: the urgent case, 12 times its limit, before the work-hours case at exactly 1.)
    ['2027-03-02 09:00', 'workHours', ['urgent:red', 'workHours:red', 'workDays:green', 'natural:green', 'none:null']],
    // 5 work days (40 h): 32 h by Friday 09:00; 100 % the next Monday 09:00.
    ['2027-03-05 09:00', 'workDays', ['urgent:red', 'workHours:red', 'workDays:yellow', 'natural:green', 'none:null']],
    ['2027-03-08 09:00', 'workDays', ['urgent:red', 'workHours:red', 'workDays:red', 'natural:green', 'none:null']],
    // 30 natural days: 24 days → 80 % on 03-25 09:00; 100 % on 03-31 09:00.
    ['2027-03-25 09:00', 'natural', ['urgent:red', 'workHours:red', 'workDays:red', 'natural:yellow', 'none:null']],
    ['2027-03-31 09:00', 'natural', ['urgent:red', 'workHours:red', 'workDays:red', 'natural:red', 'none:null']],
  ] as const)('at %s (%s at its boundary) the list is %j', async (when, key, expected) => {
    const at = local(when);
    const boundary = expected.find((e) => e.startsWith(`${key}:`))!.split(':')[1];
    expect(shown(await listAt(at))).toEqual([...expected]);
    // The case at its boundary, in its own view: exactly 80 % or 100 % used.
    const own = (await http.get<LitCase>(`/api/v1/cases/${ids[key]}`, auth.operator)).body;
    expect(own).toMatchObject({ light: boundary, limitUsed: boundary === 'yellow' ? 0.8 : 1 });
    // One millisecond earlier it is still the colour before.
    const earlier = (await listAt(minus1ms(at))).find((c) => c.id === ids[key])!;
    expect(earlier.light).toBe(boundary === 'yellow' ? 'green' : 'yellow');
  });

  it('the red cases come first by the share used (the most overdue first), and a cursor pages the same instant', async () => {
    const at = local('2027-03-09 10:00');
    const all = await listAt(at);
    expect(all.map((c) => nameOf(c.id))).toEqual(['urgent', 'workHours', 'workDays', 'natural', 'none']);
    const shares = all.slice(0, 3).map((c) => c.limitUsed!);
    expect([...shares].sort((a, b) => b - a)).toEqual(shares);
    clock.set(at);
    const first = await http.get<{ items: LitCase[]; nextCursor: string | null }>('/api/v1/cases?sort=light&limit=2', auth.operator);
    expect(first.body.items.map((c) => nameOf(c.id))).toEqual(['urgent', 'workHours']);
    // Later, the next page is still the list as it stood at the first page's instant.
    clock.set(local('2027-04-30 10:00'));
    const second = await http.get<{ items: LitCase[]; nextCursor: string | null }>(`/api/v1/cases?sort=light&limit=2&cursor=${first.body.nextCursor}`, auth.operator);
    expect(second.body.items.map((c) => nameOf(c.id))).toEqual(['workDays', 'natural']);
    expect(second.body.items[1].limitUsed).toBe(all[3].limitUsed);
  });

  it('a bad sort or a cursor of the other order answers 400 naming the field', async () => {
    const bad = await http.get('/api/v1/cases?sort=colour', auth.operator);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('sort');
    const newest = await http.get<{ nextCursor: string }>('/api/v1/cases?limit=1', auth.operator);
    const mixed = await http.get(`/api/v1/cases?sort=light&cursor=${newest.body.nextCursor}`, auth.operator);
    expect(mixed.status).toBe(400);
    expect(mixed.body.details?.[0]?.field).toBe('cursor');
  });

  it('the chief’s task list is sorted by light', async () => {
    clock.set(local('2027-03-01 10:36'));
    const tasks = await http.get<LitCase[]>('/api/v1/me/tasks', auth.chief3);
    expect(tasks.status).toBe(200);
    expect(shown(tasks.body)).toEqual(['urgent:yellow', 'workHours:green', 'workDays:green', 'natural:green']);
  });

  it('a resolved case is timed by its verification limit; a closed one has no light', async () => {
    clock.set(local('2027-03-01 10:00'));
    expect((await http.act(ids.none, 'dispatch', { assigneeId: await chiefIdOf(db, 'chief3') }, auth.operator)).status).toBe(200);
    expect((await http.act(ids.none, 'accept', {}, auth.chief3)).status).toBe(200);
    expect((await http.act(ids.none, 'resolve', { note: 'fixed' }, auth.chief3)).status).toBe(200);
    // VERIFY_LIMIT_WORK_HOURS (default 2) from 10:00: the verify deadline is 12:00; lunch does not count.
    clock.set(local('2027-03-01 12:30'));
    const resolved = (await http.get<LitCase & { verifyDeadlineAt?: string }>(`/api/v1/cases/${ids.none}`, auth.operator)).body;
    expect(resolved).toMatchObject({ status: 'resolved', light: 'red', limitUsed: 1 });
    clock.set(local('2027-03-01 11:36'));
    expect((await http.get<LitCase>(`/api/v1/cases/${ids.none}`, auth.operator)).body).toMatchObject({ light: 'yellow', limitUsed: 0.8 });
    // No warden on duty: the check is the operators'.
    expect((await http.act(ids.none, 'verify', { passed: true }, auth.operator)).status).toBe(200);
    expect((await http.get<LitCase>(`/api/v1/cases/${ids.none}`, auth.operator)).body).toMatchObject({ status: 'closed', light: null, limitUsed: null });
  });

  it('the feed message of each case event carries the light at the event', async () => {
    const { rows } = await db.query(
      `SELECT type, state -> 'light' AS light FROM case_event WHERE case_id = $1 ORDER BY seq`,
      [ids.none],
    );
    expect(rows.map((r) => [r.type, r.light?.light ?? null])).toEqual([
      ['case.reported', null],
      ['case.registered', null],
      ['case.dispatched', 'green'],
      ['case.accepted', 'green'],
      ['case.resolved', 'green'],
      // the check task the resolve gives (核查), on the verification limit
      ['case.check_assigned', 'green'],
      ['case.closed', null],
    ]);
  });
});

