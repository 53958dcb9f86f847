import { describe, expect, it } from 'vitest';
import { createBody, fieldsOf, patchBody, peopleQuery, toggleCell, type PersonDetail } from './people-model';

const warden: PersonDetail = {
  id: 'u1',
  username: 'wang.wu',
  name: '王五',
  phone: null,
  role: 'warden',
  streetCode: '410104001',
  active: true,
  cells: ['410104001001002', '410104001001001'],
  chiefId: null,
  departmentCode: null,
  cellsBbox: null,
};

describe('people tab model', () => {
  it('puts only the set filters in the query', () => {
    expect(peopleQuery({ role: '', street: '', active: '', q: '' })).toBe('');
    expect(peopleQuery({ role: 'warden', street: '410104001', active: 'false', q: ' 王 ' })).toBe('?role=warden&street=410104001&active=false&q=%E7%8E%8B');
  });

  it('creates with cells for wardens only and without empty optional fields', () => {
    const f = { ...fieldsOf(null, { streetCode: '410104001' }), username: ' li ', name: '李', cells: ['410104001001003', '410104001001001'] };
    expect(createBody(f)).toEqual({ username: 'li', name: '李', role: 'warden', streetCode: '410104001', cells: ['410104001001001', '410104001001003'] });
    expect(createBody({ ...f, role: 'operator', streetCode: '' })).toEqual({ username: 'li', name: '李', role: 'operator' });
  });

  it('patches only what changed; cells are cleared when a warden stops being one', () => {
    const f = fieldsOf(warden, { streetCode: null });
    expect(patchBody(warden, f)).toEqual({});
    expect(patchBody(warden, { ...f, name: '王五五', phone: '138' })).toEqual({ name: '王五五', phone: '138' });
    expect(patchBody(warden, { ...f, cells: toggleCell(f.cells, '410104001001003') })).toEqual({ cells: ['410104001001001', '410104001001002', '410104001001003'] });
    expect(patchBody(warden, { ...f, role: 'operator', streetCode: '' })).toEqual({ role: 'operator', streetCode: null, cells: [] });
  });

  it("names a department for its members only, and moves a member between departments", () => {
    const f = { ...fieldsOf(null, { streetCode: null }), username: 'gas1', name: '李工', role: 'department' as const, departmentCode: 'GAS' };
    expect(createBody(f)).toEqual({ username: 'gas1', name: '李工', role: 'department', departmentCode: 'GAS' });
    expect(createBody({ ...f, role: 'operator' })).toEqual({ username: 'gas1', name: '李工', role: 'operator' });
    const member: PersonDetail = { ...warden, role: 'department', streetCode: null, cells: [], departmentCode: 'GAS' };
    expect(patchBody(member, fieldsOf(member, { streetCode: null }))).toEqual({});
    expect(patchBody(member, { ...fieldsOf(member, { streetCode: null }), departmentCode: 'PARKS' })).toEqual({ departmentCode: 'PARKS' });
    expect(patchBody(warden, { ...fieldsOf(warden, { streetCode: null }), role: 'department', departmentCode: 'GAS', cells: [] })).toEqual({ role: 'department', departmentCode: 'GAS', cells: [] });
  });

  it('toggles a clicked cell in and out, in code order', () => {
    expect(toggleCell(['b', 'd'], 'c')).toEqual(['b', 'c', 'd']);
    expect(toggleCell(['b', 'c', 'd'], 'c')).toEqual(['b', 'd']);
  });
});
