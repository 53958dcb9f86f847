import { describe, expect, it } from 'vitest';
import { readPeopleCsv, writePeopleCsv } from './people-csv';

describe('people CSV', () => {
  it('reads rows in any column order, cells split by ; or spaces, a BOM and CRLF', () => {
    const text = '\uFEFFname,username,role,street,cells,phone\r\n张三,zhang.san,warden,410104001,410104001001001;410104001001002  410104001001003,13800000001\r\n李四,li.si,operator,,,\r\n';
    const { lines, problems } = readPeopleCsv(text);
    expect(problems).toEqual([]);
    expect(lines).toEqual([
      { line: 2, username: 'zhang.san', name: '张三', phone: '13800000001', role: 'warden', street: '410104001', cells: ['410104001001001', '410104001001002', '410104001001003'], department: null },
      { line: 3, username: 'li.si', name: '李四', phone: null, role: 'operator', street: null, cells: [], department: null },
    ]);
  });

  it('lists every bad row with all its problems', () => {
    const text = [
      'username,name,phone,role,street,cells',
      'ok.one,好人,,warden,410104001,410104001001001',
      'x,,abc,boss,,12',
      'ok.one,重名,,operator,,',
      'chief.new,路长,,chief,,',
    ].join('\n');
    const { problems } = readPeopleCsv(text);
    expect(problems).toHaveLength(3);
    expect(problems[0].field).toBe('line 3 (x)');
    expect(problems[0].problem).toMatch(/username must be.*name must be.*phone must be.*role must be.*cells must be 15-digit/);
    expect(problems[1]).toEqual({ field: 'line 4 (ok.one)', problem: 'username ok.one is also on line 2' });
    expect(problems[2].problem).toMatch(/chiefs come from chiefs.csv/);
  });

  it('refuses a wrong header, an empty file and invalid CSV as a whole', () => {
    expect(readPeopleCsv('username,name,role\nzhang,张,warden').problems[0]).toMatchObject({ field: 'line 1', problem: expect.stringMatching(/missing column phone, street, cells/) });
    expect(readPeopleCsv('username,name,phone,role,street,cells,extra\n').problems[0].problem).toMatch(/unknown column extra/);
    expect(readPeopleCsv('').problems[0].problem).toMatch(/empty file/);
    expect(readPeopleCsv('username,name,phone,role,street,cells\n').problems[0].problem).toMatch(/no people/);
    expect(readPeopleCsv('username,name,phone,role,street,cells\n"zhang,张').problems[0].problem).toMatch(/not valid CSV/);
  });

  it('reads the department column (optional) and reads back what it writes, formula guards included', () => {
    const rows = [
      { username: 'gas.one', name: '燃气, "一"', phone: '+86 371', role: 'department' as const, streetCode: null, cells: [], departmentCode: 'GAS' },
      { username: 'w.one', name: '=SUM(1)', phone: null, role: 'warden' as const, streetCode: '410104001', cells: ['410104001001001', '410104001001002'], departmentCode: null },
    ];
    const text = writePeopleCsv(rows);
    expect(text).toContain(`'=SUM(1)`);
    const { lines, problems } = readPeopleCsv(text);
    expect(problems).toEqual([]);
    expect(lines.map(({ line: _l, ...p }) => p)).toEqual([
      { username: 'gas.one', name: '燃气, "一"', phone: '+86 371', role: 'department', street: null, cells: [], department: 'GAS' },
      { username: 'w.one', name: '=SUM(1)', phone: null, role: 'warden', street: '410104001', cells: ['410104001001001', '410104001001002'], department: null },
    ]);
    expect(readPeopleCsv('username,name,phone,role,street,cells\nli.si,李四,,operator,,').lines[0].department).toBeNull();
  });
});
