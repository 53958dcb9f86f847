import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A case open and past its deadline at an instant, as the bulletins list it. */
export interface OverdueCase {
  id: string;
  code: string;
  status: string;
  category: { code: string; name: string };
  street: { code: string; name: string };
  community: { code: string; name: string };
  assignee: { id: number; name: string; level: number } | null;
  escalationLevel: number;
  deadlineAt: string;
  /** Hours past the deadline at the period end (clock time). */
  hoursOverdue: number;
}

/**
 * The cases open and past their deadline at an instant (`at`, a period's end), from the case
 * events: a case is on the list when its last event before `at` leaves it dispatched or in
 * progress with a deadline before `at` (the rule of the evaluation's 超期未处置数). Candidates are
 * the cases with an overdue mark (`case.overdue`) before `at` + 1 day: the dispatcher marks a
 * missed deadline within seconds (SWEEP_INTERVAL_MS at worst), so the day covers a dispatcher that
 * was down at the period end. A case with an approved appeal (`case.appeal_decided`, approved:
 * the event written with the appeal's decision) is exempt, as in the metrics. Category, street and
 * code are the case's own (they never change); assignee, escalation and deadline are as the last
 * event before `at` recorded them. A case suspended (挂账) at `at` is not on it.
 */
/**
 * Whether the case was suspended (挂账) at the instant: its last suspension event before it is
 * `case.suspended` (a resume or a cancel ends one). A suspended case's clock stands still: it is
 * never overdue, and it is counted apart.
 */
export function suspendedAtSql(caseId: string, at: string): string {
  return `(coalesce((SELECT se.type FROM case_event se WHERE se.case_id = ${caseId} AND se.at < ${at}
                      AND se.type IN ('case.suspended', 'case.resumed', 'case.cancelled') ORDER BY se.seq DESC LIMIT 1), '') = 'case.suspended')`;
}

/** How many cases were suspended (挂账) at an instant (a period's end): the bulletins count them apart. */
export const SUSPENDED_COUNT_AT_SQL = `
  SELECT count(*)::int AS n FROM (SELECT DISTINCT case_id FROM case_event WHERE type = 'case.suspended' AND at < $1) s
   WHERE ${suspendedAtSql('s.case_id', '$1')}`;

export const OVERDUE_CASES_AT_SQL = `
  WITH candidate AS (
      SELECT DISTINCT case_id FROM case_event WHERE type = 'case.overdue' AND at < $1::timestamptz + interval '1 day'
    )
    SELECT c.id, c.code, last.to_status AS status, c.category_code, k.name AS category_name,
           c.street_code, s.name AS street_name, c.community_code, cm.name AS community_name,
           last.state -> 'assignee' AS assignee, coalesce((last.state ->> 'escalationLevel')::int, 0) AS escalation_level,
           (last.state ->> 'deadlineAt')::timestamptz AS deadline_at
      FROM candidate
      JOIN case_file c ON c.id = candidate.case_id AND (c.closed_at IS NULL OR c.closed_at >= $1)
      CROSS JOIN LATERAL (
        SELECT e.to_status, e.state FROM case_event e WHERE e.case_id = candidate.case_id AND e.at < $1 ORDER BY e.seq DESC LIMIT 1
      ) last
      JOIN category k ON k.code = c.category_code
      JOIN street s ON s.code = c.street_code
      JOIN community cm ON cm.code = c.community_code
     WHERE last.to_status IN ('dispatched', 'in_progress')
       AND (last.state ->> 'deadlineAt')::timestamptz < $1
       AND NOT ${suspendedAtSql('c.id', '$1')}
       AND NOT EXISTS (SELECT 1 FROM case_event ap WHERE ap.case_id = c.id AND ap.type = 'case.appeal_decided'
                                                     AND (ap.evidence ->> 'approved')::boolean)
     ORDER BY deadline_at, c.code`;

/** The overdue list of a period's end (bulletins). Needs only the DataSource. */
@Injectable()
export class OverdueCasesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The cases open and overdue at `at` (a closed case cannot be open at `at`: closed_at is set once, at the close). */
  /** How many cases were suspended (挂账) at `at`. */
  async suspendedCountAt(at: Date): Promise<number> {
    const [row]: { n: number }[] = await this.db.query(SUSPENDED_COUNT_AT_SQL, [at]);
    return row.n;
  }

  async at(at: Date): Promise<OverdueCase[]> {
    const rows: Row[] = await this.db.query(OVERDUE_CASES_AT_SQL, [at]);
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      status: r.status,
      category: { code: r.category_code, name: r.category_name },
      street: { code: r.street_code, name: r.street_name },
      community: { code: r.community_code, name: r.community_name },
      assignee: r.assignee && typeof r.assignee === 'object' ? { id: Number(r.assignee.id), name: String(r.assignee.name), level: Number(r.assignee.level) } : null,
      escalationLevel: Number(r.escalation_level),
      deadlineAt: new Date(r.deadline_at).toISOString(),
      hoursOverdue: Math.round(((at.getTime() - new Date(r.deadline_at).getTime()) / 3_600_000) * 10) / 10,
    }));
  }
}

interface Row {
  id: string;
  code: string;
  status: string;
  category_code: string;
  category_name: string;
  street_code: string;
  street_name: string;
  community_code: string;
  community_name: string;
  assignee: { id: number; name: string; level: number } | null;
  escalation_level: number;
  deadline_at: Date;
}
