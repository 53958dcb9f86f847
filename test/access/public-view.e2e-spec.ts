import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, must, report, uploadPng, startWorld, view, type CaseBody, type World } from '../cases/helpers/workflow';

/** The tracking view as these tests read it. */
interface Tracked {
  timeline: { type: string; note: string | null; actor: Record<string, unknown> }[];
  media: { id: string }[];
  [field: string]: unknown;
}

const PUBLIC_STEPS = ['case.reported', 'case.registered', 'case.dispatched', 'case.returned', 'case.dispatched', 'case.accepted', 'case.resolved'];

/**
 * One public view of a case (issue 16, item 2): the tracking-token view and Open311 show a case
 * that was dispatched, returned, extended and commented on with a photo without any staff name or
 * internal word, where the staff view of the same case shows them all.
 */
describe('the public view of a case: tracking token and Open311 against the staff view', () => {
  let w: World;
  let c: CaseBody & { trackingToken: string };
  let staffNames: string[];
  const photos = { report: '', comment: '', resolve: '' };
  const SECRETS = ['RETURN-SECRET', 'ASK-MORE-TIME-SECRET', 'EXTEND-SECRET', 'COMMENT-SECRET', 'DISPATCH-SECRET'];
  const REPORTER = { name: '报告人王五', phone: '13912345678' };

  beforeAll(async () => {
    w = await startWorld('public-view');
    staffNames = (await w.db.query(`SELECT name FROM app_user WHERE username IN ('operator', 'leader', 'chief3')`)).rows.map((r) => r.name as string);
    photos.report = await uploadPng(w, 1);
    photos.comment = await uploadPng(w, 2);
    photos.resolve = await uploadPng(w, 3);
    c = (await report(w, { mediaIds: [photos.report], reporter: REPORTER })) as typeof c;
    await act(w, c.id, 'register', { note: '已受理 registered' }, 'operator');
    await act(w, c.id, 'dispatch', { assigneeId: w.chiefs.chief3, reason: 'DISPATCH-SECRET' }, 'operator');
    await act(w, c.id, 'return', { reason: 'RETURN-SECRET 不是我的路段' }, 'chief3');
    await act(w, c.id, 'dispatch', { assigneeId: w.chiefs.chief3 }, 'operator');
    await act(w, c.id, 'accept', {}, 'chief3');
    await act(w, c.id, 'extend', { hours: 24, reason: 'ASK-MORE-TIME-SECRET' }, 'chief3');
    await act(w, c.id, 'extend', { hours: 24, reason: 'EXTEND-SECRET' }, 'leader');
    await act(w, c.id, 'comment', { note: 'COMMENT-SECRET', mediaIds: [photos.comment] }, 'chief3');
    await act(w, c.id, 'resolve', { note: '已修复 fixed', mediaIds: [photos.resolve] }, 'chief3');
  });
  afterAll(async () => w?.close());

  it('the staff view shows the names, reasons, extensions, comment and its photo (what the public must not see)', async () => {
    const staff = await view(w, c.id);
    const text = JSON.stringify(staff);
    for (const s of [...staffNames, ...SECRETS, photos.comment, REPORTER.phone]) expect(text, s).toContain(s);
    expect(staff.timeline!.map((e) => e.type)).toEqual(expect.arrayContaining(['case.extension_requested', 'case.extended', 'case.commented']));
  });

  it('the tracking view: public steps, public notes, report and resolution photos, a post for the person', async () => {
    const tracked = must(await w.http.get<Tracked>(`/api/v1/cases/${c.id}?trackingToken=${c.trackingToken}`)) as Tracked;
    const text = JSON.stringify(tracked);
    for (const s of [...staffNames, ...SECRETS, photos.comment, REPORTER.phone, REPORTER.name]) expect(text, s).not.toContain(s);
    expect(tracked.timeline.map((e) => e.type)).toEqual(PUBLIC_STEPS);
    expect(tracked.media.map((m) => m.id)).toEqual([photos.report, photos.resolve]);
    expect(tracked).toMatchObject({ status: 'resolved', publicNote: '已修复 fixed', responsible: { level: 3, title: expect.any(String) } });
    for (const field of ['routingReason', 'routingReasonZh', 'assignee', 'reporter', 'extensionCount', 'extensionRequestedHours', 'source', 'channel', 'check']) {
      expect(tracked, field).not.toHaveProperty(field);
    }
    for (const e of tracked.timeline) expect(Object.keys(e.actor)).toEqual(['role']);
    expect(tracked.timeline.find((e) => e.type === 'case.resolved')?.note).toBe('已修复 fixed');
    expect(tracked.timeline.find((e) => e.type === 'case.returned')?.note).toBeNull();
  });

  it('Open311 shows no staff name or internal word, and never a comment photo', async () => {
    const [request] = must(await w.http.get<Record<string, unknown>[]>(`/open311/v2/requests/${c.code}.json`)) as unknown as Record<string, unknown>[];
    const text = JSON.stringify(request);
    for (const s of [...staffNames, ...SECRETS, photos.comment, REPORTER.phone, REPORTER.name]) expect(text, s).not.toContain(s);
    expect(request.media_url).toContain(photos.report);

    // A case whose only photo is a comment's: the staff see it, Open311 shows none.
    const other = await report(w);
    await act(w, other.id, 'comment', { note: 'COMMENT-SECRET', mediaIds: [await uploadPng(w, 4)] }, 'operator');
    expect((await view(w, other.id)).media).toHaveLength(1);
    const [otherRequest] = must(await w.http.get<Record<string, unknown>[]>(`/open311/v2/requests/${other.code}.json`)) as unknown as Record<string, unknown>[];
    expect(otherRequest.media_url).toBeNull();
  });
});
