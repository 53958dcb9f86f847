import type { EvaluationCounts, EvaluationMetrics } from '@wangge/evaluation';

/** Column labels of the exports, Chinese and English. */
export interface Label {
  zh: string;
  en: string;
}

export const label = (l: Label): string => `${l.zh} ${l.en}`;

export const METRIC_LABELS: { key: keyof EvaluationMetrics; zh: string; en: string; kind: 'rate' | 'count' | 'hours' }[] = [
  { key: 'registrationRate', zh: '立案率', en: 'Registration rate', kind: 'rate' },
  { key: 'onTimeHandlingRate', zh: '按期处置率', en: 'On-time handling rate', kind: 'rate' },
  { key: 'closingRate', zh: '结案率', en: 'Closing rate', kind: 'rate' },
  { key: 'onTimeClosingRate', zh: '按期结案率', en: 'On-time closing rate', kind: 'rate' },
  { key: 'reworkRate', zh: '返工率', en: 'Rework rate', kind: 'rate' },
  { key: 'overdueRate', zh: '超期率', en: 'Overdue rate', kind: 'rate' },
  { key: 'extensionRate', zh: '延期率', en: 'Extension rate', kind: 'rate' },
  { key: 'overdueOpenCount', zh: '超期未处置数', en: 'Overdue open', kind: 'count' },
  { key: 'meanHandlingHours', zh: '平均处置时长(小时)', en: 'Mean handling hours', kind: 'hours' },
];

export const COUNT_LABELS: { key: keyof EvaluationCounts; zh: string; en: string }[] = [
  { key: 'reported', zh: '上报', en: 'Reported' },
  { key: 'registered', zh: '立案', en: 'Registered' },
  { key: 'registeredClosed', zh: '立案已结案', en: 'Registered and closed' },
  { key: 'dispatched', zh: '派遣', en: 'Dispatched' },
  { key: 'due', zh: '应处置', en: 'Due' },
  { key: 'resolvedOnTime', zh: '按期处置', en: 'Resolved on time' },
  { key: 'closedOnTime', zh: '按期结案', en: 'Closed on time' },
  { key: 'extended', zh: '延期', en: 'Extended' },
  { key: 'overdueOpen', zh: '超期未处置', en: 'Overdue open' },
  { key: 'exempted', zh: '申诉核减', en: 'Exempted by appeal' },
  { key: 'handled', zh: '处置完成', en: 'Handled' },
  { key: 'resolutions', zh: '处置次数', en: 'Resolutions' },
  { key: 'reworks', zh: '返工', en: 'Reworks' },
  { key: 'closed', zh: '结案', en: 'Closed' },
];

export const L = {
  rank: { zh: '排名', en: 'Rank' },
  change: { zh: '名次变化', en: 'Change' },
  previousRank: { zh: '上期排名', en: 'Previous rank' },
  score: { zh: '综合得分', en: 'Score' },
  chief: { zh: '路长', en: 'Road chief' },
  level: { zh: '级别', en: 'Level' },
  street: { zh: '街道', en: 'Street' },
  department: { zh: '部门', en: 'Department' },
  code: { zh: '编号', en: 'Code' },
  id: { zh: '标识', en: 'Id' },
  caseCode: { zh: '案卷编号', en: 'Case code' },
  category: { zh: '类别', en: 'Category' },
  community: { zh: '社区', en: 'Community' },
  assignee: { zh: '责任人', en: 'Assignee' },
  deadline: { zh: '处置时限', en: 'Deadline' },
  hoursOverdue: { zh: '超期(小时)', en: 'Hours overdue' },
  escalation: { zh: '升级', en: 'Escalation' },
  status: { zh: '状态', en: 'Status' },
  centre: { zh: '中心点', en: 'Centre' },
  cases: { zh: '案卷数', en: 'Cases' },
  recurrences: { zh: '反弹次数', en: 'Recurrences' },
  firstReport: { zh: '首次上报', en: 'First report' },
  lastReport: { zh: '最近上报', en: 'Last report' },
  gridCell: { zh: '网格', en: 'Grid cell' },
  caseCodes: { zh: '案卷', en: 'Case codes' },
  item: { zh: '项目', en: 'Item' },
  value: { zh: '数值', en: 'Value' },
  period: { zh: '周期', en: 'Period' },
  formula: { zh: '考核公式版本', en: 'Formula version' },
  weights: { zh: '权重', en: 'Weights' },
  generatedAt: { zh: '生成时间', en: 'Generated at' },
  revision: { zh: '版次', en: 'Revision' },
  totals: { zh: '全区概况', en: 'District totals' },
  chiefs: { zh: '路长排名', en: 'Road chief ranking' },
  streets: { zh: '街道排名', en: 'Street ranking' },
  departments: { zh: '部门排名', en: 'Department ranking' },
  overdue: { zh: '超期未处置案卷', en: 'Overdue open cases' },
  hotspots: { zh: '反弹热点', en: 'Recurrence hotspots' },
  none: { zh: '无', en: 'none' },
} satisfies Record<string, Label>;

/** A rate as a percentage with one decimal, '' when there is none. */
export function percent(value: number | null): string {
  return value === null ? '' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

/** A metric value as text for tables. */
export function metricText(kind: 'rate' | 'count' | 'hours', value: number | null): string {
  if (value === null) return '';
  if (kind === 'rate') return percent(value);
  if (kind === 'hours') return (Math.round(value * 10) / 10).toFixed(1);
  return String(value);
}

/** A score with two decimals, '' when there is none. */
export function scoreText(score: number | null): string {
  return score === null ? '' : score.toFixed(2);
}

/** An instant as local 'YYYY-MM-DD HH:MM' at the document's offset. */
export function localDateTime(iso: string, offsetMinutes: number): string {
  return new Date(new Date(iso).getTime() + offsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}
