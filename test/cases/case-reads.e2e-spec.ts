import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, caseIn, fieldsOf, must, report, startWorld, type CaseBody, type CasePage, type World } from './helpers/workflow';

/** The calendar date in Asia/Shanghai as yyyymmdd. */
function shanghaiDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at).replaceAll('-', '');
}

describe('reading cases, over HTTP', () => {
  let w: World;
  /** A small known world: one case per role of the filters. */
  const k = {} as Record<'registeredE' | 'dispatchedOverdue' | 'escalated' | 'reportedW2' | 'closedOld' | 'rejectedOld' | 'byWarden2', CaseBody>;

  async function list(query: string, user = 'operator'): Promise<CasePage> {
    return must(await w.http.get<CasePage>(`/api/v1/cases${query}`, w.auth[user]));
  }
  async function ids(query: string, user = 'operator'): Promise<string[]> {
    return (await list(query, user)).items.map((c) => c.id);
  }
  async function walk(query: string, limit: number, user = 'operator'): Promise<{ items: CaseBody[]; pages: number }> {
    const items: CaseBody[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = query ? '&' : '?';
      const page = await list(`${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, user);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      if (page.nextCursor) expect(page.items.length).toBe(limit);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
      if (pages > 100) throw new Error('pagination does not end');
    } while (cursor);
    return { items, pages };
  }

  beforeAll(async () => {
    w = await startWorld('reads');
    k.registeredE = await caseIn(w, 'registered', { category: 'E0102' });
    k.dispatchedOverdue = await caseIn(w, 'dispatched', { chief: 'chief3' });
    await w.db.query(`UPDATE case_file SET overdue = true WHERE id = $1`, [k.dispatchedOverdue.id]);
    k.escalated = await caseIn(w, 'in_progress', { warden: 'warden2', chief: 'chief2' });
    // Escalated to chief3 (as the dispatcher's timer would): chief3 now sees it too.
    await w.db.query(`UPDATE case_file SET escalated_to = ARRAY[$2::int], escalation_level = 1 WHERE id = $1`, [k.escalated.id, w.chiefs.chief3]);
    k.reportedW2 = await report(w, { point: await w.point('warden2'), category: 'C0102' });
    k.closedOld = await caseIn(w, 'closed');
    k.rejectedOld = await caseIn(w, 'rejected');
    await w.db.query(`UPDATE case_file SET created_at = '2020-01-01T10:00:00Z' WHERE id = $1`, [k.closedOld.id]);
    await w.db.query(`UPDATE case_file SET created_at = '2020-01-02T10:00:00Z' WHERE id = $1`, [k.rejectedOld.id]);
    // warden2 reports a problem in warden1's cells: theirs to read, though outside their cells.
    k.byWarden2 = await report(w, { as: 'warden2', point: await w.point('warden1'), category: 'C0102' });
  });
  afterAll(async () => w?.close());

  describe('filters', () => {
    it('status: a comma-separated list', async () => {
      const page = await list('?status=reported,registered&limit=200');
      expect(page.items.length).toBeGreaterThan(0);
      for (const c of page.items) expect(['reported', 'registered']).toContain(c.status);
      const found = page.items.map((c) => c.id);
      expect(found).toEqual(expect.arrayContaining([k.registeredE.id, k.reportedW2.id]));
      expect(found).not.toContain(k.dispatchedOverdue.id);
      expect(await ids('?status=closed')).toEqual([k.closedOld.id]);
      expect(await ids('?status=in_progress, dispatched')).toEqual(expect.arrayContaining([k.escalated.id, k.dispatchedOverdue.id]));
    });

    it('category, street, assignee, overdue', async () => {
      const e = await list('?category=E0102&limit=200');
      expect(e.items.map((c) => c.id)).toContain(k.registeredE.id);
      for (const c of e.items) expect(c.category.code).toBe('E0102');

      const street = await list('?street=410104002&limit=200');
      expect(street.items.map((c) => c.id)).toEqual(expect.arrayContaining([k.escalated.id, k.reportedW2.id]));
      for (const c of street.items) expect(c.street.code).toBe('410104002');

      const chief3 = await list(`?assignee=${w.chiefs.chief3}&limit=200`);
      expect(chief3.items.map((c) => c.id)).toContain(k.dispatchedOverdue.id);
      for (const c of chief3.items) expect(c.assignee?.id).toBe(w.chiefs.chief3);
      expect(chief3.items.map((c) => c.id)).not.toContain(k.escalated.id);

      expect(await ids('?overdue=true')).toEqual([k.dispatchedOverdue.id]);
      const notOverdue = await list('?overdue=false&limit=200');
      expect(notOverdue.items.map((c) => c.id)).not.toContain(k.dispatchedOverdue.id);
      expect(notOverdue.items.every((c) => !c.overdue)).toBe(true);

      // Filters combine.
      expect(await ids(`?status=dispatched&assignee=${w.chiefs.chief3}&overdue=true&street=${k.dispatchedOverdue.street.code}`)).toEqual([k.dispatchedOverdue.id]);
      expect(await ids(`?status=registered&assignee=${w.chiefs.chief3}`)).toEqual([]);
    });

    it('bbox', async () => {
      const { lng, lat } = k.registeredE.location;
      const d = 0.0002;
      const page = await list(`?bbox=${lng - d},${lat - d},${lng + d},${lat + d}`);
      expect(page.items.map((c) => c.id)).toEqual([k.registeredE.id]);
      const wide = await list(`?bbox=113.5,34.6,113.9,34.9&limit=200`);
      for (const c of wide.items) {
        expect(c.location.lng).toBeGreaterThanOrEqual(113.5);
        expect(c.location.lat).toBeLessThanOrEqual(34.9);
      }
      expect(wide.items.length).toBeGreaterThanOrEqual(7);
      expect(await ids('?bbox=120,30,120.1,30.1')).toEqual([]);
    });

    it('from / to: created at or after `from`, before `to`, newest first', async () => {
      expect(await ids('?from=2020-01-01&to=2020-01-02')).toEqual([k.closedOld.id]);
      expect(await ids('?from=2020-01-01T00:00:00Z&to=2020-01-03T00:00:00Z')).toEqual([k.rejectedOld.id, k.closedOld.id]);
      expect(await ids('?from=2020-01-01T10:00:00Z&to=2020-01-02T10:00:00Z')).toEqual([k.closedOld.id]);
      expect(await ids('?from=2020-01-01T18:00:01%2B08:00&to=2021-01-01')).toEqual([k.rejectedOld.id]);
      const recent = await ids('?from=2021-01-01&limit=200');
      expect(recent).not.toContain(k.closedOld.id);
      expect(recent).toContain(k.registeredE.id);
    });

    it('a page is newest first, equal times ordered by id; limit caps it, 50 by default', async () => {
      // Twelve more cases, five sharing one instant (the tie is broken by id).
      const extra: CaseBody[] = [];
      for (let i = 0; i < 12; i++) extra.push(await report(w));
      await w.db.query(`UPDATE case_file SET created_at = '2024-06-01T08:00:00Z' WHERE id = ANY($1::uuid[])`, [extra.slice(0, 5).map((c) => c.id)]);

      const all = await list('?limit=200');
      expect(all.nextCursor).toBeNull();
      expect(all.items.length).toBeGreaterThanOrEqual(18);
      for (let i = 1; i < all.items.length; i++) {
        const [a, b] = [all.items[i - 1], all.items[i]];
        const [ta, tb] = [Date.parse(a.createdAt), Date.parse(b.createdAt)];
        expect(ta).toBeGreaterThanOrEqual(tb);
        if (ta === tb) expect(a.id > b.id, `${a.id} before ${b.id}`).toBe(true);
      }
      expect(all.items.filter((c) => c.createdAt === '2024-06-01T08:00:00.000Z')).toHaveLength(5);

      const three = await list('?limit=3');
      expect(three.items.map((c) => c.id)).toEqual(all.items.slice(0, 3).map((c) => c.id));
      expect(three.nextCursor).toEqual(expect.any(String));
      expect((await list('')).items.length).toBe(Math.min(50, all.items.length));
    });

    // The cursor carries created_at as PostgreSQL text ('2024-06-01 08:00:00+00'), microseconds kept.
    it('limit and cursor: walking every page gives each case once, in order, and survives new reports', async () => {
      const all = await list('?limit=200');
      const total = all.items.length;
      for (const limit of [1, 3, 7]) {
        const { items, pages } = await walk('', limit);
        const walked = items.map((c) => c.id);
        expect(new Set(walked).size, `limit ${limit}: duplicates`).toBe(walked.length);
        expect(walked, `limit ${limit}: gaps or order`).toEqual(all.items.map((c) => c.id));
        expect(pages, `limit ${limit}: pages`).toBe(Math.ceil(total / limit));
      }
      // A new case does not shift a walk in progress: the cursor marks a place, not an offset.
      const first = await list('?limit=5');
      await report(w);
      const second = await list(`?limit=5&cursor=${encodeURIComponent(first.nextCursor!)}`);
      expect(second.items.map((c) => c.id)).toEqual(all.items.slice(5, 10).map((c) => c.id));
      // With a filter, the walk stays inside it.
      const filtered = await walk('?status=reported', 2);
      expect(filtered.items.every((c) => c.status === 'reported')).toBe(true);
      expect(filtered.items.map((c) => c.id)).toEqual((await list('?status=reported&limit=200')).items.map((c) => c.id));
    });

    it.each([
      ['status=bogus', 'status'],
      ['status=reported,bogus', 'status'],
      ['bbox=1,2,3', 'bbox'],
      ['bbox=114,35,113,34', 'bbox'],
      ['bbox=a,b,c,d', 'bbox'],
      ['limit=0', 'limit'],
      ['limit=1000', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=garbage', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['2024-01-01', 'not-a-uuid'])).toString('base64url')}`, 'cursor'],
      ['from=notadate', 'from'],
      ['to=2024-13-45', 'to'],
      ['overdue=maybe', 'overdue'],
      ['assignee=abc', 'assignee'],
      ['category=garbage', 'category'],
      ['street=4101', 'street'],
      ['color=red', 'color'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const answer = await w.http.get(`/api/v1/cases?${query}`, w.auth.operator);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(fieldsOf(answer)).toContain(field);
    });
  });

  describe('scope', () => {
    it('a warden sees the cases in their cells and their own reports', async () => {
      const page = await list('?limit=200', 'warden2');
      const found = page.items.map((c) => c.id);
      expect(found).toEqual(expect.arrayContaining([k.escalated.id, k.reportedW2.id, k.byWarden2.id]));
      for (const id of [k.registeredE.id, k.dispatchedOverdue.id, k.closedOld.id]) expect(found).not.toContain(id);
      for (const c of page.items) {
        if (c.id !== k.byWarden2.id) expect(c.gridCell.code.startsWith('410104002001'), c.gridCell.code).toBe(true);
        expect(c.reporter).toBeUndefined();
      }
      const mine = await list('?limit=200', 'warden1');
      expect(mine.items.every((c) => c.gridCell.code.startsWith('410104001001'))).toBe(true);
      expect(mine.items.map((c) => c.id)).toEqual(expect.arrayContaining([k.registeredE.id, k.byWarden2.id]));
      // A filter cannot widen the scope.
      expect(await ids('?street=410104001&limit=200', 'warden2')).toEqual([k.byWarden2.id]);
    });

    it('a chief sees only the cases assigned or escalated to them', async () => {
      const chief3 = await ids('?limit=200', 'chief3');
      expect(chief3).toEqual(expect.arrayContaining([k.dispatchedOverdue.id, k.escalated.id, k.closedOld.id]));
      for (const id of [k.registeredE.id, k.reportedW2.id, k.rejectedOld.id]) expect(chief3).not.toContain(id);
      const page = await list('?limit=200', 'chief3');
      for (const c of page.items) expect(c.assignee?.id === w.chiefs.chief3 || c.id === k.escalated.id, c.id).toBe(true);

      expect(await ids('?limit=200', 'chief2')).toEqual([k.escalated.id]);
      expect(await ids('?limit=200', 'chief1')).toEqual([]);
      expect(await ids(`?assignee=${w.chiefs.chief2}`, 'chief3')).toEqual([k.escalated.id]);
    });

    it('leader and admin see the district; without a token → 401', async () => {
      const operator = await ids('?limit=200');
      expect(await ids('?limit=200', 'leader')).toEqual(operator);
      expect(await ids('?limit=200', 'admin')).toEqual(operator);
      expect((await list('?limit=1', 'leader')).items[0].reporter).toBeDefined();
      expect((await w.http.get('/api/v1/cases')).status).toBe(401);
    });
  });

  describe('reports: where and what', () => {
    async function counts() {
      const { rows } = await w.db.query(
        `SELECT (SELECT count(*) FROM case_file)::int AS cases, (SELECT count(*) FROM case_event)::int AS events,
                (SELECT last_value FROM outbox_id_seq)::int AS outbox, (SELECT coalesce(sum(last_value), 0) FROM case_day_counter)::int AS codes,
                (SELECT count(*) FROM case_media)::int AS media`,
      );
      return rows[0];
    }

    it.each(['gcj02', 'bd09'] as const)('a point sent as %s is stored in WGS84', async (system) => {
      const p = await w.point();
      const crs = system === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
      const [sentLng, sentLat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, crs);
      expect(Math.abs(sentLng - p.lng) + Math.abs(sentLat - p.lat)).toBeGreaterThan(0.003);
      const c = await report(w, { point: { lng: sentLng, lat: sentLat }, coordSystem: system, as: 'warden1' });
      const [lng, lat] = gcoord.transform([sentLng, sentLat], crs, gcoord.WGS84);
      expect(c.location.lng).toBeCloseTo(lng, 7);
      expect(c.location.lat).toBeCloseTo(lat, 7);
      // And so within a metre or so of the WGS84 point it came from, in that point's cell.
      expect(Math.abs(c.location.lng - p.lng)).toBeLessThan(0.00002);
      expect(Math.abs(c.location.lat - p.lat)).toBeLessThan(0.00002);
      expect(c.gridCell.code).toBe(p.cellCode);
      const { rows } = await w.db.query(
        `SELECT ST_X(location) AS lng, ST_Y(location) AS lat, reported_coord_system, reported_lng, reported_lat FROM case_file WHERE id = $1`,
        [c.id],
      );
      expect(rows[0]).toMatchObject({ reported_coord_system: system, reported_lng: sentLng, reported_lat: sentLat });
      expect(rows[0].lng).toBeCloseTo(lng, 9);
      expect(rows[0].lat).toBeCloseTo(lat, 9);
    });

    it('a point outside the district → 422 out_of_jurisdiction naming location, nothing written', async () => {
      const before = await counts();
      for (const [who, body] of [
        ['anonymous', { location: { lng: 120, lat: 30 } }],
        ['warden1', { location: { lng: 120, lat: 30 } }],
        ['operator', { location: { lng: 113.68, lat: 35.5 }, coordSystem: 'gcj02' }],
        ['anonymous', { location: { lng: 0, lat: 0 }, coordSystem: 'bd09' }],
      ] as const) {
        const answer = await w.http.post('/api/v1/cases', { categoryCode: 'E0102', description: 'far away', ...body }, who === 'anonymous' ? undefined : w.auth[who]);
        expect(answer.status, `${who}: ${JSON.stringify(answer.body)}`).toBe(422);
        expect(answer.body.error).toBe('out_of_jurisdiction');
        expect(fieldsOf(answer)).toContain('location');
      }
      expect(await counts()).toEqual(before);
    });

    it('the code is 410104-<yyyymmdd in Asia/Shanghai>-<6-digit daily sequence>, gap-free', async () => {
      const days = [shanghaiDay(new Date())];
      const a = await report(w);
      const b = await report(w, { as: 'warden1' });
      days.push(shanghaiDay(new Date()));
      for (const c of [a, b]) {
        const m = /^410104-(\d{8})-(\d{6})$/.exec(c.code);
        expect(m, c.code).not.toBeNull();
        expect(days).toContain(m![1]);
      }
      const seq = (c: CaseBody) => Number(c.code.slice(-6));
      if (a.code.slice(7, 15) === b.code.slice(7, 15)) expect(seq(b)).toBe(seq(a) + 1);
      // A refused report does not use a number up.
      expect((await w.http.post('/api/v1/cases', { categoryCode: 'E0102', description: 'x', location: { lng: 120, lat: 30 } })).status).toBe(422);
      const c = await report(w);
      if (c.code.slice(7, 15) === b.code.slice(7, 15)) expect(seq(c)).toBe(seq(b) + 1);
      const { rows } = await w.db.query(`SELECT count(*)::int AS n, count(DISTINCT code)::int AS d FROM case_file`);
      expect(rows[0].n).toBe(rows[0].d);
      // The code is the same everywhere the case is shown.
      expect((await act(w, c.id, 'comment', { note: 'code check' }, 'operator')).code).toBe(c.code);
    });
  });
});
