import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPeopleCsv } from '@wangge/people';
import { startPeopleWorld, type PeopleWorld } from './people-helpers';

type Rejected = { error?: string; details?: { field: string; problem: string }[] };

/**
 * The people CSV carries the department of a department member (domain.md 9): the import checks the
 * code (an unknown one refuses the file, naming the row and the column, and writes nothing), the
 * export writes it, and an exported file imports into another district's database as the same people.
 */
describe('people CSV with departments: import, export, round trip', () => {
  let w: PeopleWorld;
  let other: PeopleWorld;
  let street: string;
  let cells: string[];
  let file: string;

  const department = (at: PeopleWorld) => at.http.post('/api/v1/admin/departments', { code: 'GAS', name: '燃气公司', categoryCodes: ['E0403'] }, at.admin);
  const exported = async (at: PeopleWorld, query: string) => {
    const res = await fetch(`${at.app.baseUrl}/api/v1/admin/users/export.csv?${query}`, { headers: { authorization: at.admin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    // As written (fetch's text() would drop the byte-order mark).
    return Buffer.from(await res.arrayBuffer()).toString('utf8');
  };
  const rowsOf = (csv: string) => readPeopleCsv(csv).lines.map(({ line: _line, ...person }) => person);

  beforeAll(async () => {
    w = await startPeopleWorld('people-csv');
    other = await startPeopleWorld('people-csv-2');
    street = (await w.db.query(`SELECT code FROM street ORDER BY code LIMIT 1`)).rows[0].code;
    cells = await w.freeCells(street, 2);
    expect((await department(w)).status).toBe(201);
    expect((await department(other)).status).toBe(201);
  });
  afterAll(async () => {
    await w?.close();
    await other?.close();
  });

  it('refuses an unknown department code, a department member without one and another role with one, naming the row and the column; writes nothing', async () => {
    const before = (await w.db.query(`SELECT count(*)::int AS n FROM app_user`)).rows[0].n;
    const bad = [
      'username,name,phone,role,street,cells,department',
      'csv.gas1,燃气一,,department,,,NOPE',
      'csv.gas2,燃气二,,department,,,',
      'csv.op,值班员,,operator,,,GAS',
      'csv.ok,好人,,department,,,GAS',
    ].join('\n');
    const res = await w.http.post<Rejected>('/api/v1/admin/users/import', { content: bad }, w.admin);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('import_rejected');
    expect(res.body.details?.map((d) => d.field)).toEqual(['line 2 (csv.gas1)', 'line 3 (csv.gas2)', 'line 4 (csv.op)']);
    expect(res.body.details?.[0].problem).toMatch(/^department: no active department NOPE/);
    expect(res.body.details?.[1].problem).toMatch(/^department: a department member belongs to a department/);
    expect(res.body.details?.[2].problem).toMatch(/^department: only role department belongs to a department/);
    expect((await w.db.query(`SELECT count(*)::int AS n FROM app_user`)).rows[0].n).toBe(before);
  });

  it('imports department members with their department; a file without the department column still imports', async () => {
    file = [
      'username,name,phone,role,street,cells,department',
      'csv.gas1,燃气一,13800000021,department,,,GAS',
      `csv.warden,"网格员, 甲",,warden,${street},${cells.join(';')},`,
      'csv.op,=值班员,+86 371 000,operator,,,',
    ].join('\r\n');
    const res = await w.http.post<{ created: { username: string; departmentCode: string | null }[] }>('/api/v1/admin/users/import', { content: file }, w.admin);
    expect(res.status).toBe(201);
    expect(res.body.created.map((c) => [c.username, c.departmentCode])).toEqual([
      ['csv.gas1', 'GAS'],
      ['csv.warden', null],
      ['csv.op', null],
    ]);
    expect((await w.db.query(`SELECT department_code FROM app_user WHERE username = 'csv.gas1'`)).rows[0].department_code).toBe('GAS');
    const old = await w.http.post('/api/v1/admin/users/import', { content: 'username,name,phone,role,street,cells\ncsv.old,旧格式,,leader,,' }, w.admin);
    expect(old.status).toBe(201);
  });

  it('exports the people with a department column (road chiefs left out), and the export imports elsewhere as the same people', async () => {
    const csv = await exported(w, 'q=csv.');
    expect(csv.startsWith('\uFEFFusername,name,phone,role,street,cells,department\r\n')).toBe(true);
    // The formula-looking name is guarded in the file, and read back as written.
    expect(csv).toContain(`'=值班员`);
    const people = rowsOf(csv);
    expect(readPeopleCsv(csv).problems).toEqual([]);
    expect(people).toEqual(
      expect.arrayContaining([
        { username: 'csv.gas1', name: '燃气一', phone: '13800000021', role: 'department', street: null, cells: [], department: 'GAS' },
        { username: 'csv.warden', name: '网格员, 甲', phone: null, role: 'warden', street, cells: [...cells].sort(), department: null },
        { username: 'csv.op', name: '=值班员', phone: '+86 371 000', role: 'operator', street: null, cells: [], department: null },
        { username: 'csv.old', name: '旧格式', phone: null, role: 'leader', street: null, cells: [], department: null },
      ]),
    );
    expect(people).toHaveLength(4);
    expect(rowsOf(await exported(w, 'role=chief'))).toEqual([]);
    expect(rowsOf(await exported(w, 'role=department')).map((p) => p.username)).toEqual(['csv.gas1']);

    // Another database (the same demo district, the same department code) takes the file as it is.
    const again = await other.http.post<{ created: { username: string }[] }>('/api/v1/admin/users/import', { content: csv }, other.admin);
    expect(again.status).toBe(201);
    expect(rowsOf(await exported(other, 'q=csv.'))).toEqual(people);
  });

  it('exports for admins only', async () => {
    const res = await fetch(`${w.app.baseUrl}/api/v1/admin/users/export.csv`, { headers: { authorization: await w.bearer('leader') } });
    expect(res.status).toBe(403);
  });
});
