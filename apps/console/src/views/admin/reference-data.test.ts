import { describe, expect, it } from 'vitest';
import { setLang } from '../../i18n';
import { calendarBody, calendarProblems, type CalendarRow } from './calendar';
import { groupCategories, type CategoryRecord } from './catalogue';
import { codeOf, localToday, standardBody } from './catalogue-forms';
import { deputyOptions, type ChiefRecord } from './chiefs';
import { formulaReady, weightsTotal } from './formulas';

describe('the formulas tab', () => {
  const weights = { onTimeHandlingRate: '30', closingRate: '20', reworkRate: '20', overdueRate: '20', extensionRate: '10' };
  it('adds the weights and is ready only at exactly 100 with a date', () => {
    expect(weightsTotal(weights)).toBe(100);
    expect(formulaReady(weights, '2027-01-01')).toBe(true);
    expect(formulaReady(weights, '')).toBe(false);
    expect(formulaReady({ ...weights, extensionRate: '11' }, '2027-01-01')).toBe(false);
    expect(formulaReady({ ...weights, closingRate: '-10', onTimeHandlingRate: '60' }, '2027-01-01')).toBe(false);
    expect(Number.isNaN(weightsTotal({ ...weights, reworkRate: '' }))).toBe(true);
    expect(formulaReady({ ...weights, reworkRate: '' }, '2027-01-01')).toBe(false);
    expect(formulaReady({ ...weights, closingRate: '12.5', reworkRate: '27.5' }, '2027-01-01')).toBe(true);
  });
});

describe('the calendar tab', () => {
  const row = (date: string, name = '假日', nameEn = ''): CalendarRow => ({ date, kind: 'holiday', name, nameEn });
  it('finds rows outside the year, twice listed or unnamed before saving', () => {
    setLang('en');
    expect(calendarProblems(2027, [row('2027-01-01'), row('2027-10-01')])).toEqual([]);
    expect(calendarProblems(2027, [row('2026-12-31'), row('2027-01-01'), row('2027-01-01', ' ')])).toEqual([
      '#1 2026-12-31: date not in the year',
      '#3 2027-01-01: date listed twice',
      '#3: name missing',
    ]);
    setLang('zh');
  });

  it('sends the rows by date, without an empty English name', () => {
    expect(calendarBody([row('2027-10-01', '国庆', 'National Day'), row('2027-01-01', ' 元旦 ')])).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-10-01', kind: 'holiday', name: '国庆', nameEn: 'National Day' },
    ]);
  });
});

describe('the catalogue tab', () => {
  const cat = (code: string, name: string): CategoryRecord => ({
    code,
    kind: code[0] === 'C' ? 'component' : 'event',
    major: { code: code.slice(1, 3), name: code[0] === 'C' ? '公用设施' : '市容环境', nameEn: 'x' },
    minor: { code: code.slice(3), name, nameEn: name },
    autoRegister: true,
    active: true,
    versionInForce: 1,
    standards: [],
  });
  it('groups by kind and major class in code order, and filters by code or name', () => {
    const list = [cat('E0102', '暴露垃圾'), cat('C0101', '上水井盖'), cat('E0101', '私搭乱建'), cat('C0201', '路灯')];
    expect(groupCategories(list).map((g) => [g.key, g.items.map((c) => c.code)])).toEqual([
      ['component-01', ['C0101']],
      ['component-02', ['C0201']],
      ['event-01', ['E0101', 'E0102']],
    ]);
    expect(groupCategories(list, '垃圾').flatMap((g) => g.items.map((c) => c.code))).toEqual(['E0102']);
    expect(groupCategories(list, 'c02').flatMap((g) => g.items.map((c) => c.code))).toEqual(['C0201']);
  });

  it('makes the code and the body of a version', () => {
    expect(codeOf('event', '01', '97')).toBe('E0197');
    expect(codeOf('component', '05', '01')).toBe('C0501');
    expect(localToday(new Date(2027, 0, 5, 23, 59))).toBe('2027-01-05');
    expect(standardBody('2027-01-05', [{ condition: ' 井盖缺失 ', conditionEn: 'missing', value: '2.5', clockType: 'urgent_hours', closingCondition: '已补齐', closingConditionEn: 'replaced' }])).toEqual({
      effectiveFrom: '2027-01-05',
      conditions: [{ condition: '井盖缺失', conditionEn: 'missing', timeLimit: { value: 2.5, clockType: 'urgent_hours' }, closingCondition: '已补齐', closingConditionEn: 'replaced' }],
    });
  });
});

describe('the chiefs tab', () => {
  const chief = (id: number, level: 1 | 2 | 3, name: string): ChiefRecord => ({
    id,
    username: `c${id}`,
    name,
    level,
    title: '',
    titleEn: '',
    available: true,
    unavailableReason: null,
    deputy: null,
    scopes: [],
  });
  it('offers every other chief as deputy, their own level first', () => {
    const all = [chief(1, 1, '甲'), chief(2, 3, '乙'), chief(3, 2, '丙'), chief(4, 3, '丁')];
    expect(deputyOptions(all[1], all).map((c) => c.id)).toEqual([4, 1, 3]);
  });
});
