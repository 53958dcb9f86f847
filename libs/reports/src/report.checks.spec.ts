import { describe, expect, it } from 'vitest';
import type { Place } from '@wangge/geo';
import { ANONYMOUS_CITIZEN, CaseError, type Actor, type CheckRow } from '@wangge/workflow';
import { registersItself } from '@wangge/workflow';
import { checkReport, duplicateInBatch, reporterRefusal, storedAnswer, type ReportRules, type ReportToCheck } from './report.checks';

const RULES: ReportRules = { duplicate: { radiusM: 50, windowH: 24 }, autoRegisterSources: ['warden'] };

const PLACE: Place = {
  gridCell: { code: '410104001001001' },
  street: { code: '410104001', name: '街道' },
  community: { code: '410104001001', name: '社区' },
  road: null,
  distanceM: null,
};

const CHECK: CheckRow = {
  n: 1,
  code: 'E0101',
  kind: 'event',
  name: '暴露垃圾',
  name_en: 'Exposed garbage',
  auto_register: true,
  active: true,
  standard_id: 7,
  duplicate: null,
  request_hash: null,
  status_code: null,
  response: null,
  stored_code: null,
  stored_seqs: null,
};

const POINT = { lng: 113.68, lat: 34.74 };

function report(over: Partial<ReportToCheck> = {}): ReportToCheck {
  return {
    input: { categoryCode: 'E0101', description: 'garbage', location: POINT },
    source: 'warden',
    check: CHECK,
    place: PLACE,
    point: POINT,
    earlier: [],
    ...over,
  };
}

/** The code and field of the CaseError `f` throws. */
function refusal(f: () => unknown): [string, string | undefined] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CaseError);
    return [(e as CaseError).code, (e as CaseError).field];
  }
  throw new Error('accepted');
}

