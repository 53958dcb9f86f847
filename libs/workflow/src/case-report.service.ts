import { createHmac, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { CategoryKind, CoordSystem, ReportSource } from '@wangge/domain';
import { INITIAL_EVENT_STATE, toCaseEventMessage, trackingTokenHash } from '@wangge/events';
import { JobName } from '@wangge/jobs';
import { LocateService, metresBetween, pointToWgs84, type Place } from '@wangge/geo';
import { SYSTEM_ACTOR, type Actor } from './actor';
import { BusinessCalendarService } from './business-calendar.service';
import { CaseError } from './case-error';
import { INSERT_CASES_SQL, REPORT_CHECKS_SQL } from './case-report.sql';
import { GroupCommit, type Pending } from './group-commit';
import { EVENT_ORDER_LOCK } from './case-events.store';
import { toCaseView } from './case-query.service';
import type { CaseRow } from './case-row';
import type { CaseView } from './case-query.service';
import type { IdempotencyRequest } from './idempotency';
import { lockMedia, mediaProblem } from './media-links';
import { OutboxRelay } from './outbox/outbox-relay.service';

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

/** One report waiting for its batch. */
interface ReportRequest {
  input: ReportInput;
  actor: Actor;
  source: ReportSource;
  idempotency?: IdempotencyRequest;
}

type PendingReport = Pending<ReportRequest, ReportResult>;

/** A report that passed its checks, ready to be written. */
interface Checked {
  pending: PendingReport;
  id: string;
  category: CategoryRow;
  standardId: number | null;
  point: { lng: number; lat: number };
  place: Place;
  duplicate: string | null;
  registers: boolean;
}

/** What the batch's checks statement says about one report (`n`: its 1-based place in the batch). */
interface CheckRow {
  n: number;
  code: string | null;
  kind: CategoryKind;
  name: string;
  name_en: string;
  auto_register: boolean;
  active: boolean;
  standard_id: number | null;
  duplicate: string | null;
  request_hash: string | null;
  status_code: number | null;
  response: unknown;
  /** The code and first seqs of the case the stored answer names (the answer was stored before they were drawn). */
  stored_code: string | null;
  stored_seqs: string[] | null;
}

/** An answer with the case's code and the seqs of its first events. */
function withDrawn(view: CaseView, code: string | null, seqs: readonly (string | number)[] | null): CaseView {
  if (code === null || seqs === null) return view;
  return { ...view, code, timeline: view.timeline?.map((t, i) => ({ ...t, seq: Number(seqs[i] ?? t.seq) })) };
}

/**
 * Takes reports in. The case, its first event, the photos' links and the outbox rows commit
 * together before the answer, so nothing accepted is lost even when Redis or a worker is down.
 *
 * Reports arriving together are written together (group commit, `REPORT_BATCH_MAX`): one statement
 * checks every report of a batch (category, condition, duplicate, an earlier answer under its
 * Idempotency-Key), one finds every place, and one transaction writes every accepted case. Each
 * report still gets its own answer or its own error, and its 201 only after the commit. A lone
 * report is written at once.
 */
@Injectable()
export class CaseReportService {
  private readonly batches: GroupCommit<ReportRequest, ReportResult>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LocateService) private readonly locator: LocateService,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.batches = new GroupCommit((batch) => this.writeBatch(batch), config.reportBatch);
  }

  report(input: ReportInput, actor: Actor, source: ReportSource, idempotency?: IdempotencyRequest): Promise<ReportResult> {
    // Road chiefs handle cases; they do not report them (a problem they find goes to a warden or the hotline).
    if (actor.role === 'chief') {
      return Promise.reject(new CaseError('forbidden', 'road chiefs handle cases; report as a warden, operator or citizen / 路长不能上报'));
    }
    return this.batches.submit({ input, actor, source, idempotency });
  }

  /** Report batches written so far and the reports they held (`/metrics`). */
  get batchCounters(): { readonly batches: number; readonly items: number } {
    return this.batches.counters;
  }

  private async writeBatch(batch: readonly PendingReport[]): Promise<void> {
    const now = this.clock.now();
    const day = this.calendar.localDate(now);
    const points = batch.map(({ item: { input } }) => pointToWgs84(input.location.lng, input.location.lat, input.coordSystem ?? 'wgs84'));
    const [places, checks] = await Promise.all([this.locator.placesAt(points), this.checks(batch, points, day)]);

    const accepted: Checked[] = [];
    for (const [i, pending] of batch.entries()) {
      const check = checks[i];
      try {
        const stored = check && this.storedAnswer(pending.item, check);
        if (stored) {
          pending.succeed(stored);
          continue;
        }
        accepted.push(this.accept(pending, check, places[i], points[i], accepted));
      } catch (err) {
        pending.fail(err);
      }
    }
    if (accepted.length === 0) return;
    try {
      await this.writeAccepted(accepted, now, day);
    } catch (err) {
      if (accepted.length === 1 || err instanceof CaseError) throw err;
      // One report may have made the batch fail (e.g. a photo taken by a concurrent request): write
      // each alone, so that only that one is refused. (If the database is down, each fails alike.)
      for (const one of accepted.filter((c) => !c.pending.done)) await this.writeBatch([one.pending]).catch((e: unknown) => one.pending.fail(e));
    }
  }

  /** The batch's catalogue, condition, duplicate and Idempotency-Key lookups, in one statement. */
  private async checks(batch: readonly PendingReport[], points: readonly { lng: number; lat: number }[], day: string): Promise<(CheckRow | undefined)[]> {
    const { radiusM, windowH } = this.config.duplicate;
    const rows: CheckRow[] = await this.db.query(REPORT_CHECKS_SQL, [
      batch.map((p) => p.item.input.categoryCode),
      batch.map((p) => p.item.input.conditionNo ?? 1),
      points.map((p) => p.lng),
      points.map((p) => p.lat),
      batch.map((p) => p.item.idempotency?.scope ?? null),
      batch.map((p) => p.item.idempotency?.key ?? null),
      day,
      radiusM === 0 || windowH === 0 ? 0 : radiusM,
      windowH,
    ]);
    const byN: (CheckRow | undefined)[] = batch.map(() => undefined);
    for (const row of rows) byN[row.n - 1] = row;
    return byN;
  }

  /** The first answer to an earlier request with this report's Idempotency-Key, if it has one. */
  private storedAnswer(request: ReportRequest, check: CheckRow): ReportResult | null {
    if (!request.idempotency || check.request_hash === null || check.status_code === null) return null;
    if (check.request_hash !== request.idempotency.hash) {
      throw new CaseError('idempotency_key_reused', 'this Idempotency-Key was used for a different request / 该幂等键已用于另一请求', 'Idempotency-Key');
    }
    const first = withDrawn(check.response as CaseView, check.stored_code, check.stored_seqs);
    return { statusCode: 201, body: { ...first, trackingToken: this.trackingToken(first.id) }, replayed: true };
  }

  /** The report's own checks, in the order a single report was always judged; throws its refusal. */
  private accept(
    pending: PendingReport,
    check: CheckRow | undefined,
    place: Place | null,
    point: { lng: number; lat: number },
    earlier: readonly Checked[],
  ): Checked {
    const { input, source } = pending.item;
    if (!check?.code || !check.active) {
      throw new CaseError('unknown_category', `no category ${input.categoryCode}: see GET /api/v1/categories / 无此类别`, 'categoryCode');
    }
    if (check.standard_id === null && input.conditionNo !== undefined) {
      throw new CaseError('bad_input', `category ${check.code} has no condition ${input.conditionNo} / 无此立案条件`, 'conditionNo');
    }
    if (!place) {
      throw new CaseError('out_of_jurisdiction', `(${input.location.lng}, ${input.location.lat}) is outside the district / 该位置不在本区范围内`, 'location');
    }
    const category: CategoryRow = { code: check.code, kind: check.kind, name: check.name, name_en: check.name_en, auto_register: check.auto_register, active: check.active };
    // A case written earlier in this batch is not yet in the database for the duplicate search.
    const duplicate = check.duplicate ?? this.duplicateInBatch(category.code, point, earlier);
    return {
      pending,
      id: randomUUID(),
      category,
      standardId: check.standard_id,
      point,
      place,
      duplicate,
      registers: this.registersItself(source, category.auto_register, check.standard_id !== null, duplicate),
    };
  }

  private duplicateInBatch(categoryCode: string, point: { lng: number; lat: number }, earlier: readonly Checked[]): string | null {
    const { radiusM, windowH } = this.config.duplicate;
    if (radiusM === 0 || windowH === 0) return null;
    let nearest: { id: string; metres: number } | null = null;
    for (const c of earlier) {
      if (c.category.code !== categoryCode) continue;
      const metres = metresBetween(c.point, point);
      if (metres <= radiusM && (nearest === null || metres < nearest.metres)) nearest = { id: c.id, metres };
    }
    return nearest?.id ?? null;
  }

  /**
   * Writes the batch in one statement, which in autocommit is its own transaction; when a report
   * brings photos, in a transaction that first locks and checks them. One report per
   * Idempotency-Key goes into the statement: a repeat, and a report whose key a concurrent request
   * claimed first, go to the next batch, which answers them from the stored first answer.
   */
  private async writeAccepted(accepted: Checked[], now: Date, day: string): Promise<void> {
    const keys = new Set<string>();
    const writing: Checked[] = [];
    for (const c of accepted) {
      const req = c.pending.item.idempotency;
      const key = req ? `${req.scope}\n${req.key}` : null;
      if (key !== null && keys.has(key)) this.batches.requeue(c.pending);
      else {
        if (key !== null) keys.add(key);
        writing.push(c);
      }
    }
    const withMedia = writing.some((c) => (c.pending.item.input.mediaIds ?? []).length > 0);
    const result = withMedia
      ? await this.db.transaction(async (m) => {
          const contentTypes = await this.takeMedia(m, writing);
          return this.insertCases(m, writing.filter((c) => !c.pending.done), contentTypes, now, day);
        })
      : await this.insertCases(this.db.manager, writing, new Map(), now, day);
    for (const { checked, receipt } of result) {
      if (receipt) checked.pending.succeed({ statusCode: 201, body: receipt, replayed: false });
      else this.batches.requeue(checked.pending);
    }
    if (result.some((r) => r.receipt)) this.relay.wake();
  }

  /**
   * Locks the batch's photos and checks that each is uploaded and free; a report naming a missing
   * photo, or one another case (or an earlier report of this batch) holds, is refused.
   */
  private async takeMedia(m: EntityManager, accepted: readonly Checked[]): Promise<Map<string, string>> {
    const all = [...new Set(accepted.flatMap((c) => c.pending.item.input.mediaIds ?? []))];
    if (all.length === 0) return new Map();
    const { contentTypes, otherCase } = await lockMedia(m, all);
    const taken = new Set<string>();
    for (const c of accepted) {
      const ids = c.pending.item.input.mediaIds ?? [];
      const problem = mediaProblem(ids, contentTypes, (id) => otherCase.get(id) ?? (taken.has(id) ? 'this batch' : null));
      if (problem) c.pending.fail(problem);
      else ids.forEach((id) => taken.add(id));
    }
    return contentTypes;
  }

  /**
   * The critical section, in one statement: the event-order lock (see appendCaseEvent), the day's
   * counter row (gap-free codes, one draw for the batch), the cases, their first event(s), photos
   * and outbox rows (the feed messages get their seq and code in SQL). Both locks are held to the
   * commit, so everything slow was done before and nothing but the commit follows.
   */
  private async insertCases(
    m: EntityManager,
    writers: readonly Checked[],
    contentTypes: Map<string, string>,
    now: Date,
    day: string,
  ): Promise<{ checked: Checked; receipt: ReportReceipt | null }[]> {
    if (writers.length === 0) return [];
    const drafts = writers.map((c, i) => {
      const { input, actor, source } = c.pending.item;
      const mediaIds = [...new Set(input.mediaIds ?? [])];
      const evidence = mediaIds.length > 0 ? { mediaIds } : {};
      const reportedEvidence = c.duplicate ? { ...evidence, possibleDuplicateOf: c.duplicate } : evidence;
      const row = this.reportRow(c.id, input, actor, source, c.category, c.standardId, c.point, input.coordSystem ?? 'wgs84', c.place, c.duplicate, c.registers, now);
      const events = [
        { type: 'case.reported' as const, actor, to: 'reported' as const, evidence: reportedEvidence },
        ...(c.registers ? [{ type: 'case.registered' as const, actor: SYSTEM_ACTOR, to: 'registered' as const, evidence: {} }] : []),
      ];
      const messages = Object.fromEntries(
        events.map((ev) => [
          ev.type,
          toCaseEventMessage(row, { seq: 0, type: ev.type, at: now, actorId: ev.actor.id, actorRole: ev.actor.role, status: ev.to }, INITIAL_EVENT_STATE),
        ]),
      );
      const token = this.trackingToken(c.id);
      const json = {
        n: i + 1,
        id: c.id,
        status: row.status,
        category_code: row.category_code,
        standard_id: row.standard_id,
        description: row.description,
        address: row.address,
        lng: row.lng,
        lat: row.lat,
        coord: row.reported_coord_system,
        reported_lng: input.location.lng,
        reported_lat: input.location.lat,
        cell: row.grid_cell_code,
        street: row.street_code,
        community: row.community_code,
        road_id: row.road_id,
        segment_id: row.segment_id,
        road_distance_m: row.road_distance_m,
        source,
        channel: row.channel,
        reporter_id: actor.id,
        reporter_name: row.reporter_name,
        reporter_phone: row.reporter_phone,
        reporter_email: row.reporter_email,
        token_hash: trackingTokenHash(token),
        duplicate: c.duplicate,
        registers: c.registers,
        actor_role: actor.role,
        actor_name: actor.name,
        evidence: reportedEvidence,
        media: mediaIds,
        messages,
      };
      // The answer, with the code and seqs the statement draws filled in afterwards. Stored as it
      // is under the Idempotency-Key (without the tracking token, derived again from the id; code
      // and seqs read back from the case), in the same statement.
      const media = mediaIds.map((id) => ({ id, url: `/api/v1/media/${id}`, contentType: contentTypes.get(id) ?? 'application/octet-stream' }));
      const view = toCaseView(row, 'reporter', media, null);
      view.timeline = events.map((ev) => ({
        seq: 0,
        type: ev.type,
        at: now.toISOString(),
        actor: { role: ev.actor.role },
        from: 'reported',
        to: ev.to,
        reason: null,
        note: null,
        evidence: ev.evidence,
      }));
      const idempotency = c.pending.item.idempotency;
      const key = idempotency ? { key_scope: idempotency.scope, key: idempotency.key, request_hash: idempotency.hash, response: view } : {};
      return { checked: c, view, token, json: { ...json, ...key } };
    });
    const created: { id: string; code: string; seqs: string[] }[] = await m.query(INSERT_CASES_SQL, [
      EVENT_ORDER_LOCK,
      day,
      JSON.stringify(drafts.map((d) => d.json)),
      this.config.districtCode,
      now,
      SYSTEM_ACTOR.name,
      JobName.RouteCase,
    ]);
    const byId = new Map(created.map((c) => [c.id, c]));
    return drafts.map(({ checked, view, token }) => {
      const written = byId.get(checked.id);
      if (!written) return { checked, receipt: null };
      return { checked, receipt: { ...withDrawn(view, written.code, written.seqs), trackingToken: token } };
    });
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
}
