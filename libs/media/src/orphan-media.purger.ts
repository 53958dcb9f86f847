import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { MEDIA_STORAGE, type MediaStorage } from './media-storage';

/** Rows deleted per statement (the purge repeats until none is left). */
const PURGE_BATCH = 500;

/** The RETURNING rows of a DELETE (TypeORM answers `[rows, count]` for DELETE on PostgreSQL). */
function returned<T>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return raw as T[];
}

/** What one purge removed. */
export interface OrphanPurge {
  /** Rows deleted (each one's file removed, or logged when it could not be). */
  purged: number;
  /** Files that could not be removed (their rows are gone; the file is left behind, logged). */
  filesLeft: number;
}

/**
 * Deletes uploads that no case holds, MEDIA_ORPHAN_HOURS after they were made: a photo uploaded
 * for a report that was never sent, or sent to fill the disk. The row goes first (in one statement
 * with the check that no case holds it; rows an attach has locked are skipped), then the file: a
 * file whose row is gone is harmless, a row whose file is gone would be a broken download.
 */
@Injectable()
export class OrphanMediaPurger {
  private readonly logger = new Logger('media');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Purges the uploads made before `now` − MEDIA_ORPHAN_HOURS that no case and no campaign progress report holds. */
  async purge(now: Date): Promise<OrphanPurge> {
    const before = new Date(now.getTime() - this.config.media.orphanHours * 3_600_000);
    const result: OrphanPurge = { purged: 0, filesLeft: 0 };
    for (;;) {
      const deleted = returned<{ id: string; storage_key: string }>(await this.db.query(
        `WITH doomed AS (
           SELECT md.id FROM media md
            WHERE md.created_at < $1
              AND NOT EXISTS (SELECT 1 FROM case_media cm WHERE cm.media_id = md.id)
              AND NOT EXISTS (SELECT 1 FROM campaign_progress cp WHERE cp.media_ids @> ARRAY[md.id])
            ORDER BY md.created_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
         DELETE FROM media USING doomed WHERE media.id = doomed.id
         RETURNING media.id, media.storage_key`,
        [before, PURGE_BATCH],
      ));
      for (const row of deleted) {
        await this.storage.delete(row.storage_key).catch((e: unknown) => {
          result.filesLeft++;
          this.logger.warn(`orphan media ${row.id}: row deleted, file ${row.storage_key} not removed: ${String(e)}`);
        });
      }
      result.purged += deleted.length;
      if (deleted.length < PURGE_BATCH) break;
    }
    if (result.purged > 0) this.logger.log(`purged ${result.purged} uploads no case held (older than ${this.config.media.orphanHours} h)`);
    return result;
  }
}
