import type { ChiefLevel, Role } from '@wangge/domain';
import type { DivisionStreet } from '@wangge/import';
import type { DistrictLayout } from './grid-layout';
import { createNameGenerator } from './person-names';
import type { RoadPlan } from './road-network';

export interface DemoPerson {
  username: string;
  name: string;
  role: Role;
  streetCode: string | null;
}

export interface DemoChief {
  username: string;
  level: ChiefLevel;
  /** Username of the deputy (a chief of the same level), if any. */
  deputy: string | null;
}

export type DemoScope =
  | { chief: string; kind: 'road'; level: ChiefLevel; roadRef: string }
  | { chief: string; kind: 'segment'; level: 3; segmentRef: string }
  | { chief: string; kind: 'community'; level: 3; communityCode: string }
  | { chief: string; kind: 'street'; level: 2; streetCode: string };

export interface DemoWarden {
  username: string;
  /** The community whose cells the warden patrols. */
  communityCode: string;
  /** The community's cells in code order (north to south) are cut into `of` runs; the warden patrols run `part` (1-based). */
  part: number;
  of: number;
}

/** A command-centre post (指挥中心岗位): 受理员 and 派遣员 are operators, 值班长 a leader. */
export interface DemoPost {
  username: string;
  role: Extract<Role, 'operator' | 'leader'>;
  post: { zh: string; en: string };
}

export interface DemoRoster {
  people: DemoPerson[];
  chiefs: DemoChief[];
  scopes: DemoScope[];
  wardens: DemoWarden[];
  /** The command centre's posts, staffed. */
  posts: DemoPost[];
  /** The fixed demo logins, in the order they are shown. */
  logins: string[];
}

/** The road whose chiefs become the demo logins chief1, chief2 and chief3. */
export const DEMO_ROAD = '文治路';

/** Level-1 chiefs: district leaders (区级路长), who share the roads between them. */
export const DISTRICT_LEADERS = 6;

/** The most cells one warden patrols: a community with more has several wardens (one per 100 to 200 cells). */
export const CELLS_PER_WARDEN_MAX = 200;

/** The command centre's posts: two of each, for the two shifts. */
const POSTS: readonly { prefix: string; role: DemoPost['role']; zh: string; en: string }[] = [
  { prefix: 'shouli', role: 'operator', zh: '受理员', en: 'intake operator' },
  { prefix: 'paiqian', role: 'operator', zh: '派遣员', en: 'dispatch operator' },
  { prefix: 'zhiban', role: 'leader', zh: '值班长', en: 'shift leader' },
];
const SHIFTS = 2;

