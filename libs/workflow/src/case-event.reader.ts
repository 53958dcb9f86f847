import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { caseScopeSql, type CaseColumns, type CasePrincipal } from '@wangge/auth';
import { type CaseEventMessage, type EventState, toCaseEventMessage, trackingTokenHash } from '@wangge/events';

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
  reporter_id: string | null;
}

/** A jsonb array of chief ids in the event's state as int[] (none when absent). */
const chiefIds = (json: string) => `ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} ELSE '[]' END)::int)`;

/** The case as it stood after the event: place and reporter from case_file, its chiefs from the event's state. */
const AFTER_EVENT: CaseColumns = {
  id: 'c.id',
  streetCode: 'c.street_code',
  gridCellCode: 'c.grid_cell_code',
  reporterId: 'c.reporter_id',
  assigneeChiefId: `(e.state->'assignee'->>'id')::int`,
  escalatedTo: chiefIds(`e.state->'escalatedTo'`),
};

/** The chiefs who had the case before the event (the feed shows them the event that takes it away). */
const BEFORE_EVENT: CaseColumns = { ...AFTER_EVENT, assigneeChiefId: 'NULL::int', escalatedTo: chiefIds(`e.state->'formerChiefs'`) };

const SELECT_EVENTS = `
  SELECT e.seq, e.type, e.actor_id, e.actor_role, e.to_status, e.at, e.state,
         c.id, c.code, ST_X(c.location) AS lng, ST_Y(c.location) AS lat, c.grid_cell_code, c.street_code, c.category_code, c.reporter_id
    FROM case_event e JOIN case_file c ON c.id = e.case_id`;

/**
 * Reads case events back from PostgreSQL as the feed's messages (the same as the outbox wrote): the
 * feed's catch-up, `resume` and `track`. Needs only the DataSource, so the feed provides it alone.
 */
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

  /**
   * Events after a seq that the viewer sees (the access model, its tracked cases included), for
   * `resume`: judged on the case as it stood after the event, or, for staff, before it — the same
   * rule as the live rooms.
   */
  async replay(viewer: CasePrincipal, after: number, upTo: number, limit: number): Promise<CaseEventMessage[]> {
    const params: unknown[] = [after, upTo, limit];
    const p = (v: unknown) => `$${params.push(v)}`;
    const view = `${caseScopeSql(viewer, AFTER_EVENT, p)} OR ${caseScopeSql(viewer, BEFORE_EVENT, p, 'staff')}`;
    const rows: EventRow[] = await this.db.query(`${SELECT_EVENTS} WHERE e.seq > $1 AND e.seq <= $2 AND (${view}) ORDER BY e.seq LIMIT $3`, params);
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
