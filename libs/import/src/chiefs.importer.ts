import type { QueryRunner } from 'typeorm';
import type { ChiefLevel, ChiefScopeKind, Role } from '@wangge/domain';
import type { ChiefLine } from './chief-lines.parser';
import { planChiefs, scopeKey, type ChiefLookup, type KnownRoad, type KnownSegment, type KnownUser } from './chiefs.planner';
import type { Issue } from './import-issue';
import { asJson, rows } from './import-sql';
import type { ImportCounts } from './import.types';

export interface ChiefStage {
  counts: Omit<ImportCounts, 'skipped'>;
  issues: Issue[];
  usersCreated: number;
}

/**
 * Validates and merges the chiefs of all files, after the cells and roads of the same import, so
 * a line may name a road, segment, community or street the import itself creates. New users get
 * role chief and no password (they cannot log in until an admin sets one). Scopes are added,
 * never removed; a deputy is set when the file names one.
 */
export async function importChiefs(tx: QueryRunner, lines: ChiefLine[]): Promise<ChiefStage> {
  const stage: ChiefStage = { counts: { created: 0, updated: 0, unchanged: 0 }, issues: [], usersCreated: 0 };
  if (lines.length === 0) return stage;
  const plan = planChiefs(lines, await loadLookup(tx, lines));
  stage.issues.push(...plan.issues);
  const chiefs = plan.chiefs;
  if (chiefs.length === 0) return stage;

  const newUsers = chiefs.filter((c) => c.user === null).map((c) => ({ username: c.username, name: c.name, phone: c.phone }));
  if (newUsers.length > 0) {
    const created = await rows<{ username: string }>(
      tx,
      `INSERT INTO app_user (username, name, phone, role)
       SELECT x.username, x.name, x.phone, 'chief' FROM json_to_recordset($1::json) AS x(username text, name text, phone text)
       RETURNING username`,
      [asJson(newUsers)],
    );
    stage.usersCreated = created.length;
  }
  const changedUsers = await rows<{ username: string }>(
    tx,
    `UPDATE app_user u SET name = x.name, phone = coalesce(x.phone, u.phone), updated_at = now()
       FROM json_to_recordset($1::json) AS x(username text, name text, phone text)
      WHERE u.username = x.username AND (u.name <> x.name OR (x.phone IS NOT NULL AND u.phone IS DISTINCT FROM x.phone))
      RETURNING u.username`,
    [asJson(chiefs.filter((c) => c.user !== null).map((c) => ({ username: c.username, name: c.name, phone: c.phone })))],
  );
  const createdChiefs = await rows<{ id: number }>(
    tx,
    `INSERT INTO road_chief (user_id, level)
     SELECT u.id, x.level FROM json_to_recordset($1::json) AS x(username text, level smallint) JOIN app_user u ON u.username = x.username
     ON CONFLICT (user_id) DO NOTHING RETURNING id`,
    [asJson(chiefs.map((c) => ({ username: c.username, level: c.level })))],
  );
  const ids = new Map(
    (
      await rows<{ username: string; id: number }>(
        tx,
        `SELECT u.username, c.id FROM app_user u JOIN road_chief c ON c.user_id = u.id WHERE u.username = ANY($1::text[])`,
        [chiefs.map((c) => c.username)],
      )
    ).map((r) => [r.username, r.id]),
  );
  const addedScopes = await rows<{ chief_id: number }>(
    tx,
    `INSERT INTO road_chief_scope (chief_id, kind, level, road_id, segment_id, community_code, street_code)
     SELECT x.chief_id, x.kind, x.level, x.road_id, x.segment_id, x.community_code, x.street_code
       FROM json_to_recordset($1::json)
         AS x(chief_id integer, kind text, level smallint, road_id integer, segment_id integer, community_code text, street_code text)
      WHERE NOT EXISTS (SELECT 1 FROM road_chief_scope s
                         WHERE s.chief_id = x.chief_id AND s.kind = x.kind
                           AND s.road_id IS NOT DISTINCT FROM x.road_id AND s.segment_id IS NOT DISTINCT FROM x.segment_id
                           AND s.community_code IS NOT DISTINCT FROM x.community_code AND s.street_code IS NOT DISTINCT FROM x.street_code)
     RETURNING chief_id`,
    [asJson(chiefs.flatMap((c) => c.scopes.map((s) => ({ chief_id: ids.get(c.username), level: c.level, ...scopeColumns(s) }))))],
  );
  const deputies = chiefs.filter((c) => c.deputy !== null).map((c) => ({ username: c.username, deputy: c.deputy }));
  const changedDeputies = await rows<{ id: number }>(
    tx,
    `UPDATE road_chief c SET deputy_id = d.id
       FROM json_to_recordset($1::json) AS x(username text, deputy text)
       JOIN app_user u ON u.username = x.username
       JOIN app_user du ON du.username = x.deputy
       JOIN road_chief d ON d.user_id = du.id
      WHERE c.user_id = u.id AND c.deputy_id IS DISTINCT FROM d.id
      RETURNING c.id`,
    [asJson(deputies)],
  );

  const created = new Set(createdChiefs.map((r) => r.id));
  const touched = new Set([
    ...changedUsers.map((r) => ids.get(r.username)),
    ...addedScopes.map((r) => r.chief_id),
    ...changedDeputies.map((r) => r.id),
  ]);
  for (const c of chiefs) {
    const id = ids.get(c.username);
    if (id !== undefined && created.has(id)) stage.counts.created++;
    else if (touched.has(id)) stage.counts.updated++;
    else stage.counts.unchanged++;
  }
  return stage;
}

