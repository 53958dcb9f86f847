import type { EntityManager } from 'typeorm';
import { CaseError } from './case-error';

/**
 * Attaches uploaded photos to a case (as evidence of one event). Each id must name an uploaded
 * photo that no other case holds; otherwise the whole action is refused, naming the id.
 */
export async function attachMedia(m: EntityManager, caseId: string, mediaIds: readonly string[], eventSeq: number | null): Promise<void> {
  const unique = [...new Set(mediaIds)];
  const rows: { id: string; other_case: string | null }[] = await m.query(
    `SELECT md.id, (SELECT cm.case_id FROM case_media cm WHERE cm.media_id = md.id AND cm.case_id <> $2 AND cm.via_case_id IS NULL LIMIT 1) AS other_case
       FROM media md WHERE md.id = ANY($1::uuid[])`,
    [unique, caseId],
  );
  const found = new Map(rows.map((r) => [r.id, r.other_case]));
  mediaIds.forEach((id, i) => {
    if (!found.has(id)) throw new CaseError('bad_media', `no uploaded photo ${id}: upload it with POST /api/v1/media first / 照片不存在`, `mediaIds[${i}]`);
    if (found.get(id)) throw new CaseError('bad_media', `photo ${id} belongs to another case / 照片已属于其他案卷`, `mediaIds[${i}]`);
  });
  await m.query(
    `INSERT INTO case_media (case_id, media_id, event_seq) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
    [caseId, unique, eventSeq],
  );
}
