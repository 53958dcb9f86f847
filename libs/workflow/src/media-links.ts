import type { EntityManager } from 'typeorm';
import { CaseError } from './case-error';

/** Each id must name an uploaded photo that no other case holds; otherwise the action is refused, naming the id. */
export async function checkMediaFree(m: EntityManager, mediaIds: readonly string[], caseId: string | null = null): Promise<Map<string, string>> {
  if (mediaIds.length === 0) return new Map();
  // Lock the photos first (a second statement then sees what a concurrent case committed), so two
  // reports sent at once cannot both take the same photo.
  await m.query(`SELECT id FROM media WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [[...new Set(mediaIds)]]);
  const rows: { id: string; content_type: string; other_case: string | null }[] = await m.query(
    `SELECT md.id, md.content_type, (SELECT cm.case_id FROM case_media cm
                     WHERE cm.media_id = md.id AND cm.case_id IS DISTINCT FROM $2::uuid AND cm.via_case_id IS NULL LIMIT 1) AS other_case
       FROM media md WHERE md.id = ANY($1::uuid[])`,
    [[...new Set(mediaIds)], caseId],
  );
  const found = new Map(rows.map((r) => [r.id, r.other_case]));
  mediaIds.forEach((id, i) => {
    if (!found.has(id)) throw new CaseError('bad_media', `no uploaded photo ${id}: upload it with POST /api/v1/media first / 照片不存在`, `mediaIds[${i}]`);
    if (found.get(id)) throw new CaseError('bad_media', `photo ${id} belongs to another case / 照片已属于其他案卷`, `mediaIds[${i}]`);
  });
  return new Map(rows.map((r) => [r.id, r.content_type]));
}

/** Attaches uploaded photos to a case, as evidence of one event. */
export async function attachMedia(m: EntityManager, caseId: string, mediaIds: readonly string[], eventSeq: number | null): Promise<void> {
  await checkMediaFree(m, mediaIds, caseId);
  await m.query(
    `INSERT INTO case_media (case_id, media_id, event_seq) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
    [caseId, [...new Set(mediaIds)], eventSeq],
  );
}
