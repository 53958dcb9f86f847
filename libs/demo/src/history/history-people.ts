import type { ChiefLevel } from '@wangge/domain';
import type { Actor } from '@wangge/workflow';
import type { EntityManager } from 'typeorm';

/** The people a demo history needs, as the workflow's actors. */
export interface HistoryPeople {
  /** The warden patrolling each cell. */
  wardenOfCell: ReadonlyMap<string, Actor>;
  /** The chief's actor and rank, by road_chief id. */
  chiefs: ReadonlyMap<number, { actor: Actor; name: string; level: ChiefLevel; available: boolean }>;
  /** The command centre's posts by username (shouli1, paiqian1, zhiban1, ...). */
  posts: ReadonlyMap<string, Actor>;
}

/** Reads the demo's wardens with their cells, its chiefs and the command centre's posts. */
export async function loadHistoryPeople(m: EntityManager, postUsernames: readonly string[]): Promise<HistoryPeople> {
  const wardens: { id: string; name: string; street_code: string | null; cells: string[] }[] = await m.query(
    `SELECT u.id, u.name, u.street_code, array_agg(w.cell_code ORDER BY w.cell_code) AS cells
       FROM app_user u JOIN warden_cell w ON w.user_id = u.id
      WHERE u.role = 'warden' AND u.active GROUP BY u.id ORDER BY u.username`,
  );
  const wardenOfCell = new Map<string, Actor>();
  for (const w of wardens) {
    const actor: Actor = { id: w.id, role: 'warden', name: w.name, chiefId: null, streetCode: w.street_code, cellCodes: new Set(w.cells) };
    for (const cell of w.cells) if (!wardenOfCell.has(cell)) wardenOfCell.set(cell, actor);
  }
  const chiefRows: { chief_id: number; user_id: string; name: string; level: ChiefLevel; available: boolean; street_code: string | null }[] = await m.query(
    `SELECT c.id AS chief_id, u.id AS user_id, u.name, c.level, (c.available AND u.active) AS available, u.street_code
       FROM road_chief c JOIN app_user u ON u.id = c.user_id ORDER BY c.id`,
  );
  const chiefs = new Map(
    chiefRows.map((c) => [
      c.chief_id,
      {
        actor: { id: c.user_id, role: 'chief', name: c.name, chiefId: c.chief_id, streetCode: c.street_code, cellCodes: new Set<string>() } satisfies Actor,
        name: c.name,
        level: c.level,
        available: c.available,
      },
    ]),
  );
  const postRows: { id: string; username: string; name: string; role: 'operator' | 'leader' }[] = await m.query(
    `SELECT id, username, name, role FROM app_user WHERE username = ANY($1::text[]) AND active`,
    [postUsernames],
  );
  const posts = new Map(postRows.map((p) => [p.username, { id: p.id, role: p.role, name: p.name, chiefId: null, streetCode: null, cellCodes: new Set<string>() } satisfies Actor]));
  return { wardenOfCell, chiefs, posts };
}
