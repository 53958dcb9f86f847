import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseActionAllowed, caseActionSql, caseScopeSql, caseVisible, type CasePrincipal, type CaseShape, type CaseView } from '@wangge/auth';
import { ACTIONS, expectedView, generatedCases, generatedPrincipals, type AccessWorld } from '../../libs/auth/src/access/case-access.fixtures';
import { createTestDatabase } from '../support/database';

/**
 * The access table's SQL form against its in-memory form on PostgreSQL: every generated case shape
 * is stored in case_file, and for every role and scope the SQL condition selects exactly the cases
 * the in-memory predicate lets through — in each view, and for each action.
 */
describe('case access: the SQL form selects exactly what the in-memory form lets through', () => {
  let db: Client;
  let drop: () => Promise<void>;
  let cases: CaseShape[];
  let principals: { name: string; p: CasePrincipal }[];

  beforeAll(async () => {
    const made = await createTestDatabase('access');
    drop = made.drop;
    db = new Client({ connectionString: made.url });
    await db.connect();
    // Real places, chiefs and users of the demo district: two cells of one street, one of another.
    const { rows: twin } = await db.query(
      `SELECT street_code, array_agg(code ORDER BY code) AS codes FROM grid_cell GROUP BY street_code HAVING count(*) >= 2 ORDER BY street_code LIMIT 2`,
    );
    expect(twin.length).toBe(2);
    const { rows: chiefs } = await db.query(`SELECT id FROM road_chief ORDER BY id LIMIT 2`);
    const { rows: users } = await db.query(`SELECT id, username FROM app_user WHERE username = ANY($1::text[])`, [['warden1', 'operator', 'leader']]);
    const idOf = (u: string) => users.find((r: { username: string }) => r.username === u).id as string;
    // Two departments of the access table's own (their codes are the fixtures').
    await db.query(
      `INSERT INTO department (code, name, category_codes) SELECT d, 'access ' || d, ARRAY[(SELECT code FROM category ORDER BY code LIMIT 1)] FROM unnest($1::text[]) d`,
      [['ACCESS-A', 'ACCESS-B']],
    );
    const world: AccessWorld = {
      cells: [twin[0].codes[0], twin[0].codes[1], twin[1].codes[0]],
      chiefs: [chiefs[0].id, chiefs[1].id],
      departments: ['ACCESS-A', 'ACCESS-B'],
      users: { warden: idOf('warden1'), citizen: idOf('operator'), other: idOf('leader') },
    };
    cases = generatedCases(world);
    principals = generatedPrincipals(cases[7].id, world);
    await db.query(
      `INSERT INTO case_file (id, code, status, category_code, description, address, location, reported_coord_system, reported_lng, reported_lat,
                              grid_cell_code, street_code, community_code, source, reporter_id, tracking_token_hash, assignee_chief_id, escalated_to,
                              assignee_department_code, coordinator_chief_id)
       SELECT s.id, '410104-20260101-' || lpad(s.n::text, 6, '0'), CASE WHEN g.code IS NULL THEN 'reported' ELSE 'registered' END,
              (SELECT code FROM category ORDER BY code LIMIT 1), 'access table', 'address only',
              ST_PointOnSurface(g.geom), 'wgs84', ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)),
              g.code, g.street_code, g.community_code, 'warden', s.reporter_id, md5(s.id::text) || md5(s.n::text), s.assignee_chief_id, s.escalated_to,
              s.department, s.coordinator
         FROM jsonb_to_recordset($1::jsonb) AS s(n int, id uuid, cell text, reporter_id uuid, assignee_chief_id int, escalated_to int[], department text, coordinator int)
         LEFT JOIN grid_cell g ON g.code = s.cell`,
      [
        JSON.stringify(
          cases.map((c, i) => ({
            n: i + 1,
            id: c.id,
            cell: c.gridCellCode,
            reporter_id: c.reporterId,
            assignee_chief_id: c.assigneeChiefId,
            escalated_to: c.escalatedTo,
            department: c.assigneeDepartmentCode ?? null,
            coordinator: c.coordinatorChiefId ?? null,
          })),
        ),
      ],
    );
    const { rows: stored } = await db.query(`SELECT count(*)::int AS n FROM case_file WHERE description = 'access table'`);
    expect(stored[0].n).toBe(cases.length);
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await drop?.();
  });

  /** The generated cases the condition selects, by id. */
  async function selected(condition: (param: (v: unknown) => string) => string): Promise<string[]> {
    const params: unknown[] = [];
    const where = condition((v) => `$${params.push(v)}`);
    const { rows } = await db.query(`SELECT c.id FROM case_file c WHERE c.description = 'access table' AND ${where} ORDER BY c.id`, params);
    return rows.map((r: { id: string }) => r.id);
  }
  const ids = (list: CaseShape[]) => list.map((c) => c.id).sort();

  it('every role and scope: the same cases in SQL as in memory, and as domain.md says', async () => {
    expect(principals.length).toBeGreaterThan(25);
    for (const { name, p } of principals) {
      const inMemory = ids(cases.filter((c) => caseVisible(p, c)));
      expect(await selected((param) => caseScopeSql(p, 'c', param)), name).toEqual(inMemory);
      expect(inMemory, name).toEqual(ids(cases.filter((c) => expectedView(p, c) !== null)));
      for (const view of ['staff', 'public'] as CaseView[]) {
        expect(await selected((param) => caseScopeSql(p, 'c', param, view)), `${name} (${view})`).toEqual(ids(cases.filter((c) => caseVisible(p, c, view))));
      }
    }
  });

  it('every role, scope and action (appeal steps too): the cases it may act on are the same in SQL as in memory', async () => {
    for (const { name, p } of principals) {
      for (const action of ACTIONS) {
        const inMemory = ids(cases.filter((c) => caseActionAllowed(p, c, action)));
        expect(await selected((param) => caseActionSql(p, action, 'c', param)), `${name}: ${action}`).toEqual(inMemory);
      }
    }
  });

  it('a scope with a value selects something and leaves something out (the generator covers each)', async () => {
    for (const { name, p } of principals) {
      const n = cases.filter((c) => caseVisible(p, c)).length;
      if (p.role === 'system' || ((p.role === 'leader' || p.role === 'operator' || p.role === 'admin') && p.streetCode === null)) expect(n, name).toBe(cases.length);
      else if (name.startsWith('chief without') || name.startsWith('citizen (anonymous)') || name.startsWith('department member without')) expect(n, name).toBe(p.trackedCaseIds ? 1 : 0);
      else expect(n > 0 && n < cases.length, name).toBe(true);
    }
  });
});
