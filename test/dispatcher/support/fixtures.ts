import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { JobQueue, QueueName } from '@wangge/jobs';
import type { Actor } from '@wangge/workflow';
import type { api } from '../../support/cases';
import { until } from '../../support/until';

export interface Point {
  lng: number;
  lat: number;
}

/** `n` points inside grid cells spread over the district (every community and street has a chief, so each routes). */
export async function cellPoints(db: Client, n: number): Promise<Point[]> {
  const { rows } = await db.query(
    `SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid_cell ORDER BY md5(code) LIMIT $1`,
    [n],
  );
  if (rows.length < n) throw new Error(`only ${rows.length} grid cells`);
  return rows as Point[];
}

/**
 * Midpoints of road segments that have a level-3 segment chief and whose road has level-2 and
 * level-1 chiefs: a case there is dispatched to level 3 and can be escalated twice (3 → 2 → 1).
 */
export async function fullChainPoints(db: Client, n: number, offset = 0): Promise<(Point & { segmentId: number; roadId: number })[]> {
  const { rows } = await db.query(
    `SELECT rs.id AS "segmentId", r.id AS "roadId",
            ST_X(ST_LineInterpolatePoint(rs.geom, 0.5)) AS lng, ST_Y(ST_LineInterpolatePoint(rs.geom, 0.5)) AS lat
       FROM road_segment rs JOIN road r ON r.id = rs.road_id
      WHERE EXISTS (SELECT 1 FROM road_chief_scope s WHERE s.kind = 'road' AND s.road_id = r.id AND s.level = 1)
        AND EXISTS (SELECT 1 FROM road_chief_scope s WHERE s.kind = 'road' AND s.road_id = r.id AND s.level = 2)
        AND EXISTS (SELECT 1 FROM road_chief_scope s WHERE s.kind = 'segment' AND s.segment_id = rs.id)
      ORDER BY rs.id OFFSET $2 LIMIT $1`,
    [n, offset],
  );
  if (rows.length < n) throw new Error(`only ${rows.length} segments with chiefs on three levels`);
  return rows;
}

/** Reports one case per point over HTTP (a warden's reports register themselves), `concurrency` at a time; the ids in point order. */
export async function reportAll(
  http: ReturnType<typeof api>,
  auth: string,
  points: readonly Point[],
  categoryCode: string,
  options: { concurrency?: number; onCreated?: (id: string) => Promise<void> | void } = {},
): Promise<string[]> {
  const ids: string[] = new Array(points.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < points.length; i = next++) {
      const p = points[i];
      const res = await http.post<{ id: string; status: string }>('/api/v1/cases', { categoryCode, description: `resilience #${i}`, location: { lng: p.lng, lat: p.lat } }, auth);
      if (res.status !== 201 || res.body.status !== 'registered') throw new Error(`report #${i}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[i] = res.body.id;
      await options.onCreated?.(res.body.id);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return ids;
}

/** How many events of `type` each case has (cases with none are absent). */
export async function eventCounts(db: Client, type: string, ids?: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await db.query(
    `SELECT case_id, count(*)::int AS n FROM case_event WHERE type = $1 AND ($2::uuid[] IS NULL OR case_id = ANY($2::uuid[])) GROUP BY case_id`,
    [type, ids ?? null],
  );
  return new Map(rows.map((r: { case_id: string; n: number }) => [r.case_id, r.n]));
}

/** The number of events of `type` (of the given cases). */
export async function countEvents(db: Client, type: string, ids?: readonly string[]): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM case_event WHERE type = $1 AND ($2::uuid[] IS NULL OR case_id = ANY($2::uuid[]))`, [type, ids ?? null]);
  return rows[0].n as number;
}

/** The types of a case's events, in order. */
export async function eventTypes(db: Client, caseId: string): Promise<string[]> {
  const { rows } = await db.query(`SELECT type FROM case_event WHERE case_id = $1 ORDER BY seq`, [caseId]);
  return rows.map((r: { type: string }) => r.type);
}

/** The case's row as the clocks see it. */
export async function caseRow(db: Client, caseId: string): Promise<{
  status: string;
  assignee_chief_id: number | null;
  road_id: number | null;
  segment_id: number | null;
  deadline_at: Date | null;
  next_check_at: Date | null;
  verify_deadline_at: Date | null;
  overdue: boolean;
  escalation_level: number;
  escalated_to: number[];
}> {
  const { rows } = await db.query(
    `SELECT status, assignee_chief_id, road_id, segment_id, deadline_at, next_check_at, verify_deadline_at, overdue, escalation_level, escalated_to
       FROM case_file WHERE id = $1`,
    [caseId],
  );
  if (!rows[0]) throw new Error(`no case ${caseId}`);
  return rows[0];
}

/** The road chief as the workflow's actor (what the intake's ActorService makes of their login). */
export async function chiefActor(db: Client, chiefId: number): Promise<Actor> {
  const { rows } = await db.query(`SELECT u.id, u.name FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE c.id = $1`, [chiefId]);
  return { id: rows[0].id, role: 'chief', name: rows[0].name, chiefId, cellCodes: new Set(), streetCode: null };
}

/** The demo district-wide operator as an actor. */
export async function operatorActor(db: Client): Promise<Actor> {
  const { rows } = await db.query(`SELECT id, name FROM app_user WHERE username = 'operator'`);
  return { id: rows[0].id, role: 'operator', name: rows[0].name, chiefId: null, cellCodes: new Set(), streetCode: null };
}

/**
 * BullMQ delays run on the real clock, the dispatcher's business on its (manual) clock. Moving the
 * manual clock to `now` stands for time passing: clock jobs whose time has come by it run now.
 */
export async function promoteDue(app: INestApplication, now: Date): Promise<number> {
  const queue = app.get(JobQueue).queue(QueueName.Clocks);
  let promoted = 0;
  for (const job of await queue.getDelayed()) {
    const dueAt = (job.data as { dueAt?: string }).dueAt;
    if (!dueAt || new Date(dueAt).getTime() > now.getTime()) continue;
    try {
      await job.promote();
      promoted++;
    } catch {
      // Promoted or gone meanwhile.
    }
  }
  return promoted;
}

/** Waits until no job waits or runs on either queue and the outbox is empty, twice in a row 100 ms apart. */
export async function settled(app: INestApplication, db: Client, ms = 15_000): Promise<void> {
  const jobs = app.get(JobQueue);
  let quietSince = 0;
  await until('the dispatcher to settle', ms, async () => {
    const counts = await Promise.all(
      [QueueName.Routing, QueueName.Clocks].map((q) => jobs.queue(q).getJobCounts('waiting', 'active', 'prioritized')),
    );
    const busy = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox`);
    if (busy > 0 || rows[0].n > 0) {
      quietSince = 0;
      return false;
    }
    if (quietSince === 0) quietSince = Date.now();
    return Date.now() - quietSince >= 100;
  });
}
