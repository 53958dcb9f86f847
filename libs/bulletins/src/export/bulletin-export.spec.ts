import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { EvaluationCounts, EvaluationMetrics, EvaluationReport, EvaluationRow } from '@wangge/evaluation';
import { buildBulletinDocument } from '../bulletin-document';
import { parsePeriod, previousPeriod } from '../bulletin-period';
import { OVERDUE_LIST_LIMIT, type OverdueCase } from '../bulletin.types';
import { bulletinCsv } from './bulletin-csv';
import { bulletinHtml } from './bulletin-html';

const counts = (n: number): EvaluationCounts => ({
  reported: n,
  registered: n,
  registeredClosed: n,
  closed: n,
  dispatched: n,
  due: n,
  resolvedOnTime: n,
  closedOnTime: n,
  extended: 0,
  overdueOpen: 0,
  exempted: 0,
  handled: n,
  resolutions: n,
  reworks: 0,
  handlingHours: n,
});
const metrics = (rate: number | null): EvaluationMetrics => ({
  registrationRate: rate,
  onTimeHandlingRate: rate,
  closingRate: rate,
  onTimeClosingRate: rate,
  reworkRate: 0,
  overdueRate: rate === null ? null : 1 - rate,
  extensionRate: 0,
  overdueOpenCount: 0,
  meanHandlingHours: 1.5,
});
const row = (id: string, name: string, rank: number, score: number | null): EvaluationRow => ({
  group: { kind: 'chief', id, name, level: 3 },
  counts: counts(2),
  metrics: metrics(score === null ? null : score / 100),
  supervision: { supervised: 0, handledOnTime: 0, onTimeRate: null },
  suspended: 0,
  satisfaction: { feedback: 0, satisfied: 0, rate: null },
  score,
  rank,
});
const dept = (code: string, name: string, rank: number, score: number): EvaluationRow => ({ ...row(code, name, rank, score), group: { kind: 'department', id: code, name, level: null } });
const report = (rows: EvaluationRow[]): EvaluationReport => ({
  formula: { version: 3, weights: { onTimeHandlingRate: 30, closingRate: 20, reworkRate: 20, overdueRate: 20, extensionRate: 10 }, effectiveFrom: new Date('2026-01-01T00:00:00Z'), note: null },
  period: { from: new Date(0), to: new Date(0) },
  groupBy: 'chief',
  scope: {},
  generatedAt: new Date(0),
  rows,
  totals: { counts: counts(4), metrics: metrics(0.75), supervision: { supervised: 2, handledOnTime: 1, onTimeRate: 0.5 }, suspended: 1, satisfaction: { feedback: 4, satisfied: 3, rate: 0.75 }, score: 75 },
});
const overdue = (n: number): OverdueCase => ({
  id: `id-${n}`,
  code: `410104-20261118-${String(n).padStart(6, '0')}`,
  status: 'dispatched',
  category: { code: 'C0101', name: '上水井盖' },
  street: { code: '410104001', name: '北下街街道' },
  community: { code: '410104001001', name: '社区' },
  assignee: { id: 7, name: '张三', level: 3 },
  escalationLevel: 1,
  deadlineAt: new Date(Date.UTC(2026, 10, 18, 4, n)).toISOString(),
  hoursOverdue: 12,
});

function document(overdueCases: OverdueCase[]) {
  const period = parsePeriod('daily', '2026-11-18', 480);
  return buildBulletinDocument({
    id: 'b1',
    period,
    previous: previousPeriod(period, 480),
    revision: 1,
    timeZone: 'Asia/Shanghai',
    generatedAt: new Date('2026-11-19T00:05:00Z'),
    trigger: 'schedule',
    generatedBy: null,
    // A name a spreadsheet would run as a formula, and one HTML would run as markup.
    chiefs: report([row('7', '=HYPERLINK("http://x")', 1, 90), row('8', '<script>alert(1)</script>', 2, 60), row('9', '李四, "老李"', 3, null)]),
    streets: report([]),
    previousChiefs: report([row('8', 'b', 1, 80), row('7', 'a', 2, 70)]),
    previousStreets: report([]),
    departments: report([dept('GAS', '燃气公司', 1, 95), dept('CITY', '市政局', 2, 40)]),
    previousDepartments: report([dept('CITY', '市政局', 1, 70), dept('GAS', '燃气公司', 2, 50)]),
    overdue: overdueCases,
    hotspots: [],
    hotspotSettings: { radiusM: 50, windowDays: 30 },
  });
}

