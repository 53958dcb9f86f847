import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { placeScopeSql, placeVisible } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { pointToWgs84 } from '@wangge/geo';
import { CaseReportService, type IdempotencyRequest } from '@wangge/reports';
import { OutboxRelay, SYSTEM_ACTOR, type Actor } from '@wangge/workflow';
import { announce } from './inspection-events';
import { InspectionClockService } from './plans/inspection-clock.service';
import { ChecklistService } from './checklist.service';
import { PlaceError } from './place-error';
import { PlaceService } from './place.service';
import type { ChecklistView, InspectionView, ItemResult, NewInspection, PlaceKind } from './place.types';
import { INSERT_INSPECTION_SQL, INSPECTION_SELECT_SQL, LINK_CASE_SQL, type InspectionRow } from './places.sql';

/** An inspection's answer: the record, and whether it is the stored one of an earlier request with the same Idempotency-Key. */
export interface InspectionResult {
  inspection: InspectionView;
  replayed: boolean;
}

/**
 * Inspection records on site (domain.md 8): one check of a place against a checklist version, item
 * by item. Further than PLACE_RADIUS_M from the place it is flagged off-site. Each failed item opens
 * a case of the item's category at the place through report intake (CaseReportService: registered
 * and routed like any warden's report), linked to the place and the inspection (`place_case`).
 *
 * Idempotent in steps that survive a crash between them: the record is written once per
 * (inspector, Idempotency-Key); each failed item's case is reported under its own key
 * (`inspection:<id>` / item code), so a replay finishes what a first attempt left undone and
 * opens nothing twice.
 */
@Injectable()
export class InspectionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PlaceService) private readonly places: PlaceService,
    @Inject(ChecklistService) private readonly checklists: ChecklistService,
    @Inject(CaseReportService) private readonly reports: CaseReportService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(InspectionClockService) private readonly inspectionClock: InspectionClockService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async record(input: NewInspection, actor: Actor, idempotency?: IdempotencyRequest): Promise<InspectionResult> {
    if (actor.id === null) throw new PlaceError('forbidden', 'sign in to record an inspection / 请登录');
    const place = await this.places.shape(input.placeId);
    if (!place || !placeVisible(actor, place)) throw new PlaceError('not_found', `no place ${input.placeId} / 无此点位`, [{ field: 'placeId', problem: 'no such place in your jurisdiction' }]);
    const checklist = await this.checklists.get(input.checklistId);
    const results = checkResults(input.results, checklist);
    const at = pointToWgs84(input.location.lng, input.location.lat, input.coordSystem ?? 'wgs84');
    const failed = results.filter((r) => !r.passed).length;

    const now = this.clock.now();
    const inserted = await this.db.transaction(async (m) => {
      const rows: { id: string; off_site: boolean }[] = await m.query(INSERT_INSPECTION_SQL, [
      place.id,
      checklist.id,
      input.planId ?? null,
      actor.id,
      at.lng,
      at.lat,
      this.config.placeRadiusM,
      JSON.stringify(results),
      failed,
      idempotency?.key ?? null,
      idempotency?.hash ?? null,
      now,
      ]);
      const first = rows[0];
      if (first) {
        // What a plan had due at the place is done; the record itself is announced to whoever sees the place.
        const by = { id: actor.id!, name: actor.name };
        await this.inspectionClock.fulfil(m, { id: first.id, placeId: place.id, checklistId: checklist.id, at: now, by });
        await announce(m, [{ place, event: { type: 'inspection.recorded', at: now.toISOString(), inspectionId: first.id, person: by, failed, offSite: first.off_site } }]);
      }
      return rows;
    });
    if (inserted.length > 0) this.relay.wake();
    let id = inserted[0]?.id;
    const replayed = id === undefined;
    if (replayed) {
      const [first] = await this.rows(`i.inspector_id = $1 AND i.idempotency_key = $2`, [actor.id, idempotency?.key]);
      if (first.request_hash !== idempotency?.hash) {
        throw new PlaceError('idempotency_key_reused', 'this Idempotency-Key was used for a different request / 该幂等键已用于另一请求', [{ field: 'Idempotency-Key', problem: 'used for a different request' }]);
      }
      id = first.id;
    }
    await this.openCases(id, place, checklist, results, actor);
    return { inspection: await this.get(id, actor), replayed };
  }

  /** One inspection, for whoever sees its place. */
  async get(id: string, actor: Actor): Promise<InspectionView> {
    const params: unknown[] = [id];
    const scope = placeScopeSql(actor, 'pl', (v) => (params.push(v), `$${params.length}`));
    const [row] = await this.rows(`i.id = $1 AND ${scope}`, params);
    if (!row) throw new PlaceError('not_found', `no inspection ${id} / 无此检查记录`);
    return viewOf(row);
  }

  /** Inspections of places the actor sees, newest first: of one place, or the actor's own. */
  async list(filter: { placeId?: string; mine?: boolean; limit?: number }, actor: Actor): Promise<InspectionView[]> {
    const params: unknown[] = [];
    const param = (v: unknown) => (params.push(v), `$${params.length}`);
    const where = [placeScopeSql(actor, 'pl', param)];
    if (filter.placeId) where.push(`i.place_id = ${param(filter.placeId)}`);
    if (filter.mine) where.push(`i.inspector_id = ${param(actor.id)}`);
    const rows = await this.rows(`${where.join(' AND ')} ORDER BY i.created_at DESC, i.id LIMIT ${Math.min(filter.limit ?? 50, 200)}`, params);
    return rows.map(viewOf);
  }

  /** Reports each failed item (once: under its own key) and links its case to the place and the inspection. */
  private async openCases(
    inspectionId: string,
    place: { id: string; name: string; kind: PlaceKind; lng: number; lat: number },
    checklist: ChecklistView,
    results: readonly ItemResult[],
    actor: Actor,
  ): Promise<void> {
    // Road chiefs handle cases and do not report them: what a chief's inspection finds is reported in the system's name.
    const reporter: Actor = actor.role === 'chief' ? { ...SYSTEM_ACTOR, name: `${actor.name} (巡查 / inspection)` } : actor;
    for (const r of results.filter((x) => !x.passed)) {
      const item = checklist.items.find((i) => i.code === r.code)!;
      const body = { inspectionId, code: r.code };
      const key: IdempotencyRequest = {
        scope: `inspection:${inspectionId}`,
        key: r.code,
        hash: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
      };
      const description = `${place.name}：${checklist.name}「${item.text}」不合格${r.note ? `。${r.note}` : ''} / failed inspection item: ${item.textEn ?? item.code}`;
      const answer = await this.reports.report(
        { categoryCode: item.categoryCode, description: description.slice(0, 2000), location: { lng: place.lng, lat: place.lat }, address: place.name, mediaIds: r.mediaIds, channel: 'inspection' },
        reporter,
        'warden',
        key,
      );
      await this.db.query(LINK_CASE_SQL, [answer.body.id, place.id, inspectionId, r.code]);
    }
  }

  private rows(where: string, params: unknown[]): Promise<InspectionRow[]> {
    return this.db.query(`${INSPECTION_SELECT_SQL} WHERE ${where}`, params);
  }
}

