import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CatalogueService, type JudgedStandard } from '@wangge/catalogue';
import { CLOCK, type Clock } from '@wangge/clock';
import { caseActionSql, caseScopeSql, caseVisible, publicCaseOf, roleSeesAsStaff, type PublicCase } from '@wangge/auth';
import { publicPhotoSql } from './reads/public-photos.sql';
import {
  CASE_STATUS_NAMES,
  CHIEF_TITLES,
  isChiefLevel,
  isOpenStatus,
  type CaseEventType,
  type CaseLight,
  type CaseStatus,
  type TrafficLight,
} from '@wangge/domain';
import type { BoundingBox } from '@wangge/geo';
import type { Actor } from './actor';
import { CaseError } from './case-error';
import { CASE_SELECT, caseSelectFrom, type CaseRow } from './case-row';
import type { Supervision } from './orders/leader-order';
import { roundShare, trackingTokenHash } from '@wangge/events';
import { publicFollowUp } from './citizens/public-follow-up';
import { BusinessCalendarService } from './business-calendar.service';
import { CaseLimitService } from './case-limit.service';
import { lightOrderSql } from './traffic-light';
import { caseShapeOf } from './transition';

/**
 * Who is reading: `full` staff (operator, leader, admin) see the reporter's contact; `staff` see
 * the case without it; `reporter` and `public` (a tracking token) see what the public may see.
 */
export type Audience = 'full' | 'staff' | 'reporter' | 'public';

export interface TimelineEntry {
  seq: number;
  type: CaseEventType;
  at: string;
  actor: { id?: string | null; role: string; name?: string | null };
  from: CaseStatus | null;
  to: CaseStatus;
  reason: string | null;
  note: string | null;
  evidence: Record<string, unknown>;
}

