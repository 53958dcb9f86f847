import { CHIEF_TITLES, type ChiefLevel } from '../network/chief-level';
import type { ChiefCandidate, RoutingCandidates, RoutingPlace } from './assignee-rule';

export interface EscalationDecision {
  chief: { id: number; name: string; level: ChiefLevel; asDeputyOf: number | null } | null;
  reason: string;
  reasonZh: string;
}

/**
 * Who a missed limit goes to (domain.md 2, 3): the next chief level up from the level now
 * responsible — on a road the road's level-2 then level-1 chief, off road the street's chief. An
 * unavailable chief passes to their deputy, else further up. Chiefs already holding the case are
 * skipped. Pure and deterministic.
 */
export function escalationTarget(
  place: Pick<RoutingPlace, 'segment' | 'street'>,
  candidates: RoutingCandidates,
  currentLevel: ChiefLevel,
  holding: ReadonlySet<number>,
): EscalationDecision {
  const chain: (ChiefCandidate | null | undefined)[] = place.segment
    ? [candidates.roadChiefs[2], candidates.roadChiefs[1]]
    : [candidates.streetChief];
  for (const chief of chain) {
    if (!chief || chief.level >= currentLevel) continue;
    const title = CHIEF_TITLES[chief.level];
    if (chief.available && !holding.has(chief.id)) {
      return {
        chief: { id: chief.id, name: chief.name, level: chief.level, asDeputyOf: null },
        reason: `limit missed at level ${currentLevel} → level-${chief.level} chief ${chief.name}`,
        reasonZh: `超出时限（${currentLevel}级）→ 升级至${title.zh} ${chief.name}`,
      };
    }
    const d = chief.deputy;
    if (!chief.available && d && d.available && !holding.has(d.id)) {
      return {
        chief: { id: d.id, name: d.name, level: d.level, asDeputyOf: chief.id },
        reason: `limit missed at level ${currentLevel} → level-${chief.level} chief ${chief.name} unavailable → deputy ${d.name}`,
        reasonZh: `超出时限（${currentLevel}级）→ ${title.zh} ${chief.name} 不在岗 → 代理人 ${d.name}`,
      };
    }
  }
  return {
    chief: null,
    reason: `limit missed at level ${currentLevel}; no chief above to escalate to`,
    reasonZh: `超出时限（${currentLevel}级），已无上级路长可升级`,
  };
}
