import { describe, expect, it } from 'vitest';
import { ROLES } from '@wangge/domain';
import {
  CASE_ACCESS,
  caseActionAllowed,
  caseActionSql,
  caseGrants,
  caseRooms,
  caseScopeSql,
  caseViewOf,
  caseVisible,
  principalRooms,
  roleSeesAsStaff,
  type CaseView,
} from './case-access';
import { ACTIONS, expectedAction, expectedView, generatedCases, generatedPrincipals } from './case-access.fixtures';

const cases = generatedCases();
const principals = generatedPrincipals(cases[7].id);

describe('the case access table: every role and scope, every case shape', () => {
  it('covers every role, and every principal of the generator holds what domain.md gives it', () => {
    for (const role of [...ROLES, 'system' as const]) expect(CASE_ACCESS.some((r) => r.roles.includes(role)), role).toBe(true);
    expect(cases.length).toBe(160);
    expect(principals.length).toBeGreaterThan(25);
  });

  it.each(principals)('$name: sees exactly the cases domain.md gives it, in the right view', ({ p }) => {
    const wrong = cases.filter((c) => caseViewOf(p, c) !== expectedView(p, c));
    expect(wrong.map((c) => ({ c, got: caseViewOf(p, c), want: expectedView(p, c) }))).toEqual([]);
    for (const c of cases) expect(caseVisible(p, c)).toBe(expectedView(p, c) !== null);
  });

  it.each(principals)('$name: may act exactly where domain.md lets it', ({ p }) => {
    for (const c of cases) {
      for (const action of ACTIONS) {
        expect(caseActionAllowed(p, c, action), `${action} on ${JSON.stringify(c)}`).toBe(expectedAction(p, c, action));
      }
    }
  });

  it.each(principals)('$name: its rooms meet a case’s rooms exactly where it sees the case, view by view', ({ p }) => {
    for (const view of ['staff', 'public'] as CaseView[]) {
      const mine = new Set(principalRooms(p, view));
      for (const c of cases) {
        const meets = caseRooms(c, view).some((r) => mine.has(r));
        expect(meets, `${view} ${JSON.stringify(c)}`).toBe(caseVisible(p, c, view));
      }
    }
  });

  it('writes the SQL form from the same conditions, with every value a bind parameter', () => {
    const sql = (i: number) => {
      const params: unknown[] = [];
      return { text: caseScopeSql(principals[i].p, 'c', (v) => `$${params.push(v)}`), params };
    };
    const byName = (name: string) => principals.findIndex((x) => x.name === name);
    expect(sql(byName('system'))).toEqual({ text: 'true', params: [] });
    expect(sql(byName('leader (district)'))).toEqual({ text: 'true', params: [] });
    expect(sql(byName('operator (street 410104002)'))).toEqual({ text: '(c.street_code = $1::text)', params: ['410104002'] });
    expect(sql(byName('chief A'))).toEqual({ text: '(c.assignee_chief_id = $1::int OR c.escalated_to @> ARRAY[$2::int] OR c.coordinator_chief_id = $3::int)', params: [5, 5, 5] });
    expect(sql(byName('department GAS member'))).toEqual({ text: '(c.assignee_department_code = $1::text)', params: ['GAS'] });
    expect(sql(byName('department member without a department'))).toEqual({ text: 'false', params: [] });
    expect(sql(byName('warden (two cells)')).text).toBe('(c.grid_cell_code = ANY($1::text[]) OR c.reporter_id = $2::uuid)');
    expect(sql(byName('chief without a chief record'))).toEqual({ text: 'false', params: [] });
    expect(sql(byName('citizen (anonymous)'))).toEqual({ text: 'false', params: [] });
  });

  it('writes the appeals a principal may make or decide as one condition (the appeals list)', () => {
    const sql = (name: string) => {
      const params: unknown[] = [];
      const p = principals.find((x) => x.name === name)!.p;
      return { text: caseActionSql(p, ['appeal', 'decide-appeal'], 'c', (v) => `$${params.push(v)}`), params };
    };
    expect(sql('chief A')).toEqual({ text: '(c.assignee_chief_id = $1::int)', params: [5] });
    expect(sql('operator (street 410104002)')).toEqual({ text: '(c.street_code = $1::text)', params: ['410104002'] });
    expect(sql('leader (district)')).toEqual({ text: 'true', params: [] });
    expect(sql('warden (two cells)')).toEqual({ text: 'false', params: [] });
    expect(sql('department GAS member')).toEqual({ text: '(c.assignee_department_code = $1::text)', params: ['GAS'] });
  });

  it('a department’s leader decides its members’ appeals and requests for more time; a member who does not lead does not', () => {
    const sql = (name: string) => {
      const params: unknown[] = [];
      const p = principals.find((x) => x.name === name)!.p;
      return { text: caseActionSql(p, ['decide-appeal', 'decide-extension'], 'c', (v) => `$${params.push(v)}`), params };
    };
    expect(sql('department GAS leader')).toEqual({ text: '(c.assignee_department_code = $1::text)', params: ['GAS'] });
    expect(sql('department GAS member')).toEqual({ text: 'false', params: [] });
    expect(sql('chief A')).toEqual({ text: 'false', params: [] });
    expect(sql('leader (district)')).toEqual({ text: 'true', params: [] });
  });

  it('a case not yet placed (reported by address only) is seen by district-wide staff only, and has no street or cell room', () => {
    const unplaced = cases.filter((c) => c.streetCode === null);
    expect(unplaced).toHaveLength(4);
    const staffSeeing = principals.filter(({ p }) => unplaced.some((c) => caseViewOf(p, c) === 'staff' && c.reporterId !== p.id)).map((x) => x.p);
    expect(staffSeeing.length).toBeGreaterThan(0);
    for (const p of staffSeeing) expect(p.role === 'system' || p.streetCode === null).toBe(true);
    for (const p of staffSeeing) expect(['system', 'operator', 'leader', 'admin']).toContain(p.role);
    for (const c of unplaced) expect(caseRooms(c, 'staff').filter((r) => r.startsWith('street:') || r.startsWith('cell:'))).toEqual([]);
  });

  it('a principal holds a scope only from a row of its own role', () => {
    for (const { p } of principals) for (const g of caseGrants(p)) expect(g.rule.roles).toContain(p.role);
  });
});

describe('which roles see cases as staff (the case pages\' audience)', () => {
  it('every role that handles, patrols or runs cases does, department members included; citizens see the public view', () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, roleSeesAsStaff(r)]))).toEqual(
      Object.fromEntries(ROLES.map((r) => [r, r !== 'citizen'])),
    );
    expect(roleSeesAsStaff('system')).toBe(true);
  });
});
