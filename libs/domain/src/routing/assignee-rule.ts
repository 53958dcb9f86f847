import { CHIEF_TITLES, type ChiefLevel } from '../network/chief-level';

/** A chief as routing sees them. */
export interface ChiefCandidate {
  id: number;
  name: string;
  level: ChiefLevel;
  available: boolean;
  deputy: Omit<ChiefCandidate, 'deputy'> | null;
}

/** Where a point fell: its cell, and the nearest road segment within the routing radius, if any. */
export interface RoutingPlace {
  community: { code: string; name: string };
  street: { code: string; name: string };
  segment: { id: number; seq: number; roadId: number; roadName: string; distanceM: number } | null;
  radiusM: number;
}

/** The chiefs bound to the place, by scope. */
export interface RoutingCandidates {
  segmentChief: ChiefCandidate | null;
  roadChiefs: Partial<Record<ChiefLevel, ChiefCandidate>>;
  communityChief: ChiefCandidate | null;
  streetChief: ChiefCandidate | null;
}

export interface RoutingDecision {
  assignee: { id: number; name: string; level: ChiefLevel; asDeputyOf: number | null } | null;
  /** The reason in words, e.g. `road 文治路 segment 3 at 12 m → level-3 chief 张三`. */
  reason: string;
  reasonZh: string;
}

interface Step {
  chief: ChiefCandidate | null | undefined;
  en: string;
  zh: string;
}

/**
 * The routing rule of domain.md section 3, as a pure function: on a road, the segment's level-3
 * chief, else the road's level-3, level-2, level-1 chief; off road, the community's chief, else the
 * street's. An unavailable chief is replaced by their deputy when the deputy is available, else the
 * next step is tried. Deterministic for the same input.
 */
export function chooseAssignee(place: RoutingPlace, candidates: RoutingCandidates): RoutingDecision {
  let steps: Step[];
  let en: string;
  let zh: string;
  if (place.segment) {
    const s = place.segment;
    const distance = Math.round(s.distanceM);
    en = `road ${s.roadName} segment ${s.seq} at ${distance} m`;
    zh = `${s.roadName} 第${s.seq}路段 距离${distance}米`;
    steps = [
      { chief: candidates.segmentChief, en: 'segment', zh: '路段' },
      { chief: candidates.roadChiefs[3], en: 'road', zh: '道路' },
      { chief: candidates.roadChiefs[2], en: 'road', zh: '道路' },
      { chief: candidates.roadChiefs[1], en: 'road', zh: '道路' },
    ];
  } else {
    en = `no road within ${place.radiusM} m → community ${place.community.name}`;
    zh = `${place.radiusM}米内无道路 → ${place.community.name}`;
    steps = [
      { chief: candidates.communityChief, en: 'community', zh: '社区' },
      { chief: candidates.streetChief, en: `street ${place.street.name}`, zh: place.street.name },
    ];
  }

  const skipped: { en: string[]; zh: string[] } = { en: [], zh: [] };
  for (const step of steps) {
    const chief = step.chief;
    if (!chief) continue;
    const title = CHIEF_TITLES[chief.level];
    if (chief.available) {
      return decide(chief, null, `${en}${joinSkipped(skipped.en)} → level-${chief.level} chief ${chief.name}`,
        `${zh}${joinSkipped(skipped.zh)} → ${title.zh} ${chief.name}`);
    }
    if (chief.deputy?.available) {
      const d = chief.deputy;
      return decide(d, chief.id,
        `${en}${joinSkipped(skipped.en)} → level-${chief.level} chief ${chief.name} unavailable → deputy ${d.name} (level ${d.level})`,
        `${zh}${joinSkipped(skipped.zh)} → ${title.zh} ${chief.name} 不在岗 → 代理人 ${d.name}`);
    }
    skipped.en.push(`level-${chief.level} chief ${chief.name} unavailable`);
    skipped.zh.push(`${title.zh} ${chief.name} 不在岗`);
  }
  return {
    assignee: null,
    reason: `${en}${joinSkipped(skipped.en)} → no available chief; an operator dispatches by hand`,
    reasonZh: `${zh}${joinSkipped(skipped.zh)} → 无在岗路长，由受理员人工派遣`,
  };
}

function joinSkipped(parts: string[]): string {
  return parts.map((p) => ` → ${p}`).join('');
}

function decide(chief: Omit<ChiefCandidate, 'deputy'>, asDeputyOf: number | null, reason: string, reasonZh: string): RoutingDecision {
  return { assignee: { id: chief.id, name: chief.name, level: chief.level, asDeputyOf }, reason, reasonZh };
}
