import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, caseIn, eventCount, fieldsOf, must, report, startWorld, uploadPng, view, type CaseBody, type Point, type World } from './helpers/workflow';

/** A point `north` metres north and `east` metres east of p (small distances, good to a few cm). */
function offset(p: { lng: number; lat: number }, north: number, east = 0): { lng: number; lat: number } {
  const mPerDegLat = 111_320;
  return { lat: p.lat + north / mPerDegLat, lng: p.lng + east / (mPerDegLat * Math.cos((p.lat * Math.PI) / 180)) };
}

describe('possible duplicates and merging, over HTTP', () => {
  let w: World;
  let mediaDir: string;

  beforeAll(async () => {
    mediaDir = await mkdtemp(join(tmpdir(), 'wangge-duplicates-'));
    w = await startWorld('duplicates', { MEDIA_DIR: mediaDir });
  });
  afterAll(async () => {
    await w?.close();
    await rm(mediaDir, { recursive: true, force: true });
  });

  /**
   * A point in a cell of warden1 (then warden2) with no case within 150 m, and that warden: the offsets used here
   * stay under 75 m, so cases of different tests never come within 50 m of each other.
   */
  async function quiet(): Promise<Point & { warden: string }> {
    const { rows } = await w.db.query(
      `SELECT gc.code, gc.street_code, u.username, ST_X(s.p) AS lng, ST_Y(s.p) AS lat
         FROM grid_cell gc CROSS JOIN LATERAL (SELECT ST_PointOnSurface(gc.geom) AS p) s
         JOIN warden_cell wc ON wc.cell_code = gc.code JOIN app_user u ON u.id = wc.user_id
        WHERE u.username IN ('warden1', 'warden2')
          AND NOT EXISTS (SELECT 1 FROM case_file c WHERE ST_DWithin(c.location::geography, s.p::geography, 150))
        ORDER BY gc.code LIMIT 1`,
    );
    const r = rows[0];
    return { lng: r.lng, lat: r.lat, cellCode: r.code, streetCode: r.street_code, warden: r.username };
  }

  /** Distance in metres between two stored cases, as PostGIS measures it. */
  async function metresBetween(a: string, b: string): Promise<number> {
    const { rows } = await w.db.query(
      `SELECT ST_Distance(x.location::geography, y.location::geography) AS m FROM case_file x, case_file y WHERE x.id = $1 AND y.id = $2`,
      [a, b],
    );
    return Number(rows[0].m);
  }

  describe('flagging', () => {
    it('a second report of the same category within 50 m of an open case is flagged, and not auto-registered', async () => {
      const p = await quiet();
      const first = await report(w, { as: p.warden, category: 'E0102', point: p });
      expect(first).toMatchObject({ status: 'registered', possibleDuplicateOf: null });

      const byCitizen = await report(w, { category: 'E0102', point: offset(p, 20) });
      expect(byCitizen.possibleDuplicateOf).toBe(first.id);
      expect(byCitizen.status).toBe('reported');
      expect(await metresBetween(first.id, byCitizen.id)).toBeLessThan(50);

      // A warden's report would register itself, but not while it may be a duplicate.
      const byWarden = await report(w, { as: p.warden, category: 'E0102', point: offset(p, -15, 25) });
      expect(byWarden).toMatchObject({ status: 'reported', possibleDuplicateOf: first.id });
      const timeline = (await view(w, byWarden.id)).timeline!;
      expect(timeline.map((e) => e.type)).toEqual(['case.reported']);
      expect(timeline[0].evidence).toMatchObject({ possibleDuplicateOf: first.id });
    });

    it('no flag for another category, beyond 50 m, or when the first is closed', async () => {
      const p = await quiet();
      const first = await report(w, { as: p.warden, category: 'E0102', point: p });

      const otherCategory = await report(w, { as: p.warden, category: 'C0101', point: offset(p, 5) });
      expect(otherCategory).toMatchObject({ status: 'registered', possibleDuplicateOf: null });

      const far = await report(w, { category: 'E0102', point: offset(p, 0, 70) });
      expect(await metresBetween(first.id, far.id)).toBeGreaterThan(50);
      expect(far.possibleDuplicateOf).toBeNull();

      const q = await quiet();
      const closed = await caseIn(w, 'closed', { category: 'E0102', point: q, warden: q.warden });
      expect(closed.status).toBe('closed');
      const afterClose = await report(w, { as: q.warden, category: 'E0102', point: offset(q, 10) });
      expect(afterClose).toMatchObject({ status: 'registered', possibleDuplicateOf: null });

      const r = await quiet();
      const cancelled = await caseIn(w, 'cancelled', { category: 'E0102', point: r, warden: r.warden });
      expect((await report(w, { category: 'E0102', point: offset(r, 10) })).possibleDuplicateOf).toBeNull();
      expect(cancelled.status).toBe('cancelled');
    });

    it('the nearest open case is named when there are several', async () => {
      const p = await quiet();
      const a = await report(w, { category: 'C0102', point: p });
      const b = await report(w, { category: 'C0102', point: offset(p, 50 - 1) });
      // b itself lies within 50 m of a.
      expect(b.possibleDuplicateOf).toBe(a.id);
      const nearB = await report(w, { category: 'C0102', point: offset(p, 45) });
      expect(nearB.possibleDuplicateOf).toBe(b.id);
    });

    it('a case reported 25 hours ago is too old to be a duplicate; 23 hours is not', async () => {
      const p = await quiet();
      const { rows } = await w.db.query(`SELECT street_code, community_code FROM grid_cell WHERE code = $1`, [p.cellCode]);
      const insertOld = async (hoursAgo: number, at: { lng: number; lat: number }, seq: number) => {
        const { rows: inserted } = await w.db.query(
          `INSERT INTO case_file (code, status, category_code, description, location, reported_coord_system, reported_lng, reported_lat,
                                  grid_cell_code, street_code, community_code, source, tracking_token_hash, created_at, updated_at)
           VALUES ($1, 'registered', 'E0102', 'old report', ST_SetSRID(ST_MakePoint($2, $3), 4326), 'wgs84', $2, $3,
                   $4, $5, $6, 'warden', $7, now() - make_interval(hours => $8), now() - make_interval(hours => $8))
           RETURNING id`,
          [`410104-20000101-${String(seq).padStart(6, '0')}`, at.lng, at.lat, p.cellCode, rows[0].street_code, rows[0].community_code, randomBytes(32).toString('hex'), hoursAgo],
        );
        return inserted[0].id as string;
      };
      const old = await insertOld(25, p, 1);
      const fresh = await report(w, { as: p.warden, category: 'E0102', point: offset(p, 10) });
      expect(fresh).toMatchObject({ status: 'registered', possibleDuplicateOf: null });
      expect(old).not.toBe(fresh.id);

      const q = await quiet();
      const recent = await insertOld(23, q, 2);
      const flagged = await report(w, { category: 'E0102', point: offset(q, 10) });
      expect(flagged.possibleDuplicateOf).toBe(recent);
    });
  });

  describe('merging', () => {
    let target: CaseBody;
    let duplicate: CaseBody;
    let photo: string;
    let targetPhoto: string;

    beforeAll(async () => {
      const p = await quiet();
      targetPhoto = await uploadPng(w, 1);
      target = await report(w, { as: p.warden, category: 'E0102', point: p, mediaIds: [targetPhoto] });
      photo = await uploadPng(w, 2);
      duplicate = await report(w, {
        category: 'E0102',
        point: offset(p, 12),
        mediaIds: [photo],
        reporter: { name: '李四', phone: '13900000001' },
      });
      expect(duplicate.possibleDuplicateOf).toBe(target.id);
      expect(duplicate.media.map((m) => m.id)).toEqual([photo]);
    });

    it('the operator merges the duplicate into the target', async () => {
      const before = await eventCount(w);
      const merged = await act(w, duplicate.id, 'merge', { targetId: target.id, reason: '同一处垃圾 same pile' }, 'operator');
      expect(merged.status).toBe('merged');
      expect(merged.mergedInto).toEqual({ id: target.id, code: target.code, status: 'registered' });
      expect(merged.closedAt).toBeTruthy();
      expect(merged.timeline?.at(-1)).toMatchObject({ type: 'case.merged', from: 'reported', to: 'merged', evidence: { targetId: target.id } });
      expect(await eventCount(w)).toBe(before + 2);

      const t = await view(w, target.id);
      expect(t.status).toBe('registered');
      expect(t.timeline?.at(-1)).toMatchObject({ type: 'case.duplicate_merged', from: 'registered', to: 'registered', evidence: { duplicateId: duplicate.id } });
      expect(t.media.map((m) => m.id).sort()).toEqual([targetPhoto, photo].sort());
      const image = await fetch(`${w.app.baseUrl}${t.media.find((m) => m.id === photo)!.url}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
      // The duplicate keeps its photo too.
      expect((await view(w, duplicate.id)).media.map((m) => m.id)).toEqual([photo]);
    });

    it('the duplicate keeps its reporter contact and its tracking token', async () => {
      const d = await view(w, duplicate.id, 'operator');
      expect(d.reporter).toEqual({ name: '李四', phone: '13900000001', email: null });

      const tracked = must(await w.http.get<CaseBody>(`/api/v1/cases/${duplicate.id}?trackingToken=${duplicate.trackingToken}`));
      expect(tracked.status).toBe('merged');
      expect(tracked.mergedInto).toEqual({ id: target.id, code: target.code, status: 'registered' });
      expect(tracked.reporter).toBeUndefined();

      // The merged-into case follows the target as it moves on.
      await act(w, target.id, 'dispatch', { assigneeId: w.chiefs.chief3 }, 'operator');
      const later = must(await w.http.get<CaseBody>(`/api/v1/cases/${duplicate.id}?trackingToken=${duplicate.trackingToken}`));
      expect(later.mergedInto?.status).toBe('dispatched');
    });

    it('a bad target → 422 naming targetId (a missing one 404), nothing written', async () => {
      const c = await report(w, { category: 'E0103', point: await quiet() });
      const q = await quiet();
      const closed = await caseIn(w, 'closed', { point: q, warden: q.warden });
      const before = await eventCount(w);
      for (const [what, targetId, status, error] of [
        ['itself', c.id, 422, 'bad_merge_target'],
        ['a closed case', closed.id, 422, 'bad_merge_target'],
        ['a missing case', '00000000-0000-4000-8000-000000000000', 404, 'not_found'],
      ] as const) {
        const answer = await w.http.act(c.id, 'merge', { targetId }, w.auth.operator);
        expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(status);
        expect(answer.body.error, what).toBe(error);
        expect(fieldsOf(answer), what).toContain('targetId');
      }
      const none = await w.http.act(c.id, 'merge', {}, w.auth.operator);
      expect(none.status).toBe(400);
      expect(fieldsOf(none)).toContain('targetId');
      const notUuid = await w.http.act(c.id, 'merge', { targetId: 'CASE-1' }, w.auth.operator);
      expect(notUuid.status).toBe(400);
      expect(fieldsOf(notUuid)).toContain('targetId');
      expect(await eventCount(w)).toBe(before);
      expect((await view(w, c.id)).status).toBe('reported');
    });

    it('a merged case cannot be a target; a dispatched case cannot be merged (409)', async () => {
      const c = await report(w, { category: 'E0103', point: await quiet() });
      const dispatched = await caseIn(w, 'dispatched', { point: await quiet() });
      const open = await caseIn(w, 'registered', { point: await quiet() });
      const before = await eventCount(w);
      const intoMerged = await w.http.act(c.id, 'merge', { targetId: duplicate.id }, w.auth.operator);
      expect(intoMerged.status).toBe(422);
      expect(fieldsOf(intoMerged)).toContain('targetId');

      const answer = await w.http.act(dispatched.id, 'merge', { targetId: open.id }, w.auth.operator);
      expect(answer.status).toBe(409);
      expect(answer.body.error).toBe('illegal_transition');
      expect(answer.body.currentStatus).toBe('dispatched');
      expect(await eventCount(w)).toBe(before);
      expect((await view(w, dispatched.id)).status).toBe('dispatched');
      expect((await view(w, open.id)).timeline?.map((e) => e.type)).not.toContain('case.duplicate_merged');
    });

    it('a registered case may be merged too; a chief or warden may not merge', async () => {
      const a = await caseIn(w, 'registered', { point: await quiet() });
      const b = await caseIn(w, 'registered', { category: 'E0102', point: await quiet() });
      for (const user of ['warden1', 'chief3', 'leader']) {
        expect((await w.http.act(a.id, 'merge', { targetId: b.id }, w.auth[user])).status, user).toBe(403);
      }
      const merged = await act(w, a.id, 'merge', { targetId: b.id }, 'operator');
      expect(merged).toMatchObject({ status: 'merged', mergedInto: { id: b.id, status: 'registered' } });
    });
  });
});
