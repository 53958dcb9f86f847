import { describe, expect, it } from 'vitest';
import { caseActionAllowed, caseActionSql, caseScopeSql, caseVisible, type CasePrincipal, type CaseShape } from './case-access';

const warden = (id: string): CasePrincipal => ({ id, role: 'warden', streetCode: null, chiefId: null, cellCodes: new Set(['410104001001001']) });
const operator: CasePrincipal = { id: 'op', role: 'operator', streetCode: null, chiefId: null, cellCodes: new Set() };
const base: CaseShape = { id: 'c1', streetCode: '410104001', gridCellCode: '410104001001001', assigneeChiefId: null, escalatedTo: [], reporterId: null };

describe('check tasks in the access model (issue 22 item 5)', () => {
  it('no task: any warden of the cell verifies', () => {
    expect(caseActionAllowed(warden('w1'), base, 'verify')).toBe(true);
    expect(caseActionAllowed(warden('w1'), { ...base, checkAssigned: false, checkWardenId: null }, 'verify')).toBe(true);
  });

  it('a task given to one warden: only they (and operators) verify; the others still see the case', () => {
    const given = { ...base, checkAssigned: true, checkWardenId: 'w2' };
    expect(caseActionAllowed(warden('w2'), given, 'verify')).toBe(true);
    expect(caseActionAllowed(warden('w1'), given, 'verify')).toBe(false);
    expect(caseActionAllowed(warden('w1'), given, 'comment')).toBe(true);
    expect(caseVisible(warden('w1'), given)).toBe(true);
    expect(caseActionAllowed(operator, given, 'verify')).toBe(true);
  });

  it("the operator's task (none on duty): no warden verifies", () => {
    const fallback = { ...base, checkAssigned: true, checkWardenId: null };
    expect(caseActionAllowed(warden('w1'), fallback, 'verify')).toBe(false);
    expect(caseActionAllowed(operator, fallback, 'verify')).toBe(true);
  });

  it('the SQL form of verify names the task columns; what a warden sees is unchanged', () => {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    expect(caseActionSql(warden('w1'), 'verify', 'c', p)).toBe(
      '(CASE WHEN c.check_assigned THEN NULL ELSE c.grid_cell_code END = $1::text OR CASE WHEN c.check_assigned THEN c.check_warden_id END = $2::uuid)',
    );
    expect(params).toEqual(['410104001001001', 'w1']);
    expect(caseScopeSql(warden('w1'), 'c', () => '$x')).toBe('(c.grid_cell_code = $x::text OR c.reporter_id = $x::uuid)');
  });
});
