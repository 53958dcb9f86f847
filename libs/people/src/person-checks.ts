import type { EntityManager } from 'typeorm';
import { personChangeRefusal, type PeopleJurisdiction } from '@wangge/auth';
import type { DepartmentDirectory } from '@wangge/chiefs';
import type { Role } from '@wangge/domain';
import type { GridDirectory } from '@wangge/geo';
import type { FieldProblem } from '@wangge/operations';
import { PeopleError } from './people-error';

/** What an account would be after a change: the fields that jurisdiction and cells depend on. */
export interface PersonDraft {
  role: Role;
  streetCode: string | null;
  cells: readonly string[];
  /** Create only: the road-chief post the account takes. */
  chiefId?: number | null;
}

/**
 * The department of an account (domain.md 9): role department belongs to one active department,
 * every other role to none. Problems name the field `departmentCode`.
 */
export async function departmentProblems(departments: DepartmentDirectory, tx: EntityManager, role: Role, departmentCode: string | null): Promise<FieldProblem[]> {
  const field = 'departmentCode';
  if (role !== 'department') {
    return departmentCode === null ? [] : [{ field, problem: 'only role department belongs to a department / 只有部门人员可属于部门' }];
  }
  if (departmentCode === null) return [{ field, problem: 'a department member belongs to a department: give departmentCode / 部门人员须指定所属部门' }];
  if (!(await departments.isActive(tx, departmentCode))) return [{ field, problem: `no active department ${departmentCode} / 部门不存在或已停用: ${departmentCode}` }];
  return [];
}

/** The rules of a draft alone, before any lookup: 400 problems. */
export function draftProblems(draft: PersonDraft, creating: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (draft.role === 'warden' && draft.streetCode === null) {
    problems.push({ field: 'streetCode', problem: 'a warden belongs to a street: give streetCode / 网格员须属于一个街道' });
  }
  if (draft.cells.length > 0 && draft.role !== 'warden') {
    problems.push({ field: 'cells', problem: 'only wardens patrol cells / 只有网格员可分配网格' });
  }
  if (draft.chiefId != null && draft.role !== 'chief') {
    problems.push({ field: 'chiefId', problem: 'a road-chief post goes to an account of role chief / 路长岗位只能给路长账号' });
  }
  if (creating && draft.role === 'chief' && draft.chiefId == null) {
    problems.push({
      field: 'chiefId',
      problem: 'a road chief account takes an existing road-chief post (from chiefs.csv): give chiefId / 路长账号须对应已有的路长岗位 (chiefId)',
    });
  }
  return problems;
}

/**
 * Checks a draft against the database and the admin's jurisdiction, in this order: its own rules
 * and unknown streets or cells (400), then what the admin may not do (403), then cells outside the
 * warden's street (400). Throws; returns nothing when the draft may be written.
 */
export async function checkDraft(grid: GridDirectory, j: PeopleJurisdiction, draft: PersonDraft, creating: boolean, manager: EntityManager): Promise<void> {
  const problems = draftProblems(draft, creating);
  if (draft.streetCode !== null) {
    const streets = await grid.streets(manager);
    if (!streets.some((s) => s.code === draft.streetCode)) {
      problems.push({ field: 'streetCode', problem: `no street ${draft.streetCode} in this district / 本区没有街道 ${draft.streetCode}` });
    }
  }
  const cellStreets = await grid.liveCells(draft.cells, manager);
  const unknown = draft.cells.filter((c) => !cellStreets.has(c));
  if (unknown.length > 0) {
    problems.push({ field: 'cells', problem: `no live grid cell ${unknown.join(', ')} (unknown or retired) / 网格不存在或已撤销: ${unknown.join(', ')}` });
  }
  if (problems.length > 0) throw PeopleError.badInput(problems);
  const refusal = personChangeRefusal(j, { role: draft.role, streetCode: draft.streetCode, cellStreets, chiefId: draft.chiefId });
  if (refusal) throw new PeopleError('out_of_jurisdiction', refusal.reason, { field: refusal.field });
  const outside = draft.cells.filter((c) => cellStreets.get(c) !== draft.streetCode);
  if (outside.length > 0) {
    const problem = `cells ${outside.join(', ')} lie outside the warden's street ${draft.streetCode} / 网格不在该网格员所属街道内`;
    throw PeopleError.badInput([{ field: 'cells', problem }]);
  }
}