describe('bulletin document and exports (over a report built here)', () => {
  it('ranks with changes and records the formula', () => {
    const doc = document([]);
    expect(doc.formula.version).toBe(3);
    expect(doc.chiefs.map((c) => [c.id, c.rank, c.previousRank, c.rankChange, c.movement])).toEqual([
      ['7', 1, 2, 1, 'up'],
      ['8', 2, 1, -1, 'down'],
      ['9', 3, null, null, 'new'],
    ]);
  });

  it('ranks departments beside chiefs and streets, with their changes, in the CSV and the HTML', () => {
    const doc = document([]);
    expect(doc.departments?.map((d) => [d.id, d.name, d.level, d.rank, d.previousRank, d.rankChange])).toEqual([
      ['GAS', '燃气公司', null, 1, 2, 1],
      ['CITY', '市政局', null, 2, 1, -1],
    ]);
    const records: string[][] = parse(bulletinCsv(doc), { bom: true, relax_column_count: true, skip_empty_lines: true });
    const start = records.findIndex((r) => r[0] === 'section' && r[1] === 'departments');
    expect(records[start][2]).toBe('部门排名 Department ranking');
    const header = records[start + 1];
    expect(header).toContain('部门 Department');
    const rows = records.slice(start + 2, start + 4);
    expect(rows.map((r) => [r[header.indexOf('编号 Code')], r[header.indexOf('部门 Department')], r[header.indexOf('名次变化 Change')]])).toEqual([
      ['GAS', '燃气公司', '1'],
      ['CITY', '市政局', '-1'],
    ]);
    const html = bulletinHtml(doc, 480);
    const section = html.slice(html.indexOf('<section id="departments">'), html.indexOf('<section id="overdue">'));
    expect(section).toContain('部门排名 Department ranking');
    expect(section.indexOf('燃气公司')).toBeLessThan(section.indexOf('市政局'));
    expect(section).toContain('↑1');
  });

  it('lists at most OVERDUE_LIST_LIMIT overdue cases, and counts them all', () => {
    const doc = document(Array.from({ length: OVERDUE_LIST_LIMIT + 20 }, (_, i) => overdue(i)));
    expect(doc.overdue).toHaveLength(OVERDUE_LIST_LIMIT);
    expect(doc.overdueCount).toBe(OVERDUE_LIST_LIMIT + 20);
    expect(bulletinHtml(doc, 480)).toContain(`(${OVERDUE_LIST_LIMIT + 20})`);
  });

  it('CSV: quotes, defuses formulas, keeps the JSON values', () => {
    const doc = document([overdue(1)]);
    const text = bulletinCsv(doc);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n');
    const records: string[][] = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
    const start = records.findIndex((r) => r[0] === 'section' && r[1] === 'chiefs');
    const header = records[start + 1];
    const rows = records.slice(start + 2, start + 2 + 3);
    const name = header.indexOf('路长 Road chief');
    expect(rows.map((r) => r[name])).toEqual([`'=HYPERLINK("http://x")`, '<script>alert(1)</script>', '李四, "老李"']);
    expect(rows.map((r) => r[header.indexOf('名次变化 Change')])).toEqual(['1', '-1', '']);
    expect(rows.map((r) => r[header.indexOf('按期处置率 On-time handling rate')])).toEqual(['0.9', '0.6', '']);
    expect(rows.map((r) => r[header.indexOf('综合得分 Score')])).toEqual(['90', '60', '']);
  });

  it('HTML: escapes every text, no script, ranks in order with marks', () => {
    const html = bulletinHtml(document([overdue(1)]), 480);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('李四, &quot;老李&quot;');
    expect(html.indexOf('HYPERLINK')).toBeLessThan(html.indexOf('&lt;script&gt;'));
    expect(html).toContain('↑1');
    expect(html).toContain('↓1');
    expect(html).toContain('新 new');
    expect(html).toContain('2026-11-18 12:01'); // the deadline in local time
    expect(html).toContain('90.0%');
  });
});