function scopeColumns(s: { kind: ChiefScopeKind; roadId: number | null; segmentId: number | null; communityCode: string | null; streetCode: string | null }) {
  return { kind: s.kind, road_id: s.roadId, segment_id: s.segmentId, community_code: s.communityCode, street_code: s.streetCode };
}

interface UserRow {
  id: string;
  username: string;
  name: string;
  phone: string | null;
  role: Role;
  chief_id: number | null;
  chief_level: ChiefLevel | null;
  deputy_id: number | null;
}

interface HolderRow {
  kind: ChiefScopeKind;
  level: ChiefLevel;
  road_id: number | null;
  segment_id: number | null;
  community_code: string | null;
  street_code: string | null;
  username: string;
}

/** Everything the lines may refer to, in a handful of queries. */
async function loadLookup(tx: QueryRunner, lines: ChiefLine[]): Promise<ChiefLookup> {
  const usernames = [...new Set(lines.flatMap((l) => (l.deputy ? [l.username, l.deputy] : [l.username])))];
  const scopes = [...new Set(lines.map((l) => l.scope))];
  const users = await rows<UserRow>(
    tx,
    `SELECT u.id, u.username, u.name, u.phone, u.role, c.id AS chief_id, c.level AS chief_level, c.deputy_id
       FROM app_user u LEFT JOIN road_chief c ON c.user_id = u.id WHERE u.username = ANY($1::text[])`,
    [usernames],
  );
  const streets = await rows<{ code: string; name: string }>(tx, `SELECT code, name FROM street WHERE code = ANY($1::text[])`, [scopes]);
  const communities = await rows<{ code: string; name: string }>(tx, `SELECT code, name FROM community WHERE code = ANY($1::text[])`, [scopes]);
  const roads = await rows<KnownRoad>(tx, `SELECT id, ref, name FROM road WHERE ref = ANY($1::text[]) OR name = ANY($1::text[]) ORDER BY ref`, [scopes]);
  const segments = await rows<KnownSegment>(
    tx,
    `SELECT s.id, s.ref, r.name AS "roadName" FROM road_segment s JOIN road r ON r.id = s.road_id WHERE s.ref = ANY($1::text[])`,
    [scopes],
  );
  const holders = await rows<HolderRow>(
    tx,
    `SELECT sc.kind, sc.level, sc.road_id, sc.segment_id, sc.community_code, sc.street_code, u.username
       FROM road_chief_scope sc JOIN road_chief c ON c.id = sc.chief_id JOIN app_user u ON u.id = c.user_id
      WHERE sc.road_id = ANY($1::int[]) OR sc.segment_id = ANY($2::int[])
         OR sc.community_code = ANY($3::text[]) OR sc.street_code = ANY($4::text[])`,
    [roads.map((r) => r.id), segments.map((s) => s.id), communities.map((c) => c.code), streets.map((s) => s.code)],
  );

  const roadsByName = new Map<string, KnownRoad[]>();
  for (const r of roads) roadsByName.set(r.name, [...(roadsByName.get(r.name) ?? []), r]);
  return {
    users: new Map(
      users.map((u): [string, KnownUser] => [
        u.username,
        {
          id: u.id,
          username: u.username,
          name: u.name,
          phone: u.phone,
          role: u.role,
          chief: u.chief_id === null || u.chief_level === null ? null : { id: u.chief_id, level: u.chief_level, deputyId: u.deputy_id },
        },
      ]),
    ),
    streets: new Map(streets.map((s) => [s.code, s.name])),
    communities: new Map(communities.map((c) => [c.code, c.name])),
    roadsByRef: new Map(roads.map((r) => [r.ref, r])),
    roadsByName,
    segmentsByRef: new Map(segments.map((s) => [s.ref, s])),
    holders: new Map(
      holders.map((h) => [
        scopeKey({ kind: h.kind, roadId: h.road_id, segmentId: h.segment_id, communityCode: h.community_code, streetCode: h.street_code }, h.level),
        h.username,
      ]),
    ),
  };
}
