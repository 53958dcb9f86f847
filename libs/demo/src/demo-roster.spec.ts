import { describe, expect, it } from 'vitest';
import { planRoster } from './demo-roster';
import { loadDivision } from '@wangge/import';
import { communityWeight, DEMO_FRAME, layOutDistrict } from './grid-layout';
import { planRoads } from './road-network';

describe('planRoster', () => {
  const { streets } = loadDivision('410104');
  const layout = layOutDistrict(DEMO_FRAME, streets.map((s) => ({ code: s.code, communities: s.communities.map((c) => ({ code: c.code, weight: communityWeight(c.code) })) })));
  const roads = planRoads(DEMO_FRAME);
  const roster = planRoster(streets, layout, roads);
  const chiefOf = new Map(roster.chiefs.map((c) => [c.username, c]));

  it('gives every person a unique ASCII username and a unique Chinese name', () => {
    expect(new Set(roster.people.map((p) => p.username)).size).toBe(roster.people.length);
    expect(new Set(roster.people.map((p) => p.name)).size).toBe(roster.people.length);
    for (const p of roster.people) expect(p.username).toMatch(/^[A-Za-z0-9_.@-]{2,64}$/);
    expect(roster.people.filter((p) => p.role === 'chief')).toHaveLength(roster.chiefs.length);
  });

  it('has a chief for every street (level 2) and every community (level 3)', () => {
    for (const street of streets) {
      const scopes = roster.scopes.filter((s) => s.kind === 'street' && s.streetCode === street.code);
      expect(scopes).toHaveLength(1);
      expect(chiefOf.get(scopes[0].chief)?.level).toBe(2);
      for (const community of street.communities) {
        const own = roster.scopes.filter((s) => s.kind === 'community' && s.communityCode === community.code);
        expect(own).toHaveLength(1);
        expect(chiefOf.get(own[0].chief)?.level).toBe(3);
      }
    }
  });

  it('gives every road one level-1 and one level-2 chief, and most segments their own level-3 chief', () => {
    for (const road of roads) {
      for (const level of [1, 2] as const) {
        const scopes = roster.scopes.filter((s) => s.kind === 'road' && s.roadRef === road.ref && s.level === level);
        expect(scopes).toHaveLength(1);
        expect(chiefOf.get(scopes[0].chief)?.level).toBe(level);
      }
    }
    const segments = roads.flatMap((r) => r.segments);
    const chiefed = new Set(roster.scopes.flatMap((s) => (s.kind === 'segment' ? [s.segmentRef] : [])));
    expect(chiefed.size).toBeGreaterThan(segments.length * 0.8);
    expect(chiefed.size).toBeLessThan(segments.length);
    const levelTwo = roster.scopes.filter((s) => s.kind === 'road' && s.level === 2).map((s) => s.chief);
    const perChief = [...new Set(levelTwo)].map((chief) => levelTwo.filter((c) => c === chief).length);
    expect(Math.max(...perChief)).toBeLessThanOrEqual(3);
    expect(perChief.some((n) => n > 1)).toBe(true);
    const leaders = new Set(roster.scopes.filter((s) => s.kind === 'road' && s.level === 1).map((s) => s.chief));
    expect(leaders.size).toBeGreaterThanOrEqual(3);
    expect(leaders.size).toBeLessThan(roads.length);
  });

  it('binds a segment to the chief of the community beside it', () => {
    const road = roads[3];
    const segment = road.segments[2];
    const scope = roster.scopes.find((s) => s.kind === 'segment' && s.segmentRef === segment.ref);
    const community = layout.communityAt(segment.besideCell.col, segment.besideCell.row).code;
    const communityScope = roster.scopes.find((s) => s.kind === 'community' && s.communityCode === community);
    expect(scope?.chief).toBe(communityScope?.chief);
  });

  it('names a deputy of the same level for some chiefs', () => {
    const withDeputy = roster.chiefs.filter((c) => c.deputy !== null);
    expect(withDeputy.length).toBeGreaterThan(10);
    expect(withDeputy.length).toBeLessThan(roster.chiefs.length / 2);
    for (const c of withDeputy) {
      expect(c.deputy).not.toBe(c.username);
      expect(chiefOf.get(c.deputy ?? '')?.level).toBe(c.level);
    }
    for (const level of [1, 2, 3]) expect(withDeputy.some((c) => c.level === level)).toBe(true);
  });

  it('makes chief1, chief2 and chief3 the level-1, level-2 and a segment chief of 文治路', () => {
    const road = roads.find((r) => r.name === '文治路');
    expect(road).toBeDefined();
    const ref = road?.ref;
    expect(roster.scopes).toContainEqual({ chief: 'chief1', kind: 'road', level: 1, roadRef: ref });
    expect(roster.scopes).toContainEqual({ chief: 'chief2', kind: 'road', level: 2, roadRef: ref });
    const segmentRefs = new Set(road?.segments.map((s) => s.ref));
    expect(roster.scopes.some((s) => s.chief === 'chief3' && s.kind === 'segment' && segmentRefs.has(s.segmentRef))).toBe(true);
    expect(chiefOf.get('chief1')?.level).toBe(1);
    expect(chiefOf.get('chief2')?.level).toBe(2);
    expect(chiefOf.get('chief3')?.level).toBe(3);
  });

  it('has the fixed demo logins, and warden1..warden14 on the first community of each street', () => {
    expect(roster.logins.slice(0, 6)).toEqual(['admin', 'operator', 'leader', 'chief1', 'chief2', 'chief3']);
    streets.forEach((street, i) => {
      const w = roster.wardens[i];
      expect(w).toMatchObject({ username: `warden${i + 1}`, communityCode: street.communities[0].code, part: 1 });
      expect(roster.people.find((p) => p.username === w.username)).toMatchObject({ role: 'warden', streetCode: street.code });
    });
    const roles = new Map(roster.people.map((p) => [p.username, p.role]));
    expect([roles.get('admin'), roles.get('operator'), roles.get('leader')]).toEqual(['admin', 'operator', 'leader']);
    for (const login of roster.logins) expect(roles.has(login)).toBe(true);
  });

  it('watches every cell: each community cut into runs of at most 200 cells, one warden each', () => {
    const cells = new Map(layout.communities.map((b) => [b.code, b.rect.columns * b.rect.rows]));
    const byCommunity = new Map<string, number[]>();
    for (const w of roster.wardens) byCommunity.set(w.communityCode, [...(byCommunity.get(w.communityCode) ?? []), w.part]);
    expect(byCommunity.size).toBe(cells.size);
    for (const [code, parts] of byCommunity) {
      const n = cells.get(code) ?? 0;
      expect(parts.sort((a, b) => a - b)).toEqual(Array.from({ length: Math.ceil(n / 200) }, (_, i) => i + 1));
      expect(n / parts.length).toBeLessThanOrEqual(200);
    }
    expect(roster.wardens.map((w) => w.username)).toEqual(roster.wardens.map((_, i) => `warden${i + 1}`));
    expect(roster.wardens.length).toBeGreaterThan(150);
  });

  it('staffs the command centre: 受理员 and 派遣员 as operators, 值班长 as leaders', () => {
    expect(roster.posts.map((p) => [p.username, p.role, p.post.zh])).toEqual([
      ['shouli1', 'operator', '受理员'],
      ['shouli2', 'operator', '受理员'],
      ['paiqian1', 'operator', '派遣员'],
      ['paiqian2', 'operator', '派遣员'],
      ['zhiban1', 'leader', '值班长'],
      ['zhiban2', 'leader', '值班长'],
    ]);
    for (const p of roster.posts) {
      expect(roster.people.find((x) => x.username === p.username)).toMatchObject({ role: p.role, streetCode: null });
      expect(roster.logins).toContain(p.username);
    }
  });
});
