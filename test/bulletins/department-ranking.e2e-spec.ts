import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '@wangge/bulletins';
import { EvaluationService } from '@wangge/evaluation';
import { must, startWorld, type World } from '../cases/helpers/workflow';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { craftCase, departmentLoop } from './crafted-cases';

/** Wall-clock instants in the district (UTC+8). */
const local = (text: string) => new Date(`${text}+08:00`);

const GAS_LEAK = 'E0403';
const GREEN_SPACE = 'C0405';

/**
 * The bulletins rank departments beside chiefs and streets (issue 18): two departments, one case
 * each on 2026-11-17 and 2026-11-18; on the 17th the gas company is late and the municipal bureau
 * on time, on the 18th the other way round (the bureau's case of the 18th still open past its
 * deadline). The daily summary of the 18th ranks the gas company first, up one place.
 */
describe('bulletins rank departments (real PG)', () => {
  let redis: RedisServer;
  let w: World;
  const GAS = { code: 'GAS', name: '燃气公司' };
  const CITY = { code: 'CITY', name: '市政局' };
  let doc: BulletinDocument;

  beforeAll(async () => {
    redis = await startRedisServer();
    w = await startWorld('bulletin-departments', { REDIS_URL: redis.url, SWEEP_INTERVAL_MS: '3600000' });
    must(await w.http.post('/api/v1/admin/departments', { ...GAS, categoryCodes: [GAS_LEAK] }, w.auth.admin), 201);
    must(await w.http.post('/api/v1/admin/departments', { ...CITY, categoryCodes: [GREEN_SPACE] }, w.auth.admin), 201);
    const craft = async (category: string, department: { code: string; name: string }, t0: Date, resolveAfterH: number | null) => {
      const p = await w.point('warden1');
      const l = departmentLoop(t0, department, resolveAfterH);
      await craftCase(w.db, { ...p, category, status: l.status, createdAt: t0, closedAt: l.closedAt, assigneeDepartmentCode: department.code, deadlineAt: l.deadlineAt, overdue: l.overdue, events: l.events });
    };
    await craft(GAS_LEAK, GAS, local('2026-11-17T10:00:00'), 3);
    await craft(GREEN_SPACE, CITY, local('2026-11-17T10:00:00'), 1);
    await craft(GAS_LEAK, GAS, local('2026-11-18T10:00:00'), 1);
    await craft(GREEN_SPACE, CITY, local('2026-11-18T10:00:00'), null);
    doc = must(await w.http.post<BulletinDocument>('/api/v1/bulletins/daily/2026-11-18/generate', {}, w.auth.leader), 201);
  });

  afterAll(async () => {
    await w?.close();
    await redis?.close();
  });

  it('ranks the departments with the engine’s numbers, the same formula version, and the change since the 17th', async () => {
    expect(doc.departments?.map((d) => [d.id, d.name, d.level, d.rank, d.previousRank, d.rankChange, d.movement])).toEqual([
      ['GAS', '燃气公司', null, 1, 2, 1, 'up'],
      ['CITY', '市政局', null, 2, 1, -1, 'down'],
    ]);
    const engine = w.app.app.get(EvaluationService, { strict: false });
    const report = await engine.evaluate({ from: new Date(doc.from), to: new Date(doc.to), groupBy: 'department', formulaVersion: doc.formula.version });
    expect(doc.departments?.map((d) => [d.id, d.rank, d.score, d.counts])).toEqual(report.rows.map((r) => [r.group.id, r.rank, r.score, r.counts]));
    const gas = doc.departments!.find((d) => d.id === 'GAS')!;
    const city = doc.departments!.find((d) => d.id === 'CITY')!;
    expect([gas.counts.resolvedOnTime, gas.counts.closed, city.counts.overdueOpen]).toEqual([1, 1, 1]);
    // The departments' cases are no chief's: the chiefs' ranking holds none of them.
    expect(doc.chiefs).toEqual([]);
  });

  it('carries the ranking into the CSV, the XLSX and the HTML', async () => {
    const download = async (ext: string) => fetch(`${w.app.baseUrl}/api/v1/bulletins/daily/2026-11-18.${ext}`, { headers: { authorization: w.auth.leader } });
    const records: string[][] = parse(await (await download('csv')).text(), { bom: true, relax_column_count: true, skip_empty_lines: true });
    const start = records.findIndex((r) => r[0] === 'section' && r[1] === 'departments');
    const header = records[start + 1];
    expect(records.slice(start + 2, start + 4).map((r) => [r[header.indexOf('编号 Code')], r[header.indexOf('排名 Rank')], r[header.indexOf('名次变化 Change')]])).toEqual([
      ['GAS', '1', '1'],
      ['CITY', '2', '-1'],
    ]);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await (await download('xlsx')).arrayBuffer()) as never);
    const sheet = book.getWorksheet('部门 Departments')!;
    expect([sheet.getRow(2).getCell(4).value, sheet.getRow(2).getCell(1).value, sheet.getRow(3).getCell(4).value]).toEqual(['GAS', 1, 'CITY']);

    const html = await (await download('html')).text();
    const section = html.slice(html.indexOf('<section id="departments">'), html.indexOf('<section id="overdue">'));
    expect(section).toContain('部门排名 Department ranking');
    expect(section.indexOf('燃气公司')).toBeGreaterThan(0);
    expect(section.indexOf('燃气公司')).toBeLessThan(section.indexOf('市政局'));
  });
});