describe('the checks of a new report (pure)', () => {
  it('road chiefs do not report; everyone else may', () => {
    const chief: Actor = { ...ANONYMOUS_CITIZEN, id: 'u', role: 'chief', chiefId: 3, name: 'chief' };
    expect(reporterRefusal(chief)?.code).toBe('forbidden');
    expect(reporterRefusal(ANONYMOUS_CITIZEN)).toBeNull();
  });

  it('an Idempotency-Key answered before gives the stored answer; the same key for another request is refused', () => {
    const idem = { scope: 's', key: 'k', hash: 'h1' };
    const stored = { ...CHECK, request_hash: 'h1', status_code: 201, response: { id: 'case-1' } };
    expect(storedAnswer(idem, stored)).toEqual({ id: 'case-1' });
    expect(storedAnswer(undefined, stored)).toBeNull();
    expect(storedAnswer(idem, CHECK)).toBeNull();
    expect(refusal(() => storedAnswer({ ...idem, hash: 'h2' }, stored))).toEqual(['idempotency_key_reused', 'Idempotency-Key']);
  });

  it('refuses in the order a single report was always judged: category, condition, district', () => {
    expect(refusal(() => checkReport(report({ check: undefined, place: null }), RULES))).toEqual(['unknown_category', 'categoryCode']);
    expect(refusal(() => checkReport(report({ check: { ...CHECK, active: false } }), RULES))).toEqual(['unknown_category', 'categoryCode']);
    const noCondition = report({ check: { ...CHECK, standard_id: null }, place: null, input: { ...report().input, conditionNo: 3 } });
    expect(refusal(() => checkReport(noCondition, RULES))).toEqual(['bad_input', 'conditionNo']);
    expect(refusal(() => checkReport(report({ place: null }), RULES))).toEqual(['out_of_jurisdiction', 'location']);
  });

  it('accepts with the category, the condition, the place, and registers a warden report of an auto-registering category', () => {
    expect(checkReport(report(), RULES)).toEqual({
      category: { code: 'E0101', kind: 'event', name: '暴露垃圾', name_en: 'Exposed garbage', auto_register: true, active: true },
      standardId: 7,
      point: POINT,
      place: PLACE,
      duplicate: null,
      registers: true,
    });
    expect(checkReport(report({ source: 'citizen' }), RULES).registers).toBe(false);
  });

  it('a possible duplicate (in the database or earlier in the batch) does not register itself', () => {
    expect(checkReport(report({ check: { ...CHECK, duplicate: 'old' } }), RULES)).toMatchObject({ duplicate: 'old', registers: false });
    const earlier = [{ id: 'first', category: { code: 'E0101' }, point: { lng: 113.68001, lat: 34.74 } }];
    expect(checkReport(report({ earlier }), RULES)).toMatchObject({ duplicate: 'first', registers: false });
  });

  it('duplicates in a batch: the nearest of the same category within the radius; none when the search is off', () => {
    const near = { id: 'near', category: { code: 'E0101' }, point: { lng: 113.6801, lat: 34.74 } }; // ~9 m
    const nearer = { id: 'nearer', category: { code: 'E0101' }, point: { lng: 113.68002, lat: 34.74 } }; // ~2 m
    const other = { id: 'other', category: { code: 'E0202' }, point: POINT };
    const far = { id: 'far', category: { code: 'E0101' }, point: { lng: 113.69, lat: 34.74 } }; // ~900 m
    expect(duplicateInBatch('E0101', POINT, [near, nearer, other, far], RULES.duplicate)).toBe('nearer');
    expect(duplicateInBatch('E0101', POINT, [other, far], RULES.duplicate)).toBeNull();
    expect(duplicateInBatch('E0101', POINT, [nearer], { radiusM: 0, windowH: 24 })).toBeNull();
    expect(duplicateInBatch('E0101', POINT, [nearer], { radiusM: 50, windowH: 0 })).toBeNull();
  });

  it('registers itself only from a configured source, when the category allows, a condition matches and it is no duplicate', () => {
    const yes = { source: 'warden' as const, categoryAllows: true, hasCondition: true, duplicate: null };
    expect(registersItself(yes, RULES)).toBe(true);
    expect(registersItself({ ...yes, source: 'hotline' }, RULES)).toBe(false);
    expect(registersItself({ ...yes, categoryAllows: false }, RULES)).toBe(false);
    expect(registersItself({ ...yes, hasCondition: false }, RULES)).toBe(false);
    expect(registersItself({ ...yes, duplicate: 'x' }, RULES)).toBe(false);
  });

  it('registers a leader’s own case (批示件) at once, whatever the category and the configured sources', () => {
    expect(registersItself({ source: 'leader', categoryAllows: false, hasCondition: false, duplicate: 'x' }, { autoRegisterSources: [] })).toBe(true);
  });
});

describe('a report located by its address only (Open311 address_string / address_id)', () => {
  const byAddress = (input: Partial<ReportToCheck['input']>, over: Partial<ReportToCheck> = {}) =>
    report({ input: { categoryCode: 'E0101', description: 'garbage', ...input }, point: null, place: null, ...over });

  it('is accepted with no place, no duplicate search and never registers itself, even from a source that would', () => {
    const accepted = checkReport(byAddress({ address: '金水路 12 号' }, { check: { ...CHECK, duplicate: null } }), RULES);
    expect(accepted).toMatchObject({ point: null, place: null, duplicate: null, registers: false, standardId: 7 });
    expect(checkReport(byAddress({ addressId: 'ADDR-1' }), RULES).registers).toBe(false);
  });

  it('needs an address when it has no location (bad_input naming location)', () => {
    expect(refusal(() => checkReport(byAddress({}), RULES))).toEqual(['bad_input', 'location']);
  });

  it('still checks its category first', () => {
    expect(refusal(() => checkReport(byAddress({ address: 'x' }, { check: { ...CHECK, code: null } }), RULES))[0]).toBe('unknown_category');
  });

  it('is never the earlier report that a located report of the batch duplicates', () => {
    expect(duplicateInBatch('E0101', POINT, [{ id: 'a', category: { code: 'E0101' }, point: null }], RULES.duplicate)).toBeNull();
  });
});
