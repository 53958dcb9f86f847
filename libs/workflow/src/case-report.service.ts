import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { formatCaseCode, type CoordSystem, type ReportSource } from '@wangge/domain';
import { LocateService, pointToWgs84 } from '@wangge/geo';
import { SYSTEM_ACTOR, type Actor } from './actor';
import { BusinessCalendarService } from './business-calendar.service';
import { CaseError } from './case-error';
import { appendCaseEvent } from './case-events.store';
import { CaseQueryService, type CaseView } from './case-query.service';
import { CaseWorkflowService, loadCase } from './case-workflow.service';
import { claimIdempotencyKey, storeIdempotentResponse, type IdempotencyRequest } from './idempotency';
import { attachMedia } from './media-links';
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
    @Inject(CaseWorkflowService) private readonly workflow: CaseWorkflowService,
    @Inject(CaseQueryService) private readonly queries: CaseQueryService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async report(input: ReportInput, actor: Actor, source: ReportSource, idempotency?: IdempotencyRequest): Promise<ReportResult> {
    const result = await this.db.transaction(async (m): Promise<ReportResult> => {
      if (idempotency) {
        const stored = await claimIdempotencyKey(m, idempotency);
        if (stored) return { statusCode: 201, body: stored.body as ReportReceipt, replayed: true };
      }
      const body = await this.create(m, input, actor, source);
      if (idempotency) await storeIdempotentResponse(m, idempotency, { statusCode: 201, body });
      return { statusCode: 201, body, replayed: false };
    });
    if (!result.replayed) this.relay.wake();
    return result;
  }

  private async create(m: EntityManager, input: ReportInput, actor: Actor, source: ReportSource): Promise<ReportReceipt> {
    const coordSystem = input.coordSystem ?? 'wgs84';
    const point = pointToWgs84(input.location.lng, input.location.lat, coordSystem);
    const [category]: { code: string; auto_register: boolean; active: boolean }[] = await m.query(
      `SELECT code, auto_register, active FROM category WHERE code = $1`,
      [input.categoryCode],
    );
    if (!category || !category.active) {
      throw new CaseError('unknown_category', `no category ${input.categoryCode}: see GET /api/v1/categories / 无此类别`, 'categoryCode');
    }
    const [standard]: { id: number }[] = await m.query(
      `SELECT id FROM category_standard
        WHERE category_code = $1 AND condition_no = $2 AND retired_at IS NULL AND effective_from <= now()::date
        ORDER BY version DESC LIMIT 1`,
      [category.code, input.conditionNo ?? 1],
    );
    if (!standard && input.conditionNo !== undefined) {
      throw new CaseError('bad_input', `category ${category.code} has no condition ${input.conditionNo} / 无此立案条件`, 'conditionNo');
    }
    const place = await this.locator.locate(point.lng, point.lat, m);
    if (!place) {
      throw new CaseError('out_of_jurisdiction', `(${input.location.lng}, ${input.location.lat}) is outside the district / 该位置不在本区范围内`, 'location');
    }
    const duplicate = await this.findDuplicate(m, category.code, point);
    const token = randomBytes(24).toString('base64url');
    const now = new Date();

    // Taken late and held to commit: the day's counter row (gap-free codes) and, in appendCaseEvent,
    // the event-order lock. Everything slow is done above.
    const [counter]: { last_value: number }[] = await m.query(
      `INSERT INTO case_day_counter AS d (day, last_value) VALUES ($1::date, 1)
       ON CONFLICT (day) DO UPDATE SET last_value = d.last_value + 1 RETURNING last_value`,
      [this.calendar.localDate(now)],
    );
    const code = formatCaseCode(this.config.districtCode, this.calendar.localDate(now), counter.last_value);
    const [inserted]: { id: string }[] = await m.query(
      `INSERT INTO case_file (code, status, category_code, standard_id, description, address, location, reported_coord_system,
                              reported_lng, reported_lat, grid_cell_code, street_code, community_code, road_id, segment_id,
                              road_distance_m, source, channel, reporter_id, reporter_name, reporter_phone, reporter_email,
                              tracking_token_hash, possible_duplicate_of, created_at, updated_at)
       VALUES ($1, 'reported', $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326), $8, $9, $10, $11, $12, $13, $14, $15,
               $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25)
       RETURNING id`,
      [
        code,
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
        now,
      ],
    );
    const row = await loadCase(m, inserted.id);
    const evidence = input.mediaIds && input.mediaIds.length > 0 ? { mediaIds: input.mediaIds } : {};
    const reported = await appendCaseEvent(
      m,
      row,
      { type: 'case.reported', from: 'reported', to: 'reported', reason: null, note: null, evidence: duplicate ? { ...evidence, possibleDuplicateOf: duplicate } : evidence },
      actor,
    );
    if (input.mediaIds && input.mediaIds.length > 0) await attachMedia(m, row.id, input.mediaIds, reported.seq);

    if (this.registersItself(source, category.auto_register, standard !== undefined, duplicate)) {
      await this.workflow.applyIn(m, row.id, 'register', SYSTEM_ACTOR, { note: undefined });
    }
    const view = await this.queries.viewIn(m, row.id, 'reporter');
    return { ...view, trackingToken: token };
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
