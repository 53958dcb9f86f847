/**
 * The checks of a new report, pure: who may report, an earlier answer under the same
 * Idempotency-Key, the category and its condition, the district, duplicates within a batch and
 * whether the report registers itself. The service feeds them what one statement read for the
 * whole batch (CheckRow) and the places found; each check throws the report's CaseError.
 */
import type { ReportSource } from '@wangge/domain';
import { metresBetween, type Place } from '@wangge/geo';
import { CaseError, registersItself, type Actor, type CaseView, type CheckRow } from '@wangge/workflow';
import type { AcceptedReport, CategoryRow, LngLat, ReportInput } from './report.types';
import type { IdempotencyRequest } from './idempotency';

/** How near (metres) and how recent (hours) a report of the same category is a possible duplicate; 0 turns the search off. */
export interface DuplicateRule {
  radiusM: number;
  windowH: number;
}

/** The configuration the checks read. */
export interface ReportRules {
  duplicate: DuplicateRule;
  /** Sources whose reports register themselves when the category allows and a condition matches. */
  autoRegisterSources: readonly string[];
}

/** A report accepted earlier in the same batch (not yet in the database for the duplicate search). */
export interface EarlierReport {
  id: string;
  category: { code: string };
  /** null: located by address only (never a duplicate of anything). */
  point: LngLat | null;
}

/** Road chiefs handle cases; they do not report them (a problem they find goes to a warden or the hotline). */
export function reporterRefusal(actor: Actor): CaseError | null {
  return actor.role === 'chief' ? new CaseError('forbidden', 'road chiefs handle cases; report as a warden, operator or citizen / 路长不能上报') : null;
}

/**
 * The stored first answer to an earlier request with this report's Idempotency-Key (null when
 * there is none); refuses a key that was used for a different request.
 */
export function storedAnswer(idempotency: IdempotencyRequest | undefined, check: CheckRow): CaseView | null {
  if (!idempotency || check.request_hash === null || check.status_code === null) return null;
  if (check.request_hash !== idempotency.hash) {
    throw new CaseError('idempotency_key_reused', 'this Idempotency-Key was used for a different request / 该幂等键已用于另一请求', 'Idempotency-Key');
  }
  return check.response as CaseView;
}

export interface ReportToCheck {
  input: ReportInput;
  source: ReportSource;
  /** What the batch's checks statement found for it (undefined: no row, an unknown category). */
  check: CheckRow | undefined;
  place: Place | null;
  /** null: located by address only. */
  point: LngLat | null;
  earlier: readonly EarlierReport[];
}

/** The report's own checks, in the order a single report was always judged; throws its refusal. */
export function checkReport(report: ReportToCheck, rules: ReportRules): AcceptedReport {
  const { input, source, check, place, point, earlier } = report;
  if (!check?.code || !check.active) {
    throw new CaseError('unknown_category', `no category ${input.categoryCode}: see GET /api/v1/categories / 无此类别`, 'categoryCode');
  }
  if (check.standard_id === null && input.conditionNo !== undefined) {
    throw new CaseError('bad_input', `category ${check.code} has no condition ${input.conditionNo} / 无此立案条件`, 'conditionNo');
  }
  if (point === null) {
    // Located by its address only: an operator places it; no duplicate search, never registered on arrival.
    const category: CategoryRow = { code: check.code, kind: check.kind, name: check.name, name_en: check.name_en, auto_register: check.auto_register, active: check.active };
    if (!input.address && !input.addressId) {
      throw new CaseError('bad_input', 'a report needs its location, or an address / 请提供位置或地址', 'location');
    }
    return { category, standardId: check.standard_id, point: null, place: null, duplicate: null, registers: false };
  }
  if (!place) {
    throw new CaseError('out_of_jurisdiction', `(${input.location?.lng}, ${input.location?.lat}) is outside the district / 该位置不在本区范围内`, 'location');
  }
  const category: CategoryRow = { code: check.code, kind: check.kind, name: check.name, name_en: check.name_en, auto_register: check.auto_register, active: check.active };
  // A case written earlier in this batch is not yet in the database for the duplicate search.
  const duplicate = check.duplicate ?? duplicateInBatch(category.code, point, earlier, rules.duplicate);
  const registers = registersItself({ source, categoryAllows: category.auto_register, hasCondition: check.standard_id !== null, duplicate }, rules);
  return { category, standardId: check.standard_id, point, place, duplicate, registers };
}

/** The nearest report of the same category accepted earlier in the batch within the duplicate radius. */
export function duplicateInBatch(categoryCode: string, point: LngLat, earlier: readonly EarlierReport[], rule: DuplicateRule): string | null {
  if (rule.radiusM === 0 || rule.windowH === 0) return null;
  let nearest: { id: string; metres: number } | null = null;
  for (const c of earlier) {
    if (c.category.code !== categoryCode || c.point === null) continue;
    const metres = metresBetween(c.point, point);
    if (metres <= rule.radiusM && (nearest === null || metres < nearest.metres)) nearest = { id: c.id, metres };
  }
  return nearest?.id ?? null;
}

