import type { BulletinDocument, RankedGroup } from '../bulletin.types';
import { movementMark } from '../rank-change';
import { bulletinSections, type Cell, type Column, type RankingKind } from './bulletin-tables';
import { L, localDateTime, metricText, scoreText } from './labels';

/**
 * The bulletin as one printable HTML page (A4, zh + en labels): no script, no external asset (the
 * style is inline), every text escaped. Served with a Content-Security-Policy that allows nothing
 * but the inline style.
 */
export function bulletinHtml(doc: BulletinDocument, offsetMinutes: number): string {
  const sections = bulletinSections(doc);
  const section = (id: string) => sections.find((s) => s.id === id)!;
  const when = (iso: string) => localDateTime(iso, offsetMinutes);
  const w = doc.formula.weights;
  const totals = section('totals');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.title.zh)} / ${esc(doc.title.en)}</title>
<style>
  @page { size: A4 landscape; margin: 12mm; }
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 1200px; padding: 8px; }
  h1 { font-size: 18pt; margin: 0 0 2px; } h1 small { display: block; font-size: 11pt; font-weight: normal; color: #444; }
  h2 { font-size: 13pt; margin: 18px 0 6px; border-bottom: 2px solid #b71c1c; padding-bottom: 2px; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 6px; }
  th, td { border: 1px solid #999; padding: 2px 4px; text-align: left; vertical-align: top; }
  th { background: #eee; font-weight: 600; } th span { display: block; font-weight: normal; font-size: 8pt; color: #555; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .up { color: #1b5e20; } .down { color: #b71c1c; }
  .meta { color: #333; margin: 4px 0 10px; } .meta span { margin-right: 16px; white-space: nowrap; }
  .none { color: #666; font-style: italic; }
  tr { page-break-inside: avoid; } h2 { page-break-after: avoid; }
  @media print { body { max-width: none; padding: 0; } th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
</style>
</head>
<body>
<header>
<h1>${esc(doc.title.zh)}<small>${esc(doc.title.en)}</small></h1>
<p class="meta">
<span>${esc(L.period.zh)} ${esc(L.period.en)}: ${esc(doc.firstDay)}${doc.firstDay !== doc.lastDay ? ` – ${esc(doc.lastDay)}` : ''} (${esc(doc.timeZone)})</span>
<span>${esc(L.formula.zh)} ${esc(L.formula.en)}: v${doc.formula.version}</span>
<span>${esc(L.weights.zh)} ${esc(L.weights.en)}: 按期处置率 on-time ${w.onTimeHandlingRate} · 结案率 closing ${w.closingRate} · 1-返工率 rework ${w.reworkRate} · 1-超期率 overdue ${w.overdueRate} · 1-延期率 extension ${w.extensionRate}</span>
<span>${esc(L.revision.zh)} ${esc(L.revision.en)}: ${doc.revision}</span>
<span>${esc(L.generatedAt.zh)} ${esc(L.generatedAt.en)}: ${esc(when(doc.generatedAt))}</span>
</p>
</header>
<section id="totals">
<h2>${esc(L.totals.zh)} ${esc(L.totals.en)}</h2>
${table(totals.columns, totals.rows, offsetMinutes)}
</section>
<section id="chiefs">
<h2>${esc(L.chiefs.zh)} ${esc(L.chiefs.en)} <small>(${esc('对比 compared with')} ${esc(doc.previousPeriod)})</small></h2>
${ranking(doc.chiefs, 'chief')}
</section>
<section id="streets">
<h2>${esc(L.streets.zh)} ${esc(L.streets.en)} <small>(${esc('对比 compared with')} ${esc(doc.previousPeriod)})</small></h2>
${ranking(doc.streets, 'street')}
</section>
<section id="departments">
<h2>${esc(L.departments.zh)} ${esc(L.departments.en)} <small>(${esc('对比 compared with')} ${esc(doc.previousPeriod)})</small></h2>
${ranking(doc.departments ?? [], 'department')}
</section>
<section id="overdue">
<h2>${esc(L.overdue.zh)} ${esc(L.overdue.en)} (${doc.overdueCount}) <small>截至 as of ${esc(when(doc.to))}${
    doc.overdue.length < doc.overdueCount ? ` · 列出超期最久的 ${doc.overdue.length} 件 the ${doc.overdue.length} longest overdue are listed` : ''
  }</small></h2>
${doc.overdue.length === 0 ? none() : table(section('overdue').columns, section('overdue').rows, offsetMinutes)}
</section>
<section id="hotspots">
<h2>${esc(L.hotspots.zh)} ${esc(L.hotspots.en)} (${doc.hotspots.length}) <small>${doc.hotspotSettings.radiusM} m · ${doc.hotspotSettings.windowDays} 天 days</small></h2>
${doc.hotspots.length === 0 ? none() : table(section('hotspots').columns, section('hotspots').rows, offsetMinutes)}
</section>
${sections
  .filter((s) => s.id.startsWith('contributed:'))
  .map((s) => `<section id="${esc(s.id.slice('contributed:'.length))}">\n<h2>${esc(s.title.zh)} ${esc(s.title.en)}</h2>\n${table(s.columns, s.rows, offsetMinutes)}\n</section>`)
  .join('\n')}
</body>
</html>
`;
}

/** A ranking with the main columns (the exports carry every count). */
function ranking(rows: RankedGroup[], who: RankingKind): string {
  if (rows.length === 0) return none();
  const head = [L.rank, L.change, L[who], ...(who === 'chief' ? [L.level] : []), L.score];
  const metrics = [
    { key: 'onTimeHandlingRate', zh: '按期处置率', en: 'On-time handling', kind: 'rate' },
    { key: 'closingRate', zh: '结案率', en: 'Closing', kind: 'rate' },
    { key: 'reworkRate', zh: '返工率', en: 'Rework', kind: 'rate' },
    { key: 'overdueRate', zh: '超期率', en: 'Overdue', kind: 'rate' },
    { key: 'extensionRate', zh: '延期率', en: 'Extension', kind: 'rate' },
    { key: 'overdueOpenCount', zh: '超期未处置', en: 'Overdue open', kind: 'count' },
    { key: 'meanHandlingHours', zh: '平均处置时长', en: 'Mean hours', kind: 'hours' },
  ] as const;
  const th = [...head, ...metrics].map((h) => `<th>${esc(h.zh)}<span>${esc(h.en)}</span></th>`).join('');
  const body = rows
    .map((g) => {
      const mark = movementMark(g);
      const cls = g.movement === 'up' ? 'up' : g.movement === 'down' ? 'down' : '';
      return `<tr><td class="n">${g.rank}</td><td class="${cls}">${esc(mark)}</td><td>${esc(g.name)}</td>${
        who === 'chief' ? `<td class="n">${g.level ?? ''}</td>` : ''
      }<td class="n">${esc(scoreText(g.score))}</td>${metrics.map((m) => `<td class="n">${esc(metricText(m.kind, g.metrics[m.key]))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function table(columns: Column[], rows: Cell[][], offsetMinutes: number): string {
  const th = columns.map((c) => `<th>${esc(c.label.zh)}<span>${esc(c.label.en)}</span></th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((v, i) => cell(columns[i], v, offsetMinutes)).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function cell(column: Column, value: Cell, offsetMinutes: number): string {
  if (value === null) return '<td></td>';
  switch (column.type) {
    case 'rate':
      return `<td class="n">${esc(metricText('rate', Number(value)))}</td>`;
    case 'hours':
      return `<td class="n">${esc(metricText('hours', Number(value)))}</td>`;
    case 'number':
      return `<td class="n">${esc(typeof value === 'number' ? String(Math.round(value * 1e7) / 1e7) : value)}</td>`;
    case 'integer':
      return `<td class="n">${esc(String(value))}</td>`;
    case 'datetime':
      return `<td>${esc(localDateTime(String(value), offsetMinutes))}</td>`;
    case 'text':
      return `<td>${esc(String(value))}</td>`;
  }
}

function none(): string {
  return `<p class="none">${esc(L.none.zh)} / ${esc(L.none.en)}</p>`;
}

/** Escapes text for HTML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
