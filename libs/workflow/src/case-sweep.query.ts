import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A case with a deadline check pending. */
export interface PendingCheck {
  id: string;
  next_check_at: Date;
}

/** A registered case still waiting for a dispatch. */
export interface WaitingCase {
  id: string;
  updated_at: Date;
}

/**
 * The cases the dispatcher's sweeper sends (again) to the queues, read in pages by keyset: the
 * database is the source of truth for timers and dispatches.
 */
@Injectable()
export class CaseSweepQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Cases with a next check, by id after `after`: every one (`all`), or only those due before `dueBefore`. */
  pendingChecks(page: { all: boolean; dueBefore: Date; after: string; limit: number }): Promise<PendingCheck[]> {
    return this.db.query(
      `SELECT id, next_check_at FROM case_file
          WHERE next_check_at IS NOT NULL AND ($1::boolean OR next_check_at < $2) AND id > $3
          ORDER BY id LIMIT $4`,
      [page.all, page.dueBefore, page.after, page.limit],
    );
  }

  /** Registered cases last changed before `changedBefore`, by (updated_at, id) after `after`. */
  waitingForDispatch(page: { changedBefore: Date; after: { at: Date; id: string }; limit: number }): Promise<WaitingCase[]> {
    return this.db.query(
      `SELECT id, updated_at FROM case_file
          WHERE status = 'registered' AND updated_at < $1 AND (updated_at, id) > ($2, $3::uuid)
          ORDER BY updated_at, id LIMIT $4`,
      [page.changedBefore, page.after.at, page.after.id, page.limit],
    );
  }
}
