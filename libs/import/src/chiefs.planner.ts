import { SCOPE_LEVELS, type ChiefLevel, type ChiefScopeKind, type Role } from '@wangge/domain';
import type { ChiefLine } from './chief-lines.parser';
import { issue, mention, type Issue } from './import-issue';

/** A user the lines name (as chief or deputy), as the database has them. */
export interface KnownUser {
  id: string;
  username: string;
  name: string;
  phone: string | null;
  role: Role;
  chief: { id: number; level: ChiefLevel; deputyId: number | null } | null;
}

export interface KnownRoad {
  id: number;
  ref: string;
  name: string;
}

export interface KnownSegment {
  id: number;
  ref: string;
  roadName: string;
}

/** What the database holds (after this import's cells and roads) for the scopes the lines name. */
export interface ChiefLookup {
  users: ReadonlyMap<string, KnownUser>;
  streets: ReadonlyMap<string, string>;
  communities: ReadonlyMap<string, string>;
  roadsByRef: ReadonlyMap<string, KnownRoad>;
  roadsByName: ReadonlyMap<string, KnownRoad[]>;
  segmentsByRef: ReadonlyMap<string, KnownSegment>;
  /** Scope key (see {@link scopeKey}) → username of the chief who holds it now. */
  holders: ReadonlyMap<string, string>;
}

/** One row of road_chief_scope to be. */
export interface ScopeTarget {
  kind: ChiefScopeKind;
  roadId: number | null;
  segmentId: number | null;
  communityCode: string | null;
  streetCode: string | null;
  /** In words, for messages: `road 文治路`, `segment 文治路#2 of 文治路`, `street 410104001 北下街街道`. */
  description: string;
}

export interface PlannedChief {
  username: string;
  name: string;
  phone: string | null;
  level: ChiefLevel;
  deputy: string | null;
  scopes: ScopeTarget[];
  /** The database user, when there is one. */
  user: KnownUser | null;
}

export interface ChiefPlan {
  chiefs: PlannedChief[];
  issues: Issue[];
}

const STREET_CODE = /^\d{9}$/;
const COMMUNITY_CODE = /^\d{12}$/;

/**
 * The key of the unique index a scope falls under: one chief per road and level, per segment,
 * per community, per street.
 */
export function scopeKey(t: Pick<ScopeTarget, 'kind' | 'roadId' | 'segmentId' | 'communityCode' | 'streetCode'>, level: ChiefLevel): string {
  switch (t.kind) {
    case 'road':
      return `road:${t.roadId}:${level}`;
    case 'segment':
      return `segment:${t.segmentId}`;
    case 'community':
      return `community:${t.communityCode}`;
    case 'street':
      return `street:${t.streetCode}`;
  }
}

/** What a `scope` value names: a street or community code, a roadId, a segmentId or a road name, in that order. */
export function resolveScope(scope: string, lookup: ChiefLookup): ScopeTarget | { problem: string } {
  const none = { roadId: null, segmentId: null, communityCode: null, streetCode: null };
  if (STREET_CODE.test(scope)) {
    const name = lookup.streets.get(scope);
    return name === undefined ? { problem: `unknown scope: no street ${scope}` } : { ...none, kind: 'street', streetCode: scope, description: `street ${scope} ${name}` };
  }
  if (COMMUNITY_CODE.test(scope)) {
    const name = lookup.communities.get(scope);
    return name === undefined
      ? { problem: `unknown scope: no community ${scope}` }
      : { ...none, kind: 'community', communityCode: scope, description: `community ${scope} ${name}` };
  }
  const road = lookup.roadsByRef.get(scope);
  if (road) return { ...none, kind: 'road', roadId: road.id, description: roadDescription(road) };
  const segment = lookup.segmentsByRef.get(scope);
  if (segment) return { ...none, kind: 'segment', segmentId: segment.id, description: `segment ${segment.ref} of ${segment.roadName}` };
  const named = lookup.roadsByName.get(scope) ?? [];
  if (named.length === 1) return { ...none, kind: 'road', roadId: named[0].id, description: roadDescription(named[0]) };
  if (named.length > 1) {
    return { problem: `scope "${scope}" names ${named.length} roads (roadId ${named.map((r) => r.ref).join(', ')}): use the roadId` };
  }
  return { problem: `unknown scope "${scope}": not a road name or roadId, a segmentId, a community code (12 digits) or a street code (9 digits)` };
}

function roadDescription(road: KnownRoad): string {
  return road.ref === road.name ? `road ${road.name}` : `road ${road.name} (${road.ref})`;
}

interface Group {
  first: ChiefLine;
  good: ChiefLine[];
  phone: string | null;
  deputy: string | null;
  scopes: { line: ChiefLine; target: ScopeTarget }[];
}

