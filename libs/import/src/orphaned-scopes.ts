import type { QueryRunner } from 'typeorm';
import { rows } from './import-sql';
import type { OrphanedScope } from './import.types';

interface ScopeRow {
  chief_id: number;
  username: string;
  chief_name: string;
  level: number;
  kind: OrphanedScope['kind'];
  ref: string;
  name: string;
}

const PROBLEMS: Record<OrphanedScope['kind'], string> = {
  road: 'the road has no live segment / 该道路已无路段',
  segment: 'the segment is retired / 该路段已停用',
  community: 'the community has no live grid cell / 该社区已无单元网格',
  street: 'the street has no live grid cell / 该街道已无单元网格',
};

/**
 * The chiefs' scopes that name a place with nothing live left in it: a road without a live segment,
 * a retired segment, a community or street without a live cell. Re-zoning leaves them for an admin
 * to reassign (they route nothing now); they are listed, not deleted.
 */
export async function orphanedScopes(tx: QueryRunner): Promise<OrphanedScope[]> {
  const found = await rows<ScopeRow>(
    tx,
    `SELECT c.id AS chief_id, u.username, u.name AS chief_name, sc.level, sc.kind,
            coalesce(r.ref, rs.ref, sc.community_code, sc.street_code) AS ref,
            coalesce(r.name, sr.name || ' #' || rs.seq, m.name, st.name) AS name
       FROM road_chief_scope sc
       JOIN road_chief c ON c.id = sc.chief_id
       JOIN app_user u ON u.id = c.user_id
       LEFT JOIN road r ON r.id = sc.road_id
       LEFT JOIN road_segment rs ON rs.id = sc.segment_id
       LEFT JOIN road sr ON sr.id = rs.road_id
       LEFT JOIN community m ON m.code = sc.community_code
       LEFT JOIN street st ON st.code = sc.street_code
      WHERE (sc.kind = 'segment' AND rs.retired_at IS NOT NULL)
         OR (sc.kind = 'road' AND NOT EXISTS (SELECT 1 FROM road_segment x WHERE x.road_id = sc.road_id AND x.retired_at IS NULL))
         OR (sc.kind = 'community' AND NOT EXISTS (SELECT 1 FROM grid_cell g WHERE g.community_code = sc.community_code AND g.retired_at IS NULL))
         OR (sc.kind = 'street' AND NOT EXISTS (SELECT 1 FROM community cm JOIN grid_cell g ON g.community_code = cm.code
                                                 WHERE cm.street_code = sc.street_code AND g.retired_at IS NULL))
      ORDER BY u.username, sc.kind, ref`,
  );
  return found.map((s) => ({
    chief: { id: s.chief_id, username: s.username, name: s.chief_name, level: Number(s.level) },
    kind: s.kind,
    ref: s.ref,
    name: s.name,
    problem: PROBLEMS[s.kind],
  }));
}
