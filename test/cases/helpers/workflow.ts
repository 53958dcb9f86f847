import { Client } from 'pg';
import sharp from 'sharp';
import { startIntake, type RunningApp } from '../../support/apps';
import { api, chiefIdOf, pointInWardenCell, type Answer } from '../../support/cases';
import { tokenFor } from '../../feed/helpers/feed-client';

/** The case as `GET /api/v1/cases/:id` and the action endpoints answer it (the fields these tests read). */
export interface CaseBody {
  id: string;
  code: string;
  status: string;
  trackingToken?: string;
  category: { code: string };
  location: { lng: number; lat: number };
  gridCell: { code: string };
  street: { code: string; name: string };
  assignee: { id: number; name: string; level: number } | null;
  escalationLevel: number;
  deadlineAt: string | null;
  overdue: boolean;
  possibleDuplicateOf: string | null;
  mergedInto: { id: string; code: string; status: string } | null;
  publicNote: string | null;
  check: { requested: boolean; passed: boolean | null };
  extensionCount: number;
  extensionRequestedHours: number | null;
  reworkCount: number;
  media: { id: string; url: string; contentType: string }[];
  reporter?: { name: string | null; phone: string | null; email: string | null };
  createdAt: string;
  closedAt: string | null;
  timeline?: { seq: number; type: string; from: string | null; to: string; reason: string | null; note: string | null; evidence: Record<string, unknown>; actor: { id?: string | null; role: string } }[];
}

export interface CasePage {
  items: CaseBody[];
  nextCursor: string | null;
}

export interface Point {
  lng: number;
  lat: number;
  cellCode: string;
  streetCode: string;
}

export type CaseState = 'reported' | 'registered' | 'dispatched' | 'in_progress' | 'resolved' | 'closed' | 'rejected' | 'merged' | 'cancelled';

export const ALL_STATES: readonly CaseState[] = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved', 'closed', 'rejected', 'merged', 'cancelled'];

export const DEMO_USERS = ['operator', 'leader', 'admin', 'warden1', 'warden2', 'chief1', 'chief2', 'chief3'] as const;

/** One intake app on its own database, a connection to that database and the demo users' tokens. */
export interface World {
  app: RunningApp;
  http: ReturnType<typeof api>;
  db: Client;
  auth: Record<string, string>;
  chiefs: Record<'chief1' | 'chief2' | 'chief3', number>;
  /** A point inside a grid cell of the warden's that no earlier call of this World handed out. */
  point(warden?: string): Promise<Point>;
  close(): Promise<void>;
}

export async function startWorld(label: string, env: Record<string, string> = {}): Promise<World> {
  const app = await startIntake(label, { REPORT_RATE_LIMIT: '100000', ...env });
  const db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  const auth: Record<string, string> = {};
  await Promise.all(DEMO_USERS.map(async (u) => void (auth[u] = await app.bearer(u))));
  const chiefs = { chief1: await chiefIdOf(db, 'chief1'), chief2: await chiefIdOf(db, 'chief2'), chief3: await chiefIdOf(db, 'chief3') };
  const used = new Map<string, number>();
  return {
    app,
    http: api(app),
    db,
    auth,
    chiefs,
    async point(warden = 'warden1') {
      const n = used.get(warden) ?? 0;
      used.set(warden, n + 1);
      return pointInWardenCell(db, warden, n);
    },
    async close() {
      await db.end();
      await app.close();
    },
  };
}

