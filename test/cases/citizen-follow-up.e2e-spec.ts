import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { startFeed, startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { FeedClient } from '../feed/helpers/feed-client';
import { uploadPng, type CaseBody, type World } from './helpers/workflow';

/** The instant of a local time in UTC+8 (the demo district's zone). */
const local = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);

interface PublicBody {
  id: string;
  status: string;
  closedAt: string | null;
  publicNote: string | null;
  media: { id: string }[];
  timeline?: { type: string; note: string | null }[];
  updates?: { id: string; note: string; media: { id: string; url: string }[]; at: string }[];
  followUp?: { feedback: { satisfied: boolean; reopened: boolean } | null; canGiveFeedback: boolean; notFixedReopens: boolean };
}

interface FeedbackBody {
  feedbackId: string;
  reopened: boolean;
  notReopenedBecause: string | null;
  case: PublicBody;
}

interface UpdateBody {
  id: string;
  note: string;
  status: string;
  media: { id: string }[];
  decidedBy: string | null;
}

/**
 * Citizens' follow-up (issue 18 item 4, domain.md 9) over HTTP on real PostgreSQL and Redis with a
 * ManualClock: feedback once per close and only after close; "not fixed" on day 3 reopens the case
 * as rework to the same chief with a new limit (live on the feed), on day 8 it does not, and a second
 * "not fixed" after the rework closes does not reopen again; updates stay hidden until approved; a
 * wrong token is answered as a case that does not exist.
 */
