import { describe, expect, it } from 'vitest';
import type { ChiefCandidate, RoutingCandidates } from './assignee-rule';
import { escalationTarget } from './escalation-rule';

const chief = (id: number, level: 1 | 2 | 3, available = true, deputy: ChiefCandidate['deputy'] = null): ChiefCandidate => ({
  id,
  name: `c${id}`,
  level,
  available,
  deputy,
});
const onRoad = { segment: { id: 1, seq: 1, roadId: 1, roadName: '文治路', distanceM: 5 }, street: { code: '410104001', name: 'S' } };
const offRoad = { segment: null, street: { code: '410104001', name: 'S' } };
const all: RoutingCandidates = {
  segmentChief: chief(30, 3),
  roadChiefs: { 3: chief(31, 3), 2: chief(20, 2), 1: chief(10, 1) },
  communityChief: chief(32, 3),
  streetChief: chief(21, 2),
};

describe('escalationTarget', () => {
  it.each([
    { name: 'road, level 3 → the road level-2 chief', place: onRoad, level: 3 as const, holding: [30], want: 20 },
    { name: 'road, level 2 → the road level-1 chief', place: onRoad, level: 2 as const, holding: [30, 20], want: 10 },
    { name: 'road, level 1 → nobody above', place: onRoad, level: 1 as const, holding: [30, 20, 10], want: null },
    { name: 'off road, level 3 → the street chief', place: offRoad, level: 3 as const, holding: [32], want: 21 },
    { name: 'off road, level 2 → nobody above', place: offRoad, level: 2 as const, holding: [32, 21], want: null },
  ])('$name', ({ place, level, holding, want }) => {
    expect(escalationTarget(place, all, level, new Set(holding)).chief?.id ?? null).toBe(want);
  });

  it('an unavailable level-2 chief passes to their deputy, else to level 1', () => {
    const withDeputy = { ...all, roadChiefs: { ...all.roadChiefs, 2: chief(20, 2, false, { id: 22, name: 'd22', level: 2, available: true }) } };
    const d = escalationTarget(onRoad, withDeputy, 3, new Set([30]));
    expect(d.chief).toEqual({ id: 22, name: 'd22', level: 2, asDeputyOf: 20 });
    expect(d.reason).toMatch(/deputy d22/);
    const noDeputy = { ...all, roadChiefs: { ...all.roadChiefs, 2: chief(20, 2, false) } };
    expect(escalationTarget(onRoad, noDeputy, 3, new Set([30])).chief?.id).toBe(10);
  });

  it('a chief who already holds the case is skipped', () => {
    expect(escalationTarget(onRoad, all, 3, new Set([30, 20])).chief?.id).toBe(10);
  });

  it('gives the reason in English and Chinese', () => {
    const d = escalationTarget(onRoad, all, 3, new Set([30]));
    expect(d.reason).toBe('limit missed at level 3 → level-2 chief c20');
    expect(d.reasonZh).toContain('升级至街道路长 c20');
  });
});
