import type { EntityManager } from 'typeorm';
import { lockUploadedMedia } from '@wangge/media';
import { CaseError } from './case-error';

/** Each id must name an uploaded photo that no other case holds; otherwise the action is refused, naming the id. */
export async function checkMediaFree(m: EntityManager, mediaIds: readonly string[], caseId: string | null = null): Promise<Map<string, string>> {
  if (mediaIds.length === 0) return new Map();
  const { contentTypes, otherCase } = await lockMedia(m, mediaIds, caseId);
  const problem = mediaProblem(mediaIds, contentTypes, (id) => otherCase.get(id) ?? null);
  if (problem) throw problem;
  return contentTypes;
}

/**
 * Locks the photos (media's `lockUploadedMedia`; the statement after it then sees what a concurrent
 * case committed, so two requests sent at once cannot both take the same photo) and reads each
 * one's content type and the case, other than `caseId`, that already holds it.
 */
export async function lockMedia(
  m: EntityManager,
  mediaIds: readonly string[],
  caseId: string | null = null,
): Promise<{ contentTypes: Map<string, string>; otherCase: Map<string, string | null> }> {
  const contentTypes = await lockUploadedMedia(m, mediaIds);
  const rows: { media_id: string; case_id: string }[] = await m.query(
    `SELECT DISTINCT ON (media_id) media_id, case_id FROM case_media
      WHERE media_id = ANY($1::uuid[]) AND case_id IS DISTINCT FROM $2::uuid AND via_case_id IS NULL`,
    [[...contentTypes.keys()], caseId],
  );
  const held = new Map(rows.map((r) => [r.media_id, r.case_id]));
  return { contentTypes, otherCase: new Map([...contentTypes.keys()].map((id) => [id, held.get(id) ?? null])) };
}

/** The refusal for the first id that names no uploaded photo or one held elsewhere (`heldBy`), or null. */
export function mediaProblem(mediaIds: readonly string[], uploaded: ReadonlyMap<string, string>, heldBy: (id: string) => string | null): CaseError | null {
  for (const [i, id] of mediaIds.entries()) {
    if (!uploaded.has(id)) return new CaseError('bad_media', `no uploaded photo ${id}: upload it with POST /api/v1/media first / 照片不存在`, `mediaIds[${i}]`);
    if (heldBy(id)) return new CaseError('bad_media', `photo ${id} belongs to another case / 照片已属于其他案卷`, `mediaIds[${i}]`);
  }
  return null;
}

/** Attaches uploaded photos to a case, as evidence of one event. */
export async function attachMedia(m: EntityManager, caseId: string, mediaIds: readonly string[], eventSeq: number | null): Promise<void> {
  await checkMediaFree(m, mediaIds, caseId);
  await m.query(
    `INSERT INTO case_media (case_id, media_id, event_seq) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
    [caseId, [...new Set(mediaIds)], eventSeq],
  );
}