describe('citizens’ follow-up: feedback, reopen once, updates after approval', () => {
  const clock = new ManualClock(local('2027-03-01 09:00'));
  let redis: RedisServer;
  let intake: RunningApp;
  let feed: Awaited<ReturnType<typeof startFeed>>;
  let operatorFeed: FeedClient;
  let http: ReturnType<typeof api>;
  let db: Client;
  const auth: Record<string, string> = {};
  let chief3 = 0;
  let n = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50' };
    intake = await startIntake('citizen-follow-up', env, { clock });
    feed = await startFeed(intake.databaseUrl, env);
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    http = api(intake);
    for (const u of ['operator', 'leader', 'warden1', 'chief3', 'chief2']) auth[u] = await intake.bearer(u);
    chief3 = await chiefIdOf(db, 'chief3');
    operatorFeed = new FeedClient(feed.url, { token: auth.operator });
    await operatorFeed.connected();
  }, 120_000);

  afterAll(async () => {
    operatorFeed?.close();
    await feed?.close();
    await db?.end();
    await intake?.close();
    await redis?.close();
  });

  const must = async <T>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> => {
    const a = await p;
    expect(a.status, JSON.stringify(a.body)).toBe(status);
    return a.body;
  };
  const staffView = (id: string) => must(http.get<CaseBody>(`/api/v1/cases/${id}`, auth.operator));
  const publicView = (id: string, token: string) => must(http.get<PublicBody>(`/api/v1/cases/${id}?trackingToken=${token}`));
  const feedback = (id: string, token: string, body: unknown) => http.post<FeedbackBody>(`/api/v1/cases/${id}/feedback?trackingToken=${token}`, body);
  const rows = async (table: string, id: string) => Number((await db.query(`SELECT count(*) FROM ${table} WHERE case_id = $1`, [id])).rows[0].count);

  /** An anonymous citizen's report in a cell of warden1, reported, then handled to `status` by staff. */
  async function citizenCase(status: 'in_progress' | 'closed'): Promise<{ id: string; token: string }> {
    const p = await pointInWardenCell(db, 'warden1', 40 + n++);
    const created = await must(
      http.post<CaseBody & { trackingToken: string }>('/api/v1/cases', { categoryCode: 'C0101', description: '井盖缺失 manhole cover missing', location: { lng: p.lng, lat: p.lat } }),
      201,
    );
    const id = created.id;
    if (created.status === 'reported') await must(http.act(id, 'register', {}, auth.operator));
    await must(http.act(id, 'dispatch', { assigneeId: chief3 }, auth.operator));
    await must(http.act(id, 'accept', {}, auth.chief3));
    if (status === 'closed') {
      await must(http.act(id, 'resolve', { note: '已更换井盖 replaced' }, auth.chief3));
      await must(http.act(id, 'verify', { passed: true }, auth.operator));
    }
    return { id, token: created.trackingToken };
  }

  it('feedback only on a closed case (409), once per close (409), bad bodies 400 naming the field, and nothing written', async () => {
    clock.set(local('2027-03-01 09:00'));
    const open = await citizenCase('in_progress');
    const early = await feedback(open.id, open.token, { satisfied: true });
    expect(early.status).toBe(409);
    expect(early.body.currentStatus).toBe('in_progress');

    const c = await citizenCase('closed');
    for (const [body, field] of [
      [{}, 'satisfied'],
      [{ satisfied: 'yes' }, 'satisfied'],
      [{ satisfied: true, comment: 'x'.repeat(501) }, 'comment'],
      [{ satisfied: true, comment: '<script>alert(1)</script>' }, 'comment'],
    ] as const) {
      const a = await feedback(c.id, c.token, body);
      expect(a.status, JSON.stringify(body)).toBe(400);
      expect(a.body.details?.map((d) => d.field), JSON.stringify(a.body)).toContain(field);
    }
    const noToken = await http.post(`/api/v1/cases/${c.id}/feedback`, { satisfied: true });
    expect(noToken.status).toBe(400);
    expect(noToken.body.details?.map((d) => d.field)).toContain('trackingToken');
    expect(await rows('case_feedback', c.id)).toBe(0);

    const first = await must(feedback(c.id, c.token, { satisfied: true, comment: '很快，满意 quick, thanks' }));
    expect(first).toMatchObject({ reopened: false, notReopenedBecause: null });
    expect(first.case.status).toBe('closed');
    expect(first.case.followUp).toMatchObject({ feedback: { satisfied: true, reopened: false }, canGiveFeedback: false, notFixedReopens: false });
    expect(first.case.timeline?.map((e) => e.type)).toContain('case.feedback');
    // The comment is the staff's to read, not the public's.
    expect(first.case.timeline?.find((e) => e.type === 'case.feedback')?.note).toBeNull();
    const again = await feedback(c.id, c.token, { satisfied: false });
    expect(again.status).toBe(409);
    expect(again.body.error).toBeDefined();
    expect(await rows('case_feedback', c.id)).toBe(1);
    expect((await staffView(c.id)).status).toBe('closed');
  });

  it('a wrong token, another case’s token or an unknown case: 404 alike, nothing written', async () => {
    clock.set(local('2027-03-01 09:00'));
    const a = await citizenCase('closed');
    const b = await citizenCase('closed');
    const answers = [
      await feedback(a.id, b.token, { satisfied: false }),
      await feedback(a.id, 'A'.repeat(43), { satisfied: false }),
      await feedback('00000000-0000-4000-8000-000000000000', a.token, { satisfied: false }),
      await http.post(`/api/v1/cases/${a.id}/updates?trackingToken=${b.token}`, { note: '不是我的案卷' }),
    ];
    for (const x of answers) expect(x.status, JSON.stringify(x.body)).toBe(404);
    // The same words whether the case exists or not: nothing leaks.
    expect(answers[0].body.error).toBe(answers[2].body.error);
    expect(await rows('case_feedback', a.id)).toBe(0);
    expect(await rows('case_update', a.id)).toBe(0);
    expect((await staffView(a.id)).status).toBe('closed');
  });

  it('"not fixed" on day 3 reopens the case to the same chief with a new limit, live on the command center’s feed; a second "not fixed" after the rework closes does not', async () => {
    clock.set(local('2027-03-01 09:00'));
    const c = await citizenCase('closed');
    const closed = await staffView(c.id);
    expect((await publicView(c.id, c.token)).followUp).toMatchObject({ canGiveFeedback: true, notFixedReopens: true });

    clock.set(local('2027-03-04 10:00'));
    const said = await must(feedback(c.id, c.token, { satisfied: false, comment: '井盖还是松的 still loose' }));
    expect(said).toMatchObject({ reopened: true, notReopenedBecause: null });
    expect(said.case.status).toBe('in_progress');
    expect(said.case.publicNote).toContain('not fixed');
    const open311 = await must(http.get<{ status: string; status_notes: string }[]>(`/open311/v2/requests/${closed.code}.json`));
    expect(open311[0]).toMatchObject({ status: 'open', status_notes: said.case.publicNote });
    const reopened = await staffView(c.id);
    expect(reopened.status).toBe('in_progress');
    expect(reopened.assignee?.id).toBe(closed.assignee?.id);
    expect(reopened.reworkCount).toBe(closed.reworkCount + 1);
    expect(reopened.closedAt).toBeNull();
    expect(new Date(reopened.deadlineAt ?? 0).getTime()).toBeGreaterThan(local('2027-03-04 10:00').getTime());
    expect(reopened.timeline?.slice(-2).map((e) => e.type)).toEqual(['case.feedback', 'case.reopened']);
    expect(reopened.timeline?.at(-2)?.note).toBe('井盖还是松的 still loose');
    await operatorFeed.until(() => operatorFeed.events.some((e) => e.caseId === c.id && e.type === 'case.reopened' && e.status === 'in_progress'), 10_000, 'case.reopened on the feed');

    // The chief fixes it again; the operator closes it (no warden on duty: the check is the operators'); the citizen is still not satisfied: recorded, no second reopen.
    await must(http.act(c.id, 'resolve', { note: '已加固 fixed again' }, auth.chief3));
    await must(http.act(c.id, 'verify', { passed: true }, auth.operator));
    clock.set(local('2027-03-05 10:00'));
    expect((await publicView(c.id, c.token)).followUp).toMatchObject({ canGiveFeedback: true, notFixedReopens: false });
    const second = await must(feedback(c.id, c.token, { satisfied: false }));
    expect(second).toMatchObject({ reopened: false, notReopenedBecause: 'already_reopened' });
    expect((await staffView(c.id)).status).toBe('closed');
    expect(await rows('case_feedback', c.id)).toBe(2);
  });

  it('"not fixed" on day 8 is recorded but does not reopen', async () => {
    clock.set(local('2027-03-01 09:00'));
    const c = await citizenCase('closed');
    clock.set(local('2027-03-08 23:59'));
    expect((await publicView(c.id, c.token)).followUp?.notFixedReopens).toBe(true);
    clock.set(local('2027-03-09 08:00'));
    expect((await publicView(c.id, c.token)).followUp?.notFixedReopens).toBe(false);
    const late = await must(feedback(c.id, c.token, { satisfied: false, comment: '还是坏的 still broken' }));
    expect(late).toMatchObject({ reopened: false, notReopenedBecause: 'reopen_window_passed' });
    const after = await staffView(c.id);
    expect(after.status).toBe('closed');
    expect(after.timeline?.at(-1)?.type).toBe('case.feedback');
    expect(await rows('case_feedback', c.id)).toBe(1);
  });

  it('a citizen’s update with a photo is hidden from the public until an operator approves it; staff see it pending', async () => {
    clock.set(local('2027-03-01 09:00'));
    const c = await citizenCase('in_progress');
    const w = { app: intake } as unknown as World;
    const photo = await uploadPng(w, 7);
    const bad = await http.post(`/api/v1/cases/${c.id}/updates?trackingToken=${c.token}`, { note: '', mediaIds: ['not-a-uuid'] });
    expect(bad.status).toBe(400);
    expect(bad.body.details?.map((d) => d.field)).toEqual(expect.arrayContaining(['note', 'mediaIds']));

    const added = await must(http.post<UpdateBody>(`/api/v1/cases/${c.id}/updates?trackingToken=${c.token}`, { note: '又冒水了 water again', mediaIds: [photo] }), 201);
    expect(added).toMatchObject({ note: '又冒水了 water again', status: 'pending' });
    let pub = await publicView(c.id, c.token);
    expect(pub.updates).toEqual([]);
    expect(pub.media.map((m) => m.id)).not.toContain(photo);
    expect(pub.timeline?.map((e) => e.type)).not.toContain('case.update_added');

    const pending = await must(http.get<UpdateBody[]>(`/api/v1/cases/${c.id}/updates`, auth.operator));
    expect(pending.map((u) => [u.id, u.status])).toEqual([[added.id, 'pending']]);
    // A chief and a warden may not decide (403); the chief sees the updates of their case.
    expect((await http.post(`/api/v1/cases/${c.id}/updates/${added.id}/approve`, {}, auth.chief3)).status).toBe(403);
    expect((await http.post(`/api/v1/cases/${c.id}/updates/${added.id}/approve`, {}, auth.warden1)).status).toBe(403);
    expect((await must(http.get<UpdateBody[]>(`/api/v1/cases/${c.id}/updates`, auth.chief3))).length).toBe(1);
    expect((await http.get(`/api/v1/cases/${c.id}/updates`, auth.chief2)).status).toBe(404);
    expect((await http.post(`/api/v1/cases/${c.id}/updates/${added.id}/approve`, {}, auth.leader.replace('Bearer ', 'Bearer x'))).status).toBe(401);

    const approved = await must(http.post<UpdateBody>(`/api/v1/cases/${c.id}/updates/${added.id}/approve`, { reason: '属实 confirmed' }, auth.operator));
    expect(approved).toMatchObject({ status: 'approved', decidedBy: expect.any(String) });
    // The same decision again changes nothing; the other one is refused.
    await must(http.post(`/api/v1/cases/${c.id}/updates/${added.id}/approve`, {}, auth.operator));
    expect((await http.post(`/api/v1/cases/${c.id}/updates/${added.id}/reject`, {}, auth.operator)).status).toBe(409);
    pub = await publicView(c.id, c.token);
    expect(pub.updates?.map((u) => ({ note: u.note, media: u.media.map((m) => m.id) }))).toEqual([{ note: '又冒水了 water again', media: [photo] }]);
    expect(pub.timeline?.map((e) => e.type)).toContain('case.update_approved');
    const staff = await staffView(c.id);
    expect(staff.timeline?.filter((e) => e.type.startsWith('case.update_')).map((e) => e.type)).toEqual(['case.update_added', 'case.update_approved']);

    // A rejected update stays hidden.
    const second = await must(http.post<UpdateBody>(`/api/v1/cases/${c.id}/updates?trackingToken=${c.token}`, { note: '广告 spam' }), 201);
    await must(http.post(`/api/v1/cases/${c.id}/updates/${second.id}/reject`, { reason: '与案卷无关 unrelated' }, auth.operator));
    expect((await publicView(c.id, c.token)).updates?.map((u) => u.id)).toEqual([added.id]);
  });

  it('满意率 in evaluation: satisfied / feedback given, per chief, street and category, and in the totals', async () => {
    const period = `from=${encodeURIComponent(local('2027-03-01 00:00').toISOString())}&to=${encodeURIComponent(local('2027-03-11 00:00').toISOString())}`;
    interface Report {
      rows: { group: { id: string }; satisfaction: { feedback: number; satisfied: number; rate: number | null } }[];
      totals: { satisfaction: { feedback: number; satisfied: number; rate: number | null } };
    }
    // The tests above gave four: one satisfied (the first case), two "not fixed" on the reopened case, one on day 8.
    const want = { feedback: 4, satisfied: 1, rate: 0.25 };
    const byChief = await must(http.get<Report & { totals: { counts: { reworks: number; closed: number } } }>(`/api/v1/evaluation?${period}&groupBy=chief`, auth.leader));
    expect(byChief.totals.satisfaction).toEqual(want);
    // The reopen is the only rework of these cases: counted as one (返工率).
    expect(byChief.totals.counts.reworks).toBe(1);
    expect(byChief.rows.find((r) => r.group.id === String(chief3))?.satisfaction).toEqual(want);
    const byCategory = await must(http.get<Report>(`/api/v1/evaluation?${period}&groupBy=category`, auth.leader));
    expect(byCategory.rows.find((r) => r.group.id === 'C0101')?.satisfaction).toEqual(want);
    const byStreet = await must(http.get<Report>(`/api/v1/evaluation?${period}&groupBy=street`, auth.leader));
    expect(byStreet.totals.satisfaction).toEqual(want);
    expect(byStreet.rows.reduce((n, r) => n + r.satisfaction.feedback, 0)).toBe(4);
    // A period before any feedback: none, and no rate.
    const before = `from=${encodeURIComponent(local('2027-02-01 00:00').toISOString())}&to=${encodeURIComponent(local('2027-03-01 00:00').toISOString())}`;
    expect((await must(http.get<Report>(`/api/v1/evaluation?${before}&groupBy=chief`, auth.leader))).totals.satisfaction).toEqual({ feedback: 0, satisfied: 0, rate: null });
  });
});
