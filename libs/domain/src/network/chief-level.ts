/** 路长 levels: 1 = district leader (区级路长), 2 = street (街道路长), 3 = segment / community (路段长). */
export type ChiefLevel = 1 | 2 | 3;

export const CHIEF_LEVELS: readonly ChiefLevel[] = [1, 2, 3];

export const CHIEF_TITLES: Record<ChiefLevel, { zh: string; en: string }> = {
  1: { zh: '区级路长', en: 'district road chief' },
  2: { zh: '街道路长', en: 'street road chief' },
  3: { zh: '路段长', en: 'segment road chief' },
};

export function isChiefLevel(value: unknown): value is ChiefLevel {
  return value === 1 || value === 2 || value === 3;
}

/** What a chief is accountable for. */
export type ChiefScopeKind = 'road' | 'segment' | 'community' | 'street';

/** Levels allowed for each kind of scope (domain.md 4.6). */
export const SCOPE_LEVELS: Record<ChiefScopeKind, readonly ChiefLevel[]> = {
  road: [1, 2, 3],
  segment: [3],
  community: [3],
  street: [2],
};