/** The answer's body when its status is the expected one; otherwise throws with the body. */
export function must<T>(answer: Answer<T>, status = 200): Answer<T>['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * A department member made by the admin API and signed in: the one-time password is cleared by hand,
 * so a token of the app serves. Their id and bearer header.
 */
export async function departmentMember(w: World, username: string, departmentCode: string): Promise<{ id: string; auth: string }> {
  const made = must(await w.http.post<{ id: string }>('/api/v1/admin/users', { username, name: `${departmentCode} ${username}`, role: 'department', departmentCode }, w.auth.admin), 201);
  await w.db.query(`UPDATE app_user SET password_change_required = false WHERE id = $1`, [made.id]);
  return { id: made.id, auth: `Bearer ${await tokenFor(w.app.app, w.db, username)}` };
}

export async function eventCount(w: World, caseId?: string): Promise<number> {
  const { rows } = caseId
    ? await w.db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1`, [caseId])
    : await w.db.query(`SELECT count(*)::int AS n FROM case_event`);
  return rows[0].n as number;
}

export interface ReportOptions {
  /** A username (warden, operator…) or undefined for an anonymous citizen. */
  as?: string;
  point?: { lng: number; lat: number };
  category?: string;
  conditionNo?: number;
  description?: string;
  reporter?: { name?: string; phone?: string; email?: string };
  mediaIds?: string[];
  coordSystem?: 'wgs84' | 'gcj02' | 'bd09';
}

/** `POST /api/v1/cases`; by default an anonymous C0101 report in a fresh cell of warden1. */
export async function report(w: World, o: ReportOptions = {}): Promise<CaseBody> {
  const point = o.point ?? (await w.point('warden1'));
  const answer = await w.http.post<CaseBody>(
    '/api/v1/cases',
    {
      categoryCode: o.category ?? 'C0101',
      description: o.description ?? '井盖缺失 manhole cover missing',
      location: { lng: point.lng, lat: point.lat },
      ...(o.coordSystem ? { coordSystem: o.coordSystem } : {}),
      ...(o.conditionNo ? { conditionNo: o.conditionNo } : {}),
      ...(o.reporter ? { reporter: o.reporter } : {}),
      ...(o.mediaIds ? { mediaIds: o.mediaIds } : {}),
    },
    o.as ? w.auth[o.as] : undefined,
  );
  return must(answer, 201);
}

export async function act(w: World, id: string, action: string, body: Record<string, unknown>, user: string): Promise<CaseBody> {
  return must(await w.http.act<CaseBody>(id, action, body, w.auth[user]));
}

/**
 * The wardens go on duty (`PATCH /api/v1/me/duty`): the check of a case in their cells is then their
 * task; with nobody on duty it is the operators' and no warden may verify (issue 22 item 5).
 */
export async function onDuty(w: World, ...wardens: string[]): Promise<void> {
  for (const warden of wardens) must(await w.http.call('PATCH', '/api/v1/me/duty', { auth: w.auth[warden], body: { onDuty: true } }));
}

export async function view(w: World, id: string, user = 'operator'): Promise<CaseBody> {
  return must(await w.http.get<CaseBody>(`/api/v1/cases/${id}`, w.auth[user]));
}

export interface CaseInOptions {
  /** The warden whose cells the case lies in (default warden1). */
  warden?: string;
  /** The chief it is dispatched to (default chief3). */
  chief?: 'chief1' | 'chief2' | 'chief3';
  category?: string;
  conditionNo?: number;
  point?: { lng: number; lat: number };
  reporter?: ReportOptions['reporter'];
}

/**
 * A case brought over HTTP into the given state. Cases that reached `dispatched` keep their
 * assignee in every later state (cancelled ones are cancelled from `dispatched`).
 */
export async function caseIn(w: World, state: CaseState, o: CaseInOptions = {}): Promise<CaseBody> {
  const warden = o.warden ?? 'warden1';
  const chief = o.chief ?? 'chief3';
  const point = o.point ?? (await w.point(warden));
  const common = { point, category: o.category, conditionNo: o.conditionNo, reporter: o.reporter };
  switch (state) {
    case 'reported':
      return report(w, common);
    case 'rejected':
      return act(w, (await report(w, common)).id, 'reject', { reason: '不属于城市管理范围 not ours' }, 'operator');
    case 'merged': {
      const target = await caseIn(w, 'registered', { warden });
      return act(w, (await report(w, common)).id, 'merge', { targetId: target.id, reason: '重复上报 duplicate' }, 'operator');
    }
    case 'registered': {
      const created = await report(w, { ...common, as: warden });
      if (created.status !== 'registered') throw new Error(`warden report was not registered: ${JSON.stringify(created)}`);
      return created;
    }
    case 'dispatched':
      return act(w, (await caseIn(w, 'registered', { ...o, point })).id, 'dispatch', { assigneeId: w.chiefs[chief] }, 'operator');
    case 'in_progress':
      return act(w, (await caseIn(w, 'dispatched', { ...o, point })).id, 'accept', {}, chief);
    case 'resolved':
      return act(w, (await caseIn(w, 'in_progress', { ...o, point })).id, 'resolve', { note: '已处置 fixed' }, chief);
    case 'closed': {
      // The warden verifies the check task they are given, on duty when the case is resolved.
      await onDuty(w, warden);
      return act(w, (await caseIn(w, 'resolved', { ...o, point })).id, 'verify', { passed: true }, warden);
    }
    case 'cancelled':
      return act(w, (await caseIn(w, 'dispatched', { ...o, point })).id, 'cancel', { reason: '误报 false report' }, 'operator');
  }
}

/** A small PNG uploaded anonymously with `POST /api/v1/media`; returns its id. */
export async function uploadPng(w: World, seed = 0): Promise<string> {
  const data = Buffer.alloc(24 * 16 * 3).map((_, i) => (i * 31 + seed * 17) % 251);
  const bytes = await sharp(data, { raw: { width: 24, height: 16, channels: 3 } }).png().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), `photo-${seed}.png`);
  const res = await fetch(`${w.app.baseUrl}/api/v1/media`, { method: 'POST', body: form });
  const body = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** The fields named in an error answer's details. */
export function fieldsOf(answer: Answer<unknown>): string[] {
  return (answer.body.details ?? []).map((d) => d.field);
}