/** The case as the API answers it (domain.md 4.3), never the entity itself. */
export interface CaseView {
  id: string;
  code: string;
  status: CaseStatus;
  statusName: { zh: string; en: string };
  category: { code: string; kind: 'component' | 'event'; name: string; nameEn: string };
  description: string;
  /** null (with the cell, street and community) for a case reported by address only, until an operator places it. */
  location: { lng: number; lat: number } | null;
  address: string | null;
  /** The address id the reporter gave (Open311 `address_id`), if any. */
  addressId: string | null;
  gridCell: { code: string } | null;
  street: { code: string; name: string } | null;
  community: { code: string; name: string } | null;
  road: { id: number; name: string } | null;
  /** The chief who handles the case, or the department (domain.md 9: `{kind: department, code, name}`). */
  assignee: { id: number; name: string; level: number; title: string; titleEn: string } | { kind: 'department'; code: string; name: string } | null;
  /** A department's case: the road chief who coordinates it (sees it, comments; does not resolve). */
  coordinator: { id: number; name: string; level: number; title: string; titleEn: string } | null;
  escalationLevel: number;
  deadlineAt: string | null;
  overdue: boolean;
  routingReason: string | null;
  routingReasonZh: string | null;
  source: string;
  channel: string | null;
  possibleDuplicateOf: string | null;
  mergedInto: { id: string; code: string; status: CaseStatus } | null;
  publicNote: string | null;
  check: { requested: boolean; passed: boolean | null };
  extensionCount: number;
  extensionRequestedHours: number | null;
  reworkCount: number;
  /** Staff only: the leader's supervision (督办) while the case is open; null: not supervised. */
  supervision?: Supervision | null;
  /**
   * Staff only: the traffic light of the case's current limit (green under 80 % used, yellow to
   * 100 %, red past it; null: no limit) and the share used (0.85 = 85 %, 4 decimals), as of the read.
   */
  light?: TrafficLight | null;
  limitUsed?: number | null;
  /** Staff only: 挂账 — the suspension in force (null: none) and an operator's request awaiting a leader. */
  suspension?: SuspensionView | null;
  suspendRequest?: { reason: string; until: string } | null;
  media: { id: string; url: string; contentType: string }[];
  reporter?: { name: string | null; phone: string | null; email: string | null };
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** The standard version and condition the case was judged by (one case's view only): kept when newer versions come. */
  standard?: JudgedStandard | null;
  timeline?: TimelineEntry[];
}

/** A suspension in force: the clock stands still until `until` with `leftMs` (clock milliseconds) left. */
export interface SuspensionView {
  since: string;
  until: string;
  reason: string | null;
  clockType: string | null;
  leftMs: number;
}

export interface CaseFilter {
  status?: CaseStatus[];
  category?: string;
  street?: string;
  community?: string;
  assignee?: number;
  overdue?: boolean;
  /** true: only cases whose chief asked for more time and no leader has decided yet (待审批延期). */
  extensionRequested?: boolean;
  /** 挂账: only suspended cases (true) or only the others (false). */
  suspended?: boolean;
  bbox?: BoundingBox;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit?: number;
  /** `created` (default): newest first. `light`: red first, then yellow, green, none; by share used within a colour. */
  sort?: CaseSort;
}

export const CASE_SORTS = ['created', 'light'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

export interface CasePage {
  items: CaseView[];
  nextCursor: string | null;
}

const FULL_ROLES = ['operator', 'leader', 'admin', 'system'];

export function audienceOf(actor: Actor): Audience {
  if (FULL_ROLES.includes(actor.role)) return 'full';
  // The staff view for the roles the access model lets see cases as staff (chiefs, wardens, department members).
  return roleSeesAsStaff(actor.role) ? 'staff' : 'reporter';
}

/** Reads cases for a caller: one case with its timeline, lists with filters and cursors, task lists. */
@Injectable()
export class CaseQueryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CatalogueService) private readonly catalogue: CatalogueService,
    @Inject(CaseLimitService) private readonly limits: CaseLimitService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
  ) {}

  get manager(): EntityManager {
    return this.db.manager;
  }

  /**
   * One case, if the caller may see it (404 otherwise: a case outside one's scope is not revealed);
   * a citizen sees their own report as the public does.
   */
  async view(id: string, actor: Actor): Promise<CaseView | PublicCase> {
    const row = await this.row(this.db.manager, id);
    if (!row || !caseVisible(actor, caseShapeOf(rowScope(row)))) throw new CaseError('not_found', `case ${id} not found / 案卷不存在`);
    const audience = audienceOf(actor);
    return audience === 'reporter' ? this.publicView(row) : this.toView(this.db.manager, row, audience, true);
  }

  /** One case for whoever holds its tracking token (anonymous citizens), as the public sees it. */
  async viewByToken(id: string, token: string): Promise<PublicCase> {
    const row = await this.row(this.db.manager, id);
    if (!row || !(await this.tokenMatches(row.id, token))) throw new CaseError('not_found', `case ${id} not found / 案卷不存在`);
    return this.publicView(row);
  }

  /** The public view (@wangge/auth's allow-list): public fields, steps and words, the report's and resolution's photos. */
  private async publicView(row: CaseRow, m: EntityManager = this.db.manager): Promise<PublicCase> {
    const media = await this.mediaOf(m, [row.id], true);
    const merged = await this.mergedTargets(m, [row]);
    const view = toCaseView(row, 'public', media.get(row.id) ?? [], merged.get(row.merged_into ?? '') ?? null);
    return { ...publicCaseOf({ ...view, timeline: await this.timeline(m, row.id) }), ...(await publicFollowUp(m, row, this.clock.now(), this.calendar.offsetMinutes)) };
  }

  /** The case id a tracking token stands for. */
  async idByToken(token: string): Promise<string | null> {
    const [row]: { id: string }[] = await this.db.query(`SELECT id FROM case_file WHERE tracking_token_hash = $1`, [trackingTokenHash(token)]);
    return row?.id ?? null;
  }

  async viewIn(m: EntityManager, id: string, audience: Audience, withTimeline = true): Promise<CaseView | PublicCase> {
    const row = await this.row(m, id);
    if (!row) throw new CaseError('not_found', `case ${id} not found / 案卷不存在`);
    return audience === 'public' || audience === 'reporter' ? this.publicView(row, m) : this.toView(m, row, audience, withTimeline);
  }

  async list(filter: CaseFilter, actor: Actor): Promise<CasePage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    where.push(caseScopeSql(actor, 'c', p));
    if (filter.status?.length) where.push(`c.status = ANY(${p(filter.status)}::text[])`);
    if (filter.category) where.push(`c.category_code = ${p(filter.category)}`);
    if (filter.street) where.push(`c.street_code = ${p(filter.street)}`);
    if (filter.community) where.push(`c.community_code = ${p(filter.community)}`);
    if (filter.assignee !== undefined) where.push(`c.assignee_chief_id = ${p(filter.assignee)}`);
    if (filter.overdue !== undefined) where.push(`c.overdue = ${p(filter.overdue)}`);
    if (filter.extensionRequested !== undefined) where.push(`(c.extension_requested_hours IS NOT NULL) = ${p(filter.extensionRequested)}`);
    if (filter.suspended !== undefined) where.push(filter.suspended ? 'c.suspended_at IS NOT NULL' : 'c.suspended_at IS NULL');
    if (filter.bbox) {
      const { minLng, minLat, maxLng, maxLat } = filter.bbox;
      where.push(`c.location && ST_MakeEnvelope(${p(minLng)}, ${p(minLat)}, ${p(maxLng)}, ${p(maxLat)}, 4326)`);
    }
    if (filter.from) where.push(`c.created_at >= ${p(filter.from)}`);
    if (filter.to) where.push(`c.created_at < ${p(filter.to)}`);
    const limit = filter.limit ?? 50;
    // Cases open since before the traffic light, or timed under an older holiday calendar, first get their readings.
    await this.limits.refreshStale();
    if (filter.sort === 'light') return this.listByLight(where, params, limit, filter.cursor, actor);
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor);
      where.push(`(c.created_at, c.id) < (${p(cursor.createdAt)}::timestamptz, ${p(cursor.id)}::uuid)`);
    }
    const rows: CaseRow[] = await this.db.query(
      `${CASE_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at DESC, c.id DESC LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const items = await this.toViews(page, audienceOf(actor));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.created_key, last.id) : null };
  }

  /**
   * A list sorted by traffic light (red first, then by share used), as of one instant: the first
   * page's, which its cursor carries, so the pages of one list agree even as the clock runs.
   */
  private async listByLight(where: string[], params: unknown[], limit: number, cursorText: string | undefined, actor: Actor): Promise<CasePage> {
    const p = (value: unknown) => `$${params.push(value)}`;
    const cursor = cursorText ? decodeLightCursor(cursorText) : null;
    const at = cursor ? new Date(cursor.at) : this.clock.now();
    const readings = await this.limits.nowReadings(at);
    const order = lightOrderSql('c', { continuous: p(readings.continuous), work: p(readings.work) });
    if (cursor) {
      where.push(`(${order.rank}, -${order.share}, c.id) > (${p(cursor.rank)}::int, -${p(cursor.share)}::float8, ${p(cursor.id)}::uuid)`);
    }
    const rows: (CaseRow & { light_rank: number; light_share: number })[] = await this.db.query(
      `SELECT * FROM (${caseSelectFrom('case_file', { columns: `, ${order.rank} AS light_rank, ${order.share} AS light_share` })}
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}) listed
       ORDER BY light_rank, light_share DESC, id LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const items = await this.toViews(page, audienceOf(actor), at);
    const last = page[page.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeLightCursor({ at: at.toISOString(), rank: Number(last.light_rank), share: Number(last.light_share), id: last.id }) : null,
    };
  }

  /** A chief's open assignments (and cases escalated to them), supervised ones (督办) first, then by traffic light; or a warden's checks, deadlines first. */
  async tasks(actor: Actor): Promise<CaseView[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    let rows: CaseRow[];
    // A chief's assignments (and the cases they coordinate), or a department member's: their department's open cases.
    if ((actor.role === 'chief' && actor.chiefId !== null) || (actor.role === 'department' && actor.departmentCode)) {
      // By traffic light: red first, then by the share of the limit used.
      await this.limits.refreshStale();
      const readings = await this.limits.nowReadings(this.clock.now());
      const order = lightOrderSql('c', { continuous: p(readings.continuous), work: p(readings.work) });
      rows = await this.db.query(
        `${CASE_SELECT} WHERE c.status IN ('dispatched', 'in_progress') AND ${caseScopeSql(actor, 'c', p)}
         ORDER BY (c.supervision IS NULL), ${order.rank}, ${order.share} DESC, c.deadline_at NULLS LAST, c.created_at LIMIT 500`,
        params,
      );
    } else if (actor.role === 'warden') {
      // The checks the warden is to make: where they may verify (their cells).
      rows = await this.db.query(
        `${CASE_SELECT} WHERE ${caseActionSql(actor, 'verify', 'c', p)}
            AND (c.status = 'resolved' OR (c.status = 'reported' AND c.check_requested))
         ORDER BY c.resolved_at NULLS LAST, c.created_at LIMIT 500`,
        params,
      );
    } else {
      throw new CaseError('forbidden', 'tasks are for road chiefs, department members and wardens / 仅路长、部门人员和网格员有任务列表');
    }
    return this.toViews(rows, 'staff');
  }

  private async row(m: EntityManager, id: string): Promise<CaseRow | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const [row]: CaseRow[] = await m.query(`${CASE_SELECT} WHERE c.id = $1`, [id]);
    return row ?? null;
  }

  private async tokenMatches(id: string, token: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM case_file WHERE id = $1 AND tracking_token_hash = $2`, [id, trackingTokenHash(token)]);
    return rows.length > 0;
  }

  private async toViews(rows: CaseRow[], audience: Audience, at: Date = this.clock.now()): Promise<CaseView[]> {
    if (rows.length === 0) return [];
    const media = await this.mediaOf(this.db.manager, rows.map((r) => r.id));
    const merged = await this.mergedTargets(this.db.manager, rows);
    const lightOf = await this.limits.lights(at);
    return rows.map((r) => toCaseView(r, audience, media.get(r.id) ?? [], merged.get(r.merged_into ?? '') ?? null, lightOf(r)));
  }

  private async toView(m: EntityManager, row: CaseRow, audience: Audience, withTimeline: boolean): Promise<CaseView> {
    const media = await this.mediaOf(m, [row.id]);
    const merged = await this.mergedTargets(m, [row]);
    const light = await this.limits.lightAt(m, row, this.clock.now());
    const view = toCaseView(row, audience, media.get(row.id) ?? [], merged.get(row.merged_into ?? '') ?? null, light);
    view.standard = await this.catalogue.standardOf(row.standard_id, m);
    if (withTimeline) view.timeline = await this.timeline(m, row.id);
    return view;
  }

  private async mediaOf(m: EntityManager, ids: string[], publicOnly = false): Promise<Map<string, CaseView['media']>> {
    const rows: { case_id: string; media_id: string; content_type: string }[] = await m.query(
      `SELECT cm.case_id, cm.media_id, md.content_type FROM case_media cm JOIN media md ON md.id = cm.media_id
        WHERE cm.case_id = ANY($1::uuid[])${publicOnly ? ` AND ${publicPhotoSql('cm')}` : ''} ORDER BY cm.event_seq NULLS FIRST, md.created_at`,
      [ids],
    );
    const out = new Map<string, CaseView['media']>();
    for (const r of rows) {
      const list = out.get(r.case_id) ?? [];
      list.push({ id: r.media_id, url: `/api/v1/media/${r.media_id}`, contentType: r.content_type });
      out.set(r.case_id, list);
    }
    return out;
  }

  private async mergedTargets(m: EntityManager, rows: CaseRow[]): Promise<Map<string, { id: string; code: string; status: CaseStatus }>> {
    const ids = rows.map((r) => r.merged_into).filter((id): id is string => id !== null);
    if (ids.length === 0) return new Map();
    const targets: { id: string; code: string; status: CaseStatus }[] = await m.query(
      `SELECT id, code, status FROM case_file WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(targets.map((t) => [t.id, t]));
  }

  private async timeline(m: EntityManager, caseId: string): Promise<TimelineEntry[]> {
    const rows: {
      seq: string;
      type: CaseEventType;
      at: Date;
      actor_id: string | null;
      actor_role: string;
      actor_name: string | null;
      from_status: CaseStatus | null;
      to_status: CaseStatus;
      reason: string | null;
      note: string | null;
      evidence: Record<string, unknown>;
    }[] = await m.query(
      `SELECT seq, type, at, actor_id, actor_role, actor_name, from_status, to_status, reason, note, evidence
         FROM case_event WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    // Staff see every step; the public view (publicCaseOf) keeps the public steps and words only.
    return rows.map((r) => ({
        seq: Number(r.seq),
        type: r.type,
        at: new Date(r.at).toISOString(),
        actor: { id: r.actor_id, role: r.actor_role, name: r.actor_name },
        from: r.from_status,
        to: r.to_status,
        reason: r.reason,
        note: r.note,
        evidence: r.evidence,
      }));
  }
}

function rowScope(row: CaseRow) {
  return {
    id: row.id,
    streetCode: row.street_code,
    gridCellCode: row.grid_cell_code,
    assigneeChiefId: row.assignee_chief_id,
    escalatedTo: row.escalated_to,
    reporterId: row.reporter_id,
    assigneeDepartmentCode: row.assignee_department_code,
    coordinatorChiefId: row.coordinator_chief_id,
  };
}

export function toCaseView(
  r: CaseRow,
  audience: Audience,
  media: CaseView['media'],
  mergedInto: { id: string; code: string; status: CaseStatus } | null,
  light: CaseLight | null = null,
): CaseView {
  const level = r.assignee_level;
  return {
    id: r.id,
    code: r.code,
    status: r.status,
    statusName: CASE_STATUS_NAMES[r.status],
    category: { code: r.category_code, kind: r.category_kind, name: r.category_name, nameEn: r.category_name_en },
    description: r.description,
    location: r.lng === null || r.lat === null ? null : { lng: Number(r.lng), lat: Number(r.lat) },
    address: r.address,
    addressId: r.address_id,
    gridCell: r.grid_cell_code === null ? null : { code: r.grid_cell_code },
    street: r.street_code === null ? null : { code: r.street_code, name: r.street_name ?? '' },
    community: r.community_code === null ? null : { code: r.community_code, name: r.community_name ?? '' },
    road: r.road_id !== null && r.road_name !== null ? { id: r.road_id, name: r.road_name } : null,
    assignee:
      r.assignee_chief_id !== null && isChiefLevel(level)
        ? { id: r.assignee_chief_id, name: r.assignee_name ?? '', level, title: CHIEF_TITLES[level].zh, titleEn: CHIEF_TITLES[level].en }
        : r.assignee_department_code !== null
          ? { kind: 'department', code: r.assignee_department_code, name: r.assignee_department_name ?? '' }
          : null,
    coordinator:
      r.coordinator_chief_id !== null && isChiefLevel(r.coordinator_level)
        ? {
            id: r.coordinator_chief_id,
            name: r.coordinator_name ?? '',
            level: r.coordinator_level,
            title: CHIEF_TITLES[r.coordinator_level].zh,
            titleEn: CHIEF_TITLES[r.coordinator_level].en,
          }
        : null,
    escalationLevel: r.escalation_level,
    deadlineAt: r.deadline_at ? new Date(r.deadline_at).toISOString() : null,
    overdue: r.overdue,
    routingReason: r.routing_reason,
    routingReasonZh: r.routing_reason_zh,
    source: r.source,
    channel: r.channel,
    possibleDuplicateOf: r.possible_duplicate_of,
    mergedInto,
    publicNote: r.public_note,
    check: { requested: r.check_requested, passed: r.check_passed },
    extensionCount: r.extension_count,
    extensionRequestedHours: r.extension_requested_hours === null ? null : Number(r.extension_requested_hours),
    reworkCount: r.rework_count,
    ...(audience === 'full' || audience === 'staff'
      ? { light: light?.light ?? null, limitUsed: light ? roundShare(light.share) : null, supervision: isOpenStatus(r.status) ? r.supervision : null, ...suspensionViewOf(r) }
      : {}),
    media,
    ...(audience === 'full' ? { reporter: { name: r.reporter_name, phone: r.reporter_phone, email: r.reporter_email } } : {}),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
  };
}

export function encodeCursor(createdKey: string, id: string): string {
  return Buffer.from(JSON.stringify([createdKey, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(value[0]) &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(value[1])
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new CaseError('bad_input', 'cursor is not one this API gave out / 分页游标无效', 'cursor');
}


interface LightCursor {
  at: string;
  rank: number;
  share: number;
  id: string;
}

export function encodeLightCursor(c: LightCursor): string {
  return Buffer.from(JSON.stringify(['light', c.at, c.rank, c.share, c.id])).toString('base64url');
}

export function decodeLightCursor(cursor: string): LightCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 5 &&
      v[0] === 'light' &&
      typeof v[1] === 'string' &&
      !Number.isNaN(Date.parse(v[1])) &&
      Number.isInteger(v[2]) &&
      typeof v[3] === 'number' &&
      Number.isFinite(v[3]) &&
      typeof v[4] === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v[4])
    ) {
      return { at: v[1], rank: v[2], share: v[3], id: v[4] };
    }
  } catch {
    // fall through
  }
  throw new CaseError('bad_input', 'cursor is not one this API gave out for sort=light / 分页游标无效', 'cursor');
}

/** The suspension fields of a case as staff see them. */
function suspensionViewOf(r: CaseRow): Pick<CaseView, 'suspension' | 'suspendRequest'> {
  const iso = (v: Date | string) => new Date(v).toISOString();
  return {
    suspension:
      r.suspended_at && r.suspended_until
        ? { since: iso(r.suspended_at), until: iso(r.suspended_until), reason: r.suspend_reason, clockType: r.suspend_clock, leftMs: Number(r.suspend_left_ms ?? 0) }
        : null,
    suspendRequest: r.suspend_requested_until && r.suspend_requested_reason ? { reason: r.suspend_requested_reason, until: iso(r.suspend_requested_until) } : null,
  };
}
