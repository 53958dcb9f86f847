import type { BulletinDocument, RankedGroup } from '../bulletin.types';
import { COUNT_LABELS, L, METRIC_LABELS, type Label } from './labels';

/** How a column's values are shown: raw in CSV, typed cells in XLSX, formatted in HTML. */
export type ColumnType = 'text' | 'integer' | 'number' | 'rate' | 'hours' | 'datetime';

export interface Column {
  key: string;
  label: Label;
  type: ColumnType;
}

export type Cell = string | number | null;

/** Who a ranking ranks. */
export type RankingKind = 'chief' | 'street' | 'department';

export interface Section {
  /** The bulletin's own sections, or `contributed:<id>` for a section of a lib above bulletins. */
  id: 'summary' | 'totals' | 'chiefs' | 'streets' | 'departments' | 'overdue' | 'hotspots' | `contributed:${string}`;
  title: Label;
  columns: Column[];
  rows: Cell[][];
}

/**
 * The document as the tables every export shows, in one place, so the CSV, the XLSX and the HTML
 * page carry the same numbers as the JSON. Values are the document's own (rates as fractions
 * 0..1, instants as ISO text); each export only formats them.
 */
export function bulletinSections(doc: BulletinDocument): Section[] {
  const metricColumns: Column[] = METRIC_LABELS.map((m) => ({
    key: `metrics.${m.key}`,
    label: { zh: m.zh, en: m.en },
    type: m.kind === 'rate' ? 'rate' : m.kind === 'hours' ? 'hours' : 'integer',
  }));
  const countColumns: Column[] = COUNT_LABELS.map((c) => ({ key: `counts.${c.key}`, label: { zh: c.zh, en: c.en }, type: 'integer' }));
  const rankingColumns = (who: RankingKind): Column[] => [
    { key: 'rank', label: L.rank, type: 'integer' },
    { key: 'previousRank', label: L.previousRank, type: 'integer' },
    { key: 'rankChange', label: L.change, type: 'integer' },
    { key: 'id', label: who === 'chief' ? L.id : L.code, type: 'text' },
    { key: 'name', label: L[who], type: 'text' },
    ...(who === 'chief' ? [{ key: 'level', label: L.level, type: 'integer' as const }] : []),
    { key: 'score', label: L.score, type: 'number' },
    ...metricColumns,
    ...countColumns,
  ];
  const rankingRow = (who: RankingKind, g: RankedGroup): Cell[] => [
    g.rank,
    g.previousRank,
    g.rankChange,
    g.id,
    g.name,
    ...(who === 'chief' ? [g.level] : []),
    g.score,
    ...METRIC_LABELS.map((m) => g.metrics[m.key]),
    ...COUNT_LABELS.map((c) => g.counts[c.key]),
  ];
  const w = doc.formula.weights;
  return [
    {
      id: 'summary',
      title: { zh: '通报信息', en: 'Bulletin' },
      columns: [
        { key: 'item', label: L.item, type: 'text' },
        { key: 'value', label: L.value, type: 'text' },
      ],
      rows: [
        ['title', `${doc.title.zh} / ${doc.title.en}`],
        ['kind', doc.kind],
        ['period', doc.period],
        ['firstDay', doc.firstDay],
        ['lastDay', doc.lastDay],
        ['from', doc.from],
        ['to', doc.to],
        ['timeZone', doc.timeZone],
        ['revision', String(doc.revision)],
        ['formulaVersion', String(doc.formula.version)],
        [
          'weights',
          `onTimeHandlingRate ${w.onTimeHandlingRate}, closingRate ${w.closingRate}, reworkRate ${w.reworkRate}, overdueRate ${w.overdueRate}, extensionRate ${w.extensionRate}`,
        ],
        ['generatedAt', doc.generatedAt],
        ['trigger', doc.trigger],
        ['generatedBy', doc.generatedBy ? doc.generatedBy.name : ''],
        ['previousPeriod', doc.previousPeriod],
        ['overdueCount', String(doc.overdueCount)],
        ['supervised 督办件', String(doc.totals.supervision?.supervised ?? 0)],
        ['supervisedOnTime 督办件按期办结', String(doc.totals.supervision?.handledOnTime ?? 0)],
        ['feedback 市民评价', String(doc.totals.satisfaction?.feedback ?? 0)],
        ['satisfied 满意', String(doc.totals.satisfaction?.satisfied ?? 0)],
        ['satisfactionRate 满意率', doc.totals.satisfaction?.rate == null ? '' : String(Math.round(doc.totals.satisfaction.rate * 10000) / 10000)],
        ['hotspotRadiusM', String(doc.hotspotSettings.radiusM)],
        ['hotspotWindowDays', String(doc.hotspotSettings.windowDays)],
      ],
    },
    {
      id: 'totals',
      title: L.totals,
      columns: [{ key: 'score', label: L.score, type: 'number' }, ...metricColumns, ...countColumns],
      rows: [[doc.totals.score, ...METRIC_LABELS.map((m) => doc.totals.metrics[m.key]), ...COUNT_LABELS.map((c) => doc.totals.counts[c.key])]],
    },
    { id: 'chiefs', title: L.chiefs, columns: rankingColumns('chief'), rows: doc.chiefs.map((g) => rankingRow('chief', g)) },
    { id: 'streets', title: L.streets, columns: rankingColumns('street'), rows: doc.streets.map((g) => rankingRow('street', g)) },
    { id: 'departments', title: L.departments, columns: rankingColumns('department'), rows: (doc.departments ?? []).map((g) => rankingRow('department', g)) },
    {
      id: 'overdue',
      title: L.overdue,
      columns: [
        { key: 'code', label: L.caseCode, type: 'text' },
        { key: 'category.code', label: L.category, type: 'text' },
        { key: 'category.name', label: { zh: '类别名称', en: 'Category name' }, type: 'text' },
        { key: 'street.name', label: L.street, type: 'text' },
        { key: 'community.name', label: L.community, type: 'text' },
        { key: 'assignee.name', label: L.assignee, type: 'text' },
        { key: 'assignee.level', label: L.level, type: 'integer' },
        { key: 'status', label: L.status, type: 'text' },
        { key: 'deadlineAt', label: L.deadline, type: 'datetime' },
        { key: 'hoursOverdue', label: L.hoursOverdue, type: 'hours' },
        { key: 'escalationLevel', label: L.escalation, type: 'integer' },
      ],
      rows: doc.overdue.map((o) => [
        o.code,
        o.category.code,
        o.category.name,
        o.street.name,
        o.community.name,
        o.assignee?.name ?? null,
        o.assignee?.level ?? null,
        o.status,
        o.deadlineAt,
        o.hoursOverdue,
        o.escalationLevel,
      ]),
    },
    {
      id: 'hotspots',
      title: L.hotspots,
      columns: [
        { key: 'id', label: L.id, type: 'text' },
        { key: 'category.code', label: L.category, type: 'text' },
        { key: 'category.name', label: { zh: '类别名称', en: 'Category name' }, type: 'text' },
        { key: 'caseCount', label: L.cases, type: 'integer' },
        { key: 'recurrences', label: L.recurrences, type: 'integer' },
        { key: 'street.name', label: L.street, type: 'text' },
        { key: 'gridCell.code', label: L.gridCell, type: 'text' },
        { key: 'centre.lng', label: { zh: '经度', en: 'Longitude' }, type: 'number' },
        { key: 'centre.lat', label: { zh: '纬度', en: 'Latitude' }, type: 'number' },
        { key: 'firstReportedAt', label: L.firstReport, type: 'datetime' },
        { key: 'lastReportedAt', label: L.lastReport, type: 'datetime' },
        { key: 'cases', label: L.caseCodes, type: 'text' },
      ],
      rows: doc.hotspots.map((h) => [
        h.id,
        h.category.code,
        h.category.name,
        h.caseCount,
        h.recurrences,
        h.street.name,
        h.gridCell.code,
        h.centre.lng,
        h.centre.lat,
        h.firstReportedAt,
        h.lastReportedAt,
        h.cases.map((c) => c.code).join(' '),
      ]),
    },
    ...(doc.contributed ?? []).map(
      (c): Section => ({
        id: `contributed:${c.id}`,
        title: c.title,
        columns: [
          { key: 'key', label: L.item, type: 'text' },
          { key: 'label', label: { zh: '指标', en: 'Figure' }, type: 'text' },
          { key: 'value', label: L.value, type: 'integer' },
        ],
        rows: c.figures.map((f) => [f.key, `${f.label.zh} ${f.label.en}`, f.value]),
      }),
    ),
  ];
}

/** A file name for a download: `bulletin-daily-2026-11-29-r1.csv`. */
export function bulletinFileName(doc: Pick<BulletinDocument, 'kind' | 'period' | 'revision'>, ext: string): string {
  return `bulletin-${doc.kind}-${doc.period}-r${doc.revision}.${ext}`;
}
