import { createHmac, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { CategoryKind, CoordSystem, ReportSource } from '@wangge/domain';
import { JobName } from '@wangge/jobs';
import { LocateService, pointToWgs84, type Place } from '@wangge/geo';
import { SYSTEM_ACTOR, type Actor } from './actor';
import { BusinessCalendarService } from './business-calendar.service';
import { CaseError } from './case-error';
import { STANDARD_IN_FORCE_SQL } from './standard-in-force';
import { EVENT_ORDER_LOCK, INITIAL_EVENT_STATE, toCaseEventMessage } from './case-events.store';
import { toCaseView } from './case-query.service';
import type { CaseRow } from './case-row';
import type { CaseView } from './case-query.service';
import { claimIdempotencyKey, storeIdempotentResponse, type IdempotencyRequest } from './idempotency';
import { checkMediaFree } from './media-links';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { trackingTokenHash } from './tracking-token';

/** A new report, as `POST /cases` and Open311 `POST requests` deliver it. */
export interface ReportInput {
  categoryCode: string;
  description: string;
  location: { lng: number; lat: number };
  coordSystem?: CoordSystem;
  address?: string;
  /** Free label of the channel it came through (app, wechat, 12345, web…). */
  channel?: string;
  mediaIds?: string[];
  reporter?: { name?: string; phone?: string; email?: string };
  /** Which registration condition (立案条件) the reporter chose; default the first. */
  conditionNo?: number;
}

/** What a reporter gets back: the case, and the token that lets them follow it without an account. */
export type ReportReceipt = CaseView & { trackingToken: string };

export interface ReportResult {
  statusCode: 201;
  body: ReportReceipt;
  /** true when the answer is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

interface CategoryRow {
  code: string;
  kind: CategoryKind;
  name: string;
  name_en: string;
  auto_register: boolean;
  active: boolean;
}

const OPEN = `('reported', 'registered', 'dispatched', 'in_progress', 'resolved')`;

/**
 * Takes reports in. The case, its first event, the photos' links and the outbox rows commit
 * together before the answer, so nothing accepted is lost even when Redis or a worker is down.
 */
@Injectable()
export class CaseReportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LocateService) private readonly locator: LocateService,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(input: ReportInput, actor: Actor, source: ReportSource, idempotency?: IdempotencyRequest): Promise<ReportResult> {
    const result = await this.db.transaction(async (m): Promise<ReportResult> => {
      if (idempotency) {
        const stored = await claimIdempotencyKey(m, idempotency);
        if (stored) {
          const first = stored.body as CaseView;
          return { statusCode: 201, body: { ...first, trackingToken: this.trackingToken(first.id) }, replayed: true };
        }
      }
      const body = await this.create(m, input, actor, source);
      if (idempotency) {
        // Stored without the tracking token: a replay derives it again from the case id.
        const { trackingToken: _token, ...withoutToken } = body;
        await storeIdempotentResponse(m, idempotency, { statusCode: 201, body: withoutToken });
      }
      return { statusCode: 201, body, replayed: false };
    });
    if (!result.replayed) this.relay.wake();
    return result;
  }

  private async create(m: EntityManager, input: ReportInput, actor: Actor, source: ReportSource): Promise<ReportReceipt> {
    const coordSystem = input.coordSystem ?? 'wgs84';
    const point = pointToWgs84(input.location.lng, input.location.lat, coordSystem);
    const [category]: CategoryRow[] = await m.query(
      `SELECT code, kind, name, name_en, auto_register, active FROM category WHERE code = $1`,
      [input.categoryCode],
    );
    if (!category || !category.active) {
      throw new CaseError('unknown_category', `no category ${input.categoryCode}: see GET /api/v1/categories / 无此类别`, 'categoryCode');
    }
    const [standard]: { id: number }[] = await m.query(STANDARD_IN_FORCE_SQL, [category.code, input.conditionNo ?? 1, this.calendar.localDate(this.clock.now())]);
    if (!standard && input.conditionNo !== undefined) {
      throw new CaseError('bad_input', `category ${category.code} has no condition ${input.conditionNo} / 无此立案条件`, 'conditionNo');
    }
    const place = await this.locator.placeAt(point.lng, point.lat, m);
    if (!place) {
      throw new CaseError('out_of_jurisdiction', `(${input.location.lng}, ${input.location.lat}) is outside the district / 该位置不在本区范围内`, 'location');
    }
    const mediaIds = [...new Set(input.mediaIds ?? [])];
    const contentTypes = await checkMediaFree(m, input.mediaIds ?? []);
    const duplicate = await this.findDuplicate(m, category.code, point);
    const registers = this.registersItself(source, category.auto_register, standard !== undefined, duplicate);
    const id = randomUUID();
    const token = this.trackingToken(id);
    const now = this.clock.now();
    const day = this.calendar.localDate(now);
    const evidence = mediaIds.length > 0 ? { mediaIds } : {};
    const reportedEvidence = duplicate ? { ...evidence, possibleDuplicateOf: duplicate } : evidence;

    // The critical section, in one statement: the event-order lock (see appendCaseEvent), the day's
    // counter row (gap-free codes), the case, its first event(s), its photos and its outbox rows
    // (the feed messages get their seq and code in SQL). Both locks are held to the commit, so
    // everything slow was done above and nothing but the commit follows.
    const row = this.reportRow(id, input, actor, source, category, standard?.id ?? null, point, coordSystem, place, duplicate, registers, now);
    const events = [
      { type: 'case.reported' as const, actor, to: 'reported' as const, evidence: reportedEvidence },
      ...(registers ? [{ type: 'case.registered' as const, actor: SYSTEM_ACTOR, to: 'registered' as const, evidence: {} }] : []),
    ];
    const state = INITIAL_EVENT_STATE;
    const messages = events.map((ev) =>
      toCaseEventMessage(row, { seq: 0, type: ev.type, at: now, actorId: ev.actor.id, actorRole: ev.actor.role, status: ev.to }, state),
    );
    const [created]: { id: string; code: string; created_at: Date; seqs: string[]; ats: Date[] }[] = await m.query(
      `WITH order_lock AS (SELECT pg_advisory_xact_lock($27) AS locked),
       counter AS (
         INSERT INTO case_day_counter AS d (day, last_value) SELECT $1::date, 1 FROM order_lock
         ON CONFLICT (day) DO UPDATE SET last_value = d.last_value + 1 RETURNING last_value),
       c AS (
         INSERT INTO case_file (id, code, status, category_code, standard_id, description, address, location, reported_coord_system,
                                reported_lng, reported_lat, grid_cell_code, street_code, community_code, road_id, segment_id,
                                road_distance_m, source, channel, reporter_id, reporter_name, reporter_phone, reporter_email,
                                tracking_token_hash, possible_duplicate_of, created_at, updated_at)
         SELECT $36::uuid, $2 || '-' || to_char($1::date, 'YYYYMMDD') || '-' || lpad(counter.last_value::text, 6, '0'),
                $3, $4, $5, $6, $7, ST_SetSRID(ST_MakePoint($8, $9), 4326), $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19, $20, $21, $22, $23, $24, $25, $26, $28, $28
           FROM counter
         RETURNING id, code, created_at),
       e AS (
         INSERT INTO case_event (case_id, type, actor_id, actor_role, actor_name, from_status, to_status, evidence, at)
         SELECT c.id, v.type, v.actor_id::uuid, v.actor_role, v.actor_name, v.from_status, v.to_status, v.evidence::jsonb, $28
           FROM c, (VALUES (1, 'case.reported', $29, $30, $31, 'reported', 'reported', $32),
                           (2, 'case.registered', NULL, 'system', $33, 'reported', 'registered', '{}')) AS v(n, type, actor_id, actor_role, actor_name, from_status, to_status, evidence)
          WHERE v.n = 1 OR $34::boolean
          ORDER BY v.n
         RETURNING seq, at, type),
       media AS (
         INSERT INTO case_media (case_id, media_id) SELECT c.id, unnest($35::uuid[]) FROM c),
       outbox_rows AS (
         INSERT INTO outbox (topic, name, payload)
         SELECT 'feed', 'case.event', t.message || jsonb_build_object('seq', e.seq, 'code', c.code)
           FROM e, c, unnest($37::text[], $38::jsonb[]) AS t(type, message) WHERE t.type = e.type
         UNION ALL
         SELECT 'job', $39, jsonb_build_object('caseId', c.id::text) FROM c WHERE $34::boolean)
       SELECT c.id, c.code, c.created_at, (SELECT array_agg(seq ORDER BY seq) FROM e) AS seqs, (SELECT array_agg(at ORDER BY seq) FROM e) AS ats FROM c`,
      [
        day,
        this.config.districtCode,
        registers ? 'registered' : 'reported',
        category.code,
        standard?.id ?? null,
        input.description,
        input.address ?? null,
        point.lng,
        point.lat,
        coordSystem,
        input.location.lng,
        input.location.lat,
        place.gridCell.code,
        place.street.code,
        place.community.code,
        place.road?.id ?? null,
        place.road?.segment.id ?? null,
        place.distanceM,
        source,
        input.channel ?? null,
        actor.id,
        input.reporter?.name ?? null,
        input.reporter?.phone ?? null,
        input.reporter?.email ?? null,
        trackingTokenHash(token),
        duplicate,
        EVENT_ORDER_LOCK,
        now,
        actor.id,
        actor.role,
        actor.name,
        JSON.stringify(reportedEvidence),
        SYSTEM_ACTOR.name,
        registers,
        mediaIds,
        id,
        messages.map((msg) => msg.type),
        messages.map((msg) => JSON.stringify(msg)),
        JobName.RouteCase,
      ],
    );
    row.code = created.code;
    const view = toCaseView(row, 'reporter', mediaIds.map((id) => ({ id, url: `/api/v1/media/${id}`, contentType: contentTypes.get(id) ?? 'application/octet-stream' })), null);
    view.timeline = events.map((ev, i) => ({
      seq: Number(created.seqs[i]),
      type: ev.type,
      at: now.toISOString(),
      actor: { role: ev.actor.role },
      from: 'reported',
      to: ev.to,
      reason: null,
      note: null,
      evidence: ev.evidence,
    }));
    return { ...view, trackingToken: token };
  }

  /** The new case as CASE_SELECT would read it (its code is filled in once drawn). */
  private reportRow(
    id: string,
    input: ReportInput,
    actor: Actor,
    source: ReportSource,
    category: CategoryRow,
    standardId: number | null,
    point: { lng: number; lat: number },
    coordSystem: CoordSystem,
    place: Place,
    duplicate: string | null,
    registers: boolean,
    now: Date,
  ): CaseRow {
    return {
      id,
      code: '',
      status: registers ? 'registered' : 'reported',
      category_code: category.code,
      category_kind: category.kind,
      category_name: category.name,
      category_name_en: category.name_en,
      standard_id: standardId,
      description: input.description,
      address: input.address ?? null,
      lng: point.lng,
      lat: point.lat,
      reported_coord_system: coordSystem,
      grid_cell_code: place.gridCell.code,
      street_code: place.street.code,
      street_name: place.street.name,
      community_code: place.community.code,
      community_name: place.community.name,
      road_id: place.road?.id ?? null,
      road_name: place.road?.name ?? null,
      segment_id: place.road?.segment.id ?? null,
      road_distance_m: place.distanceM,
      source,
      channel: input.channel ?? null,
      reporter_id: actor.id,
      reporter_name: input.reporter?.name ?? null,
      reporter_phone: input.reporter?.phone ?? null,
      reporter_email: input.reporter?.email ?? null,
      check_requested: false,
      check_passed: null,
      assignee_chief_id: null,
      assignee_name: null,
      assignee_level: null,
      escalation_level: 0,
      escalated_to: [],
      routing_reason: null,
      routing_reason_zh: null,
      deadline_at: null,
      overdue: false,
      extension_count: 0,
      extension_requested_hours: null,
      rework_count: 0,
      possible_duplicate_of: duplicate,
      merged_into: null,
      public_note: null,
      dispatched_at: null,
      accepted_at: null,
      resolved_at: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
      next_check_at: null,
      verify_deadline_at: null,
      verify_overdue: false,
      created_key: '',
    };
  }

  /**
   * The token that lets a reporter follow their case without an account: an HMAC of the case id
   * under the server secret. Only its SHA-256 is stored; a replayed answer derives it again.
   */
  trackingToken(caseId: string): string {
    return createHmac('sha256', this.config.jwt.secret).update(`tracking-token:${caseId}`).digest('base64url');
  }

  /** Warden reports (and other configured sources) register themselves when the category allows and a condition matches. */
  private registersItself(source: ReportSource, categoryAllows: boolean, hasCondition: boolean, duplicate: string | null): boolean {
    return this.config.autoRegisterSources.includes(source) && categoryAllows && hasCondition && duplicate === null;
  }

  private async findDuplicate(m: EntityManager, categoryCode: string, point: { lng: number; lat: number }): Promise<string | null> {
    const { radiusM, windowH } = this.config.duplicate;
    if (radiusM === 0 || windowH === 0) return null;
    const [row]: { id: string }[] = await m.query(
      `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326) AS g)
       SELECT c.id FROM case_file c, p
        WHERE c.status IN ${OPEN} AND c.category_code = $1
          AND c.created_at > now() - make_interval(hours => $5::int)
          AND c.location && ST_Expand(p.g, $4::float8 / 100000 / cos(radians($3::float8)))
          AND ST_DWithin(c.location::geography, p.g::geography, $4::float8)
        ORDER BY ST_Distance(c.location::geography, p.g::geography), c.created_at LIMIT 1`,
      [categoryCode, point.lng, point.lat, radiusM, windowH],
    );
    return row?.id ?? null;
  }
}
