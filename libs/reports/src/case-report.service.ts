import { createHmac, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { ReportSource } from '@wangge/domain';
import { retryTransient } from '@wangge/database';
import { LocateService, pointToWgs84, type Place } from '@wangge/geo';
import {
  BusinessCalendarService,
  CaseError,
  CaseReportStore,
  lockMedia,
  mediaProblem,
  OutboxRelay,
  type Actor,
  type CheckRow,
  type ReportStatements,
} from '@wangge/workflow';
import { REPORT_KEY_SQL } from './idempotency-key.sql';
import { checkReport, reporterRefusal, storedAnswer, type ReportRules } from './report.checks';
import { reportDraft, withDrawn } from './report.draft';
import type { AcceptedReport, LngLat, ReportInput, ReportReceipt, ReportResult } from './report.types';
import { GroupCommit, type Pending } from './group-commit';
import type { IdempotencyRequest } from './idempotency';

/** One report waiting for its batch. */
interface ReportRequest {
  input: ReportInput;
  actor: Actor;
  source: ReportSource;
  idempotency?: IdempotencyRequest;
}

type PendingReport = Pending<ReportRequest, ReportResult>;

/** A report that passed its checks, ready to be written. */
interface Checked extends AcceptedReport {
  pending: PendingReport;
  id: string;
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
  private readonly rules: ReportRules;
  private readonly store: ReportStatements;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LocateService) private readonly locator: LocateService,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
    @Inject(CaseReportStore) cases: CaseReportStore,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.batches = new GroupCommit((batch) => this.writeBatch(batch), config.reportBatch);
    this.rules = { duplicate: config.duplicate, autoRegisterSources: config.autoRegisterSources };
    this.store = cases.statements(REPORT_KEY_SQL);
  }

  report(input: ReportInput, actor: Actor, source: ReportSource, idempotency?: IdempotencyRequest): Promise<ReportResult> {
    const refusal = reporterRefusal(actor);
    if (refusal) return Promise.reject(refusal);
    return this.batches.submit({ input, actor, source, idempotency });
  }

  /** Report batches written so far and the reports they held (`/metrics`). */
  get batchCounters(): { readonly batches: number; readonly items: number } {
    return this.batches.counters;
  }

  private async writeBatch(batch: readonly PendingReport[]): Promise<void> {
    const now = this.clock.now();
    const day = this.calendar.localDate(now);
    // A report located by its address only has no point: no place, no duplicate search (an operator places it).
    const points = batch.map(({ item: { input } }) => (input.location ? pointToWgs84(input.location.lng, input.location.lat, input.coordSystem ?? 'wgs84') : null));
    let places: (Place | null)[];
    let checks: (CheckRow | undefined)[];
    try {
      [places, checks] = await Promise.all([this.placesOf(points), this.checks(batch, points, day)]);
    } catch (err) {
      if (batch.length === 1) throw err;
      // One report may have made the batch's statements fail (input no check caught): judge each
      // alone, so only that one is refused. (If the database is down, each fails alike.)
      for (const one of batch) await this.writeBatch([one]).catch((e: unknown) => one.fail(e));
      return;
    }

    const accepted: Checked[] = [];
    for (const [i, pending] of batch.entries()) {
      const check = checks[i];
      try {
        const stored = check && storedAnswer(pending.item.idempotency, check);
        if (stored) {
          const first = withDrawn(stored, check.stored_code, check.stored_seqs);
          pending.succeed({ statusCode: 201, body: { ...first, trackingToken: this.trackingToken(first.id) }, replayed: true });
          continue;
        }
        const { input, source } = pending.item;
        const report = checkReport({ input, source, check, place: places[i], point: points[i], earlier: accepted }, this.rules);
        accepted.push({ ...report, pending, id: randomUUID() });
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

  /** The place of each point (one statement); null for a report without one. */
  private async placesOf(points: readonly (LngLat | null)[]): Promise<(Place | null)[]> {
    const located = points.filter((p): p is LngLat => p !== null);
    const found = located.length > 0 ? await this.locator.placesAt(located) : [];
    let i = 0;
    return points.map((p) => (p === null ? null : found[i++]));
  }

  /** The batch's catalogue, condition, duplicate and Idempotency-Key lookups, in one statement. */
  private async checks(batch: readonly PendingReport[], points: readonly (LngLat | null)[], day: string): Promise<(CheckRow | undefined)[]> {
    const rows = await this.store.check(
      batch.map(({ item: { input, idempotency } }, i) => ({
        categoryCode: input.categoryCode,
        conditionNo: input.conditionNo ?? 1,
        lng: points[i]?.lng ?? null,
        lat: points[i]?.lat ?? null,
        key: idempotency ? { scope: idempotency.scope, key: idempotency.key } : null,
      })),
      day,
      this.config.duplicate,
    );
    const byN: (CheckRow | undefined)[] = batch.map(() => undefined);
    for (const row of rows) byN[row.n - 1] = row;
    return byN;
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
    // A transaction that lost a race (a deadlock the server broke) is run again rather than answer 500.
    const result = await retryTransient(() =>
      withMedia
        ? this.db.transaction(async (m) => {
            const contentTypes = await this.takeMedia(m, writing);
            return this.insertCases(m, writing.filter((c) => !c.pending.done), contentTypes, now, day);
          })
        : this.insertCases(null, writing, new Map(), now, day),
    );
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
   * The critical section, in one statement (the workflow's CaseReportStore): the Idempotency-Keys'
   * claims, the event-order lock (see appendCaseEvent), the day's counter row (gap-free codes, one
   * draw for the batch), the cases, their first event(s), photos and outbox rows (the feed messages
   * get their seq and code in SQL). Both locks are held to the commit, so everything slow was done
   * before and nothing but the commit follows. `m`: the transaction that took the photos, if any.
   */
  private async insertCases(
    m: EntityManager | null,
    writers: readonly Checked[],
    contentTypes: Map<string, string>,
    now: Date,
    day: string,
  ): Promise<{ checked: Checked; receipt: ReportReceipt | null }[]> {
    if (writers.length === 0) return [];
    const drafts = writers.map((c, i) => {
      const { input, actor, source, idempotency } = c.pending.item;
      const token = this.trackingToken(c.id);
      const { view, json } = reportDraft({ n: i + 1, id: c.id, input, actor, source, idempotency, accepted: c, now, trackingToken: token, contentTypes });
      return { checked: c, view, token, json };
    });
    const created = await this.store.insert(m, drafts.map((d) => d.json), now, day);
    const byId = new Map(created.map((c) => [c.id, c]));
    return drafts.map(({ checked, view, token }) => {
      const written = byId.get(checked.id);
      if (!written) return { checked, receipt: null };
      return { checked, receipt: { ...withDrawn(view, written.code, written.seqs), trackingToken: token } };
    });
  }

  /**
   * The token that lets a reporter follow their case without an account: an HMAC of the case id
   * under TRACKING_TOKEN_SECRET. Only its SHA-256 is stored; a replayed answer derives it again.
   */
  trackingToken(caseId: string): string {
    return createHmac('sha256', this.config.trackingTokenSecret).update(`tracking-token:${caseId}`).digest('base64url');
  }
}