/** The results checked against the checklist: every item once, none unknown, photos where a failed item needs them. */
export function checkResults(results: readonly ItemResult[], checklist: ChecklistView): ItemResult[] {
  const items = new Map(checklist.items.map((i) => [i.code, i]));
  const seen = new Set<string>();
  for (const [n, r] of results.entries()) {
    const item = items.get(r.code);
    if (!item) throw PlaceError.badInput(`results[${n}].code`, `${r.code} is not an item of checklist ${checklist.name} v${checklist.version}`);
    if (seen.has(r.code)) throw PlaceError.badInput(`results[${n}].code`, `${r.code} appears twice`);
    seen.add(r.code);
    if (!r.passed && item.photoRequired && (r.mediaIds ?? []).length === 0) {
      throw PlaceError.badInput(`results[${n}].mediaIds`, `item ${r.code} failed and needs a photo (POST /api/v1/media first)`);
    }
  }
  const missing = checklist.items.filter((i) => !seen.has(i.code));
  if (missing.length > 0) throw PlaceError.badInput('results', `every item needs a result; missing: ${missing.map((i) => i.code).join(', ')}`);
  // In the checklist's order, as stored.
  return checklist.items.map((i) => {
    const r = results.find((x) => x.code === i.code)!;
    return { code: r.code, passed: r.passed, ...(r.note ? { note: r.note } : {}), ...(r.mediaIds?.length ? { mediaIds: r.mediaIds } : {}) };
  });
}

function viewOf(r: InspectionRow): InspectionView {
  return {
    id: r.id,
    place: { id: r.place_id, name: r.place_name, kind: r.place_kind as PlaceKind },
    checklist: { id: r.checklist_id, name: r.checklist_name, version: r.checklist_version },
    planId: r.plan_id,
    inspector: { id: r.inspector_id, name: r.inspector_name },
    location: { lng: r.lng, lat: r.lat },
    distanceM: Number(r.distance_m),
    offSite: r.off_site,
    results: (r.results as ItemResult[]).map((x) => ({ ...x, caseId: r.cases[x.code] ?? null })),
    failed: r.failed,
    createdAt: r.created_at.toISOString(),
  };
}