/**
 * Checks the chief lines of all files against the database: one level per chief, the same name,
 * phone and deputy on all of a chief's lines, scopes that exist and take that level, no scope
 * already held by another chief, users that are chiefs (or new), deputies that are chiefs of the
 * same level. A username on several lines is one chief with several scopes.
 */
export function planChiefs(all: ChiefLine[], lookup: ChiefLookup): ChiefPlan {
  const issues: Issue[] = [];
  const groups = new Map<string, Group>();
  const claims = new Map<string, ChiefLine>();

  for (const line of all) {
    const problems: string[] = [];
    const user = lookup.users.get(line.username) ?? null;
    if (user && user.role !== 'chief') problems.push(`user ${line.username} exists with role ${user.role}, not chief`);
    else if (user?.chief && user.chief.level !== line.level) {
      problems.push(`${line.username} is a level-${user.chief.level} chief already, the line says level ${line.level}`);
    }

    let group = groups.get(line.username);
    if (!group) {
      group = { first: line, good: [], phone: null, deputy: null, scopes: [] };
      groups.set(line.username, group);
    } else {
      const first = group.first;
      const where = mention(first, line);
      if (first.level !== line.level) problems.push(`level ${line.level} differs from level ${first.level} on ${where}: a chief has one level`);
      if (first.name !== line.name) problems.push(`name "${line.name}" differs from "${first.name}" on ${where}`);
      if (line.phone && group.phone && line.phone !== group.phone) problems.push(`phone ${line.phone} differs from ${group.phone} given before`);
      if (line.deputy && group.deputy && line.deputy !== group.deputy) problems.push(`deputy ${line.deputy} differs from ${group.deputy} given before`);
    }

    const target = resolveScope(line.scope, lookup);
    let key: string | null = null;
    if ('problem' in target) problems.push(target.problem);
    else {
      const allowed = SCOPE_LEVELS[target.kind];
      if (!allowed.includes(line.level)) {
        problems.push(`${target.description} takes a level-${allowed.join('/')} chief, not level ${line.level}`);
      } else {
        key = scopeKey(target, line.level);
        const holder = lookup.holders.get(key);
        const claim = claims.get(key);
        if (holder !== undefined && holder !== line.username) {
          problems.push(`${target.description} already has a level-${line.level} chief: ${holder}`);
        } else if (claim && claim.username !== line.username) {
          problems.push(`${target.description} is given to ${claim.username} on ${mention(claim, line)} already`);
        }
      }
    }

    if (problems.length > 0 || 'problem' in target || key === null) {
      issues.push(...problems.map((p) => issue(line, p)));
      continue;
    }
    group.good.push(line);
    group.phone ??= line.phone;
    group.deputy ??= line.deputy;
    if (!claims.has(key)) {
      claims.set(key, line);
      group.scopes.push({ line, target });
    }
  }

  // Deputies: chiefs of the same level, in the files (with a good line) or in the database. Dropping
  // a bad line may leave a chief with no line, making it unfit as a deputy: repeat until stable.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [username, group] of groups) {
      for (const line of [...group.good]) {
        if (!line.deputy) continue;
        const problem = deputyProblem(line.deputy, line.level, groups, lookup);
        if (problem) {
          issues.push(issue(line, problem));
          group.good = group.good.filter((l) => l !== line);
          changed = true;
        }
      }
      if (group.good.length === 0) groups.delete(username);
    }
  }

  const chiefs: PlannedChief[] = [...groups.values()].map((g) => {
    const first = g.good[0];
    return {
      username: first.username,
      name: first.name,
      phone: g.good.find((l) => l.phone)?.phone ?? null,
      level: first.level,
      deputy: g.good.find((l) => l.deputy)?.deputy ?? null,
      scopes: g.scopes.filter((s) => g.good.includes(s.line)).map((s) => s.target),
      user: lookup.users.get(first.username) ?? null,
    };
  });
  return { chiefs, issues };
}

function deputyProblem(deputy: string, level: ChiefLevel, groups: Map<string, Group>, lookup: ChiefLookup): string | null {
  const inFile = groups.get(deputy);
  if (inFile && inFile.good.length > 0) {
    const deputyLevel = inFile.good[0].level;
    return deputyLevel === level ? null : `deputy ${deputy} is a level-${deputyLevel} chief; a deputy has the same level (${level})`;
  }
  const user = lookup.users.get(deputy);
  if (!user?.chief || user.role !== 'chief') return `unknown deputy ${deputy}: not a chief in the files or the database`;
  return user.chief.level === level ? null : `deputy ${deputy} is a level-${user.chief.level} chief; a deputy has the same level (${level})`;
}
