import type { EntityManager } from 'typeorm';

/**
 * Locks uploaded photos in `m`'s transaction (in id order, so two transactions cannot deadlock)
 * and reads each one's content type; an id that names no upload is absent from the map. A case
 * takes photos under this lock: a statement after it sees what a concurrent transaction that held
 * it committed.
 */
export async function lockUploadedMedia(m: EntityManager, mediaIds: readonly string[]): Promise<Map<string, string>> {
  const rows: { id: string; content_type: string }[] = await m.query(
    `SELECT id, content_type FROM media WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [[...new Set(mediaIds)]],
  );
  return new Map(rows.map((r) => [r.id, r.content_type]));
}
