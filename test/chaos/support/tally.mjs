// Counting a scenario from the database: the scenario's cases are found by the tag in their
// description (the load writes `混沌 chaos <tag> #<n> ...`, n the report's number, one
// Idempotency-Key per n), so nothing the clients believe is taken on trust.
import { sleep } from '../../bench/support/processes.mjs';
import { descriptionTag } from './load.mjs';

/** The scenario's cases with their events by type. */
async function casesOf(db, tag) {
  const { rows } = await db.query(
    `SELECT c.id, c.status, substring(c.description from '#([0-9]+) ')::int AS n,
            count(e.seq)::int AS events,
            count(e.seq) FILTER (WHERE e.type = 'case.reported')::int AS reported,
            count(e.seq) FILTER (WHERE e.type = 'case.registered')::int AS registered,
            count(e.seq) FILTER (WHERE e.type = 'case.dispatched')::int AS dispatched
       FROM case_file c LEFT JOIN case_event e ON e.case_id = c.id
      WHERE c.description LIKE $1
      GROUP BY c.id`,
    [`${descriptionTag(tag, '')}%`],
  );
  return rows;
}

/** Waits until every accepted warden report (answered `registered`) has its case.dispatched event. */
export async function waitDispatched(db, load, timeoutMs) {
  const ids = load.accepted().filter((r) => r.caseStatus === 'registered').map((r) => r.caseId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(`SELECT count(DISTINCT case_id)::int AS n FROM case_event WHERE type = 'case.dispatched' AND case_id = ANY($1::uuid[])`, [ids]);
    if (rows[0].n >= ids.length || Date.now() > deadline) return;
    await sleep(250);
  }
}

/**
 * accepted: reports answered 201; lost: accepted but not in case_file, or registered and never
 * dispatched; doubled: more case_file rows than the report's one key, or a case with more than one
 * case.reported, case.registered or case.dispatched event.
 */
export async function tallyReports(db, load, tag) {
  const cases = await casesOf(db, tag);
  const accepted = load.accepted();
  const byId = new Map(cases.map((c) => [c.id, c]));
  const rowsPerReport = new Map();
  for (const c of cases) rowsPerReport.set(c.n, (rowsPerReport.get(c.n) ?? 0) + 1);
  const answered = new Set(accepted.map((r) => r.i));
  const missing = accepted.filter((r) => !byId.has(r.caseId));
  const registered = accepted.filter((r) => r.caseStatus === 'registered');
  const undispatched = registered.filter((r) => (byId.get(r.caseId)?.dispatched ?? 0) === 0);
  const extraRows = [...rowsPerReport.values()].reduce((sum, n) => sum + (n - 1), 0);
  const doubledEvents = cases.filter((c) => c.reported > 1 || c.registered > 1 || c.dispatched > 1);
  const eventsPerCase = {};
  for (const c of cases) eventsPerCase[c.events] = (eventsPerCase[c.events] ?? 0) + 1;
  return {
    accepted: accepted.length,
    lost: missing.length + undispatched.length,
    doubled: extraRows + doubledEvents.length,
    dispatched: registered.length - undispatched.length,
    toDispatch: registered.length,
    cases: cases.length,
    // Stored without a 201 having reached the client (it gave up, or got an error): neither lost nor doubled.
    storedUnanswered: cases.filter((c) => !answered.has(c.n)).length,
    eventsPerCase,
    detail: {
      missing: missing.slice(0, 5).map((r) => r.key),
      undispatched: undispatched.slice(0, 5).map((r) => r.caseId),
      doubledEvents: doubledEvents.slice(0, 5).map((c) => ({ id: c.id, reported: c.reported, registered: c.registered, dispatched: c.dispatched })),
    },
  };
}

/** The seqs a feed client's view holds in (from, upTo]. */
export async function seqsInScope(db, scope, from, upTo) {
  if (scope.kind === 'district') {
    const { rows } = await db.query(`SELECT seq::int AS seq FROM case_event WHERE seq > $1 AND seq <= $2 ORDER BY seq`, [from, upTo]);
    return rows.map((r) => r.seq);
  }
  const { rows } = await db.query(
    `SELECT e.seq::int AS seq FROM case_event e JOIN case_file c ON c.id = e.case_id
      WHERE e.seq > $1 AND e.seq <= $2 AND c.grid_cell_code = ANY($3::text[]) ORDER BY e.seq`,
    [from, upTo, scope.cells],
  );
  return rows.map((r) => r.seq);
}
