import { describe, expect, it } from 'vitest';
import { chooseAssignee, type ChiefCandidate, type RoutingCandidates, type RoutingPlace } from './assignee-rule';

const chief = (id: number, name: string, level: 1 | 2 | 3, available = true, deputy: ChiefCandidate['deputy'] = null): ChiefCandidate => ({
  id, name, level, available, deputy,
});

const onRoad: RoutingPlace = {
  community: { code: '410104001001', name: '新华社区' },
  street: { code: '410104001', name: '北下街街道' },
  segment: { id: 7, seq: 3, roadId: 2, roadName: '文治路', distanceM: 12.4 },
  radiusM: 30,
};
const offRoad: RoutingPlace = { ...onRoad, segment: null };
const none: RoutingCandidates = { segmentChief: null, roadChiefs: {}, communityChief: null, streetChief: null };

describe('chooseAssignee (domain.md section 3)', () => {
  const table: { name: string; place: RoutingPlace; candidates: RoutingCandidates; id: number | null; reason: string }[] = [
    {
      name: 'on a road: the segment chief',
      place: onRoad,
      candidates: { ...none, segmentChief: chief(30, '张三', 3), roadChiefs: { 2: chief(20, '李四', 2), 1: chief(10, '王五', 1) } },
      id: 30,
      reason: 'road 文治路 segment 3 at 12 m → level-3 chief 张三',
    },
    {
      name: 'on a road without a segment chief: the road level-3 chief',
      place: onRoad,
      candidates: { ...none, roadChiefs: { 3: chief(31, '赵六', 3), 2: chief(20, '李四', 2) } },
      id: 31,
      reason: 'road 文治路 segment 3 at 12 m → level-3 chief 赵六',
    },
    {
      name: 'on a road with only levels 2 and 1: level 2',
      place: onRoad,
      candidates: { ...none, roadChiefs: { 2: chief(20, '李四', 2), 1: chief(10, '王五', 1) }, communityChief: chief(40, '社区长', 3) },
      id: 20,
      reason: 'road 文治路 segment 3 at 12 m → level-2 chief 李四',
    },
    {
      name: 'unavailable segment chief with an available deputy: the deputy',
      place: onRoad,
      candidates: { ...none, segmentChief: chief(30, '张三', 3, false, { id: 33, name: '孙七', level: 3, available: true }), roadChiefs: { 2: chief(20, '李四', 2) } },
      id: 33,
      reason: 'road 文治路 segment 3 at 12 m → level-3 chief 张三 unavailable → deputy 孙七 (level 3)',
    },
    {
      name: 'unavailable chief whose deputy is away too: the next level up',
      place: onRoad,
      candidates: { ...none, segmentChief: chief(30, '张三', 3, false, { id: 33, name: '孙七', level: 3, available: false }), roadChiefs: { 2: chief(20, '李四', 2) } },
      id: 20,
      reason: 'road 文治路 segment 3 at 12 m → level-3 chief 张三 unavailable → level-2 chief 李四',
    },
    {
      name: 'off road: the community chief',
      place: offRoad,
      candidates: { ...none, communityChief: chief(40, '周八', 3), streetChief: chief(50, '吴九', 2) },
      id: 40,
      reason: 'no road within 30 m → community 新华社区 → level-3 chief 周八',
    },
    {
      name: 'off road, community chief away without deputy: the street chief',
      place: offRoad,
      candidates: { ...none, communityChief: chief(40, '周八', 3, false), streetChief: chief(50, '吴九', 2) },
      id: 50,
      reason: 'no road within 30 m → community 新华社区 → level-3 chief 周八 unavailable → level-2 chief 吴九',
    },
    {
      name: 'off road, road chiefs are not asked',
      place: offRoad,
      candidates: { ...none, roadChiefs: { 1: chief(10, '王五', 1) } },
      id: null,
      reason: 'no road within 30 m → community 新华社区 → no available chief; an operator dispatches by hand',
    },
  ];

  it.each(table)('$name', ({ place, candidates, id, reason }) => {
    const decision = chooseAssignee(place, candidates);
    expect(decision.assignee?.id ?? null).toBe(id);
    expect(decision.reason).toBe(reason);
    expect(decision.reasonZh.length).toBeGreaterThan(0);
  });

  it('names the chief a deputy stands in for', () => {
    const d = chooseAssignee(onRoad, { ...none, segmentChief: chief(30, '张三', 3, false, { id: 33, name: '孙七', level: 3, available: true }) });
    expect(d.assignee).toEqual({ id: 33, name: '孙七', level: 3, asDeputyOf: 30 });
    expect(d.reasonZh).toContain('代理人 孙七');
  });

  it('is deterministic', () => {
    const c = { ...none, roadChiefs: { 2: chief(20, '李四', 2), 1: chief(10, '王五', 1) } };
    expect(chooseAssignee(onRoad, c)).toEqual(chooseAssignee(onRoad, c));
  });
});