/** A segment with seq + road index divisible by this has no chief of its own (its road's level-2 chief answers). */
const UNCHIEFED_SEGMENT_EVERY = 8;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function lookup(map: ReadonlyMap<string, string>, key: string): string {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no chief planned for ${key}`);
  return value;
}

/**
 * The street whose chief is a road's level-2 chief: among the streets the road runs through, the
 * one holding the fewest roads so far, then the one the road runs longest in, then the lowest code.
 */
function levelTwoStreet(road: RoadPlan, layout: DistrictLayout, roadsPerStreet: ReadonlyMap<string, number>): string {
  const stretch = new Map<string, number>();
  for (const s of road.segments) {
    const street = layout.communityAt(s.besideCell.col, s.besideCell.row).streetCode;
    stretch.set(street, (stretch.get(street) ?? 0) + 1);
  }
  const [best] = [...stretch.entries()].sort(
    ([a, lengthA], [b, lengthB]) => (roadsPerStreet.get(a) ?? 0) - (roadsPerStreet.get(b) ?? 0) || lengthB - lengthA || a.localeCompare(b),
  );
  return best[0];
}

/**
 * Who is who in the demo district, all generated deterministically:
 * - admin, operator and leader;
 * - level 1: DISTRICT_LEADERS district leaders, bound to the roads in turn (every road has one);
 * - level 2: one chief per street (kind 'street'), who is also the level-2 chief of some of the
 *   roads running through the street (spread evenly over the streets);
 * - level 3: one chief per community (kind 'community'), who is also the chief of the road
 *   segments beside the community, except about one segment in eight;
 * - deputies: leaders in pairs, every other street chief, every fourth community chief;
 * - wardens over every cell: one per community, or several where a community has more than
 *   CELLS_PER_WARDEN_MAX cells (each patrols a run of its cells); warden1..warden14 are the wardens
 *   of each street's first community, the others follow in community order (warden15, ...);
 * - the command centre's posts: 受理员 (shouli1, 2) and 派遣员 (paiqian1, 2) as operators,
 *   值班长 (zhiban1, 2) as leaders.
 * chief1, chief2 and chief3 are the level-1, level-2 and a level-3 segment chief of 文治路.
 */
export function planRoster(streets: readonly DivisionStreet[], layout: DistrictLayout, roads: readonly RoadPlan[]): DemoRoster {
  const nextName = createNameGenerator();
  const people: DemoPerson[] = [
    { username: 'admin', name: '系统管理员', role: 'admin', streetCode: null },
    { username: 'operator', name: nextName(), role: 'operator', streetCode: null },
    { username: 'leader', name: nextName(), role: 'leader', streetCode: null },
  ];
  const chiefs: DemoChief[] = [];
  const scopes: DemoScope[] = [];

  const leaders = Array.from({ length: DISTRICT_LEADERS }, (_, i) => `chief-l1-${pad(i + 1, 2)}`);
  leaders.forEach((username, i) => {
    people.push({ username, name: nextName(), role: 'chief', streetCode: null });
    chiefs.push({ username, level: 1, deputy: leaders[i % 2 === 0 ? i + 1 : i - 1] ?? null });
  });

  const streetChief = new Map<string, string>();
  streets.forEach((street, i) => {
    const username = `chief-l2-${pad(i + 1, 2)}`;
    streetChief.set(street.code, username);
    people.push({ username, name: nextName(), role: 'chief', streetCode: street.code });
    scopes.push({ chief: username, kind: 'street', level: 2, streetCode: street.code });
  });
  streets.forEach((street, i) => {
    const deputy = i % 2 === 0 ? streets[i + 1] : undefined;
    chiefs.push({ username: lookup(streetChief, street.code), level: 2, deputy: deputy ? lookup(streetChief, deputy.code) : null });
  });

  const communityChief = new Map<string, string>();
  let communityIndex = 0;
  for (const street of streets) {
    street.communities.forEach((community, k) => {
      const username = `chief-l3-${pad(++communityIndex, 4)}`;
      communityChief.set(community.code, username);
      people.push({ username, name: nextName(), role: 'chief', streetCode: street.code });
      const deputy = k % 4 === 3 ? lookup(communityChief, street.communities[k - 1].code) : null;
      chiefs.push({ username, level: 3, deputy });
      scopes.push({ chief: username, kind: 'community', level: 3, communityCode: community.code });
    });
  }

  const roadsPerStreet = new Map<string, number>();
  roads.forEach((road, r) => {
    scopes.push({ chief: leaders[r % leaders.length], kind: 'road', level: 1, roadRef: road.ref });
    const street = levelTwoStreet(road, layout, roadsPerStreet);
    roadsPerStreet.set(street, (roadsPerStreet.get(street) ?? 0) + 1);
    scopes.push({ chief: lookup(streetChief, street), kind: 'road', level: 2, roadRef: road.ref });
    for (const segment of road.segments) {
      if ((segment.seq + r) % UNCHIEFED_SEGMENT_EVERY === 0) continue;
      const community = layout.communityAt(segment.besideCell.col, segment.besideCell.row).code;
      scopes.push({ chief: lookup(communityChief, community), kind: 'segment', level: 3, segmentRef: segment.ref });
    }
  });

  const wardens = planWardens(streets, layout);
  for (const w of wardens) people.push({ username: w.username, name: nextName(), role: 'warden', streetCode: w.communityCode.slice(0, 9) });
  const posts: DemoPost[] = POSTS.flatMap((p) =>
    Array.from({ length: SHIFTS }, (_, i) => ({ username: `${p.prefix}${i + 1}`, role: p.role, post: { zh: p.zh, en: p.en } })),
  );
  for (const p of posts) people.push({ username: p.username, name: nextName(), role: p.role, streetCode: null });

  // The demo logins chief1..3: the chiefs of 文治路 at each level.
  const demoRoad = roads.find((r) => r.name === DEMO_ROAD);
  if (!demoRoad) throw new Error(`the road network has no ${DEMO_ROAD}`);
  const roadChief = (level: ChiefLevel) => scopes.find((s) => s.kind === 'road' && s.level === level && s.roadRef === demoRoad.ref)?.chief;
  const segmentRefs = new Set(demoRoad.segments.map((s) => s.ref));
  const segmentChief = scopes.find((s) => s.kind === 'segment' && segmentRefs.has(s.segmentRef))?.chief;
  const renames = new Map<string, string>();
  for (const [from, to] of [[roadChief(1), 'chief1'], [roadChief(2), 'chief2'], [segmentChief, 'chief3']] as const) {
    if (!from) throw new Error(`${DEMO_ROAD} lacks the chief that becomes ${to}`);
    renames.set(from, to);
  }
  const rename = (username: string) => renames.get(username) ?? username;
  return {
    people: people.map((p) => ({ ...p, username: rename(p.username) })),
    chiefs: chiefs.map((c) => ({ ...c, username: rename(c.username), deputy: c.deputy === null ? null : rename(c.deputy) })),
    scopes: scopes.map((s) => ({ ...s, chief: rename(s.chief) })),
    wardens,
    posts,
    logins: ['admin', 'operator', 'leader', 'chief1', 'chief2', 'chief3', ...posts.map((p) => p.username), ...wardens.map((w) => w.username)],
  };
}

/**
 * Wardens over every cell: ceil(cells / CELLS_PER_WARDEN_MAX) per community. The first warden of
 * each street's first community is warden1..warden14 (in street order); the rest are numbered on
 * from there in street and community order.
 */
function planWardens(streets: readonly DivisionStreet[], layout: DistrictLayout): DemoWarden[] {
  const cells = new Map(layout.communities.map((b) => [b.code, b.rect.columns * b.rect.rows]));
  const all: Omit<DemoWarden, 'username'>[] = streets.flatMap((street) =>
    street.communities.flatMap((community) => {
      const of = Math.max(1, Math.ceil((cells.get(community.code) ?? 0) / CELLS_PER_WARDEN_MAX));
      return Array.from({ length: of }, (_, i) => ({ communityCode: community.code, part: i + 1, of }));
    }),
  );
  const firsts = new Set(streets.map((s) => s.communities[0].code));
  const isFirst = (w: Omit<DemoWarden, 'username'>) => firsts.has(w.communityCode) && w.part === 1;
  const ordered = [...all.filter(isFirst), ...all.filter((w) => !isFirst(w))];
  return ordered.map((w, i) => ({ username: `warden${i + 1}`, ...w }));
}
