import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type CaseEventMessage, type EventState, toCaseEventMessage, trackingTokenHash } from '@wangge/events';
import type { FeedScope } from '../scope/feed-scope';

interface EventRow {
  seq: string;
  type: CaseEventMessage['type'];
  actor_id: string | null;
  actor_role: string;
  to_status: CaseEventMessage['status'];
  at: Date;
  state: Partial<EventState>;
  id: string;
  code: string;
  lng: number;
  lat: number;
  grid_cell_code: string;
  street_code: string;
  category_code: string;
}

const SELECT_EVENTS = `
  SELECT e.seq, e.type, e.actor_id, e.actor_role, e.to_status, e.at, e.state,
         c.id, c.code, ST_X(c.location) AS lng, ST_Y(c.location) AS lat, c.grid_cell_code, c.street_code, c.category_code
    FROM case_event e JOIN case_file c ON c.id = e.case_id`;

/** Reads case events back from PostgreSQL as the feed's messages (the same as the outbox wrote). */
@Injectable()
export class CaseEventReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The newest committed seq (0 before the first event). */
  async latestSeq(): Promise<number> {
    const [row]: { seq: string | null }[] = await this.db.query(`SELECT max(seq) AS seq FROM case_event`);
    return Number(row?.seq ?? 0);
  }

  /**
   * Every committed event with seq in (after, upTo], oldest first, at most `limit`. Because events
   * commit in seq order, the answer is complete up to its newest seq.
   */
  async range(after: number, upTo: number, limit: number): Promise<CaseEventMessage[]> {
    const rows: EventRow[] = await this.db.query(`${SELECT_EVENTS} WHERE e.seq > $1 AND e.seq <= $2 ORDER BY e.seq LIMIT $3`, [after, upTo, limit]);
    return rows.map(toMessage);
  }

  /** Events after a seq within a view (scope and tracked cases), for `resume`. */
  async replay(scope: FeedScope, tracked: readonly string[], after: number, upTo: number, limit: number): Promise<CaseEventMessage[]> {
    const params: unknown[] = [after, upTo, limit, tracked];
    const view: string[] = ['e.case_id = ANY($4::uuid[])'];
    switch (scope.kind) {
      case 'district':
        view.push('true');
        break;
      case 'street':
        params.push(scope.streetCode);
        view.push(`c.street_code = $${params.length}`);
        break;
      case 'cells':
        params.push([...scope.cellCodes]);
        view.push(`c.grid_cell_code = ANY($${params.length}::text[])`);
        break;
      case 'chief':
        params.push(scope.chiefId);
        view.push(
          `(e.state->'assignee'->'id' = to_jsonb($${params.length}::int) OR e.state->'escalatedTo' @> to_jsonb($${params.length}::int) OR e.state->'formerChiefs' @> to_jsonb($${params.length}::int))`,
        );
        break;
      case 'tracker':
        break;
    }
    const rows: EventRow[] = await this.db.query(
      `${SELECT_EVENTS} WHERE e.seq > $1 AND e.seq <= $2 AND (${view.join(' OR ')}) ORDER BY e.seq LIMIT $3`,
      params,
    );
    return rows.map(toMessage);
  }

  /** Whether the token is the case's tracking token. */
  async tokenMatches(caseId: string, trackingToken: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM case_file WHERE id = $1 AND tracking_token_hash = $2`, [caseId, trackingTokenHash(trackingToken)]);
    return rows.length === 1;
  }
}

function toMessage(row: EventRow): CaseEventMessage {
  return toCaseEventMessage(
    row,
    { seq: Number(row.seq), type: row.type, at: row.at, actorId: row.actor_id, actorRole: row.actor_role, status: row.to_status },
    row.state ?? {},
  );
}
