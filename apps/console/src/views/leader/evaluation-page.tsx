import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type CaseView } from '../../api';
import { ErrorLine, PeriodInputs } from '../../components/common';
import { statusName, t, useLang } from '../../i18n';
import { CaseDrawer } from '../case-drawer';
import { FieldEvaluation } from './field-evaluation';
import { lw } from './leader-i18n';
import { changeOf, caseFilterOf, GROUP_KINDS, type EvaluationReportView, type EvaluationRowView, type FormulaView, type GroupKind } from './evaluation-types';
import { dateBefore, fixed, percent, previousPeriod } from './period';

/** The day after a local date (a case list's `to` is exclusive). */
function dayAfter(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * 考核排名: the ranking of chiefs, streets, communities or categories for a period, with the formula
 * version, the change since the previous period of the same length, and a drill-down from a row to
 * its cases. The server scopes the rows (a chief sees their own).
 */
export function EvaluationPage() {
  useLang();
  const [from, setFrom] = useState(dateBefore(6));
  const [to, setTo] = useState(dateBefore(0));
  const [groupBy, setGroupBy] = useState<GroupKind>('chief');
  const [version, setVersion] = useState('');
  const [formulas, setFormulas] = useState<FormulaView[]>([]);
  const [report, setReport] = useState<EvaluationReportView | null>(null);
  const [previous, setPrevious] = useState<EvaluationReportView | null>(null);
  const [selected, setSelected] = useState<EvaluationRowView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.get<FormulaView[]>('/api/v1/evaluation/formulas').then(setFormulas).catch((e) => setError(errorText(e)));
  }, []);

  useEffect(() => {
    let live = true;
    const v = version ? `&formulaVersion=${version}` : '';
    const prev = previousPeriod(from, to);
    setSelected(null);
    Promise.all([
      api.get<EvaluationReportView>(`/api/v1/evaluation?from=${from}&to=${to}&groupBy=${groupBy}${v}`),
      api.get<EvaluationReportView>(`/api/v1/evaluation?from=${prev.from}&to=${prev.to}&groupBy=${groupBy}${v}`),
    ])
      .then(([r, p]) => live && (setReport(r), setPrevious(p), setError(null)))
      .catch((e) => live && (setReport(null), setError(errorText(e))));
    return () => void (live = false);
  }, [from, to, groupBy, version]);

  const prev = previousPeriod(from, to);
  return (
    <section class="leader-page" data-testid="evaluation-page">
      <h2>{lw('evaluation')}</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <PeriodInputs from={from} to={to} onFrom={setFrom} onTo={setTo} labels={[lw('from'), lw('to')]} />
        <label>
          {lw('groupBy')}
          <select name="groupBy" value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as GroupKind)}>
            {GROUP_KINDS.map((g) => (
              <option key={g} value={g}>
                {lw(`g_${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {lw('formula')}
          <select name="formulaVersion" value={version} onChange={(e) => setVersion(e.currentTarget.value)}>
            <option value="">{lw('formulaInForce')}</option>
            {formulas.map((f) => (
              <option key={f.version} value={String(f.version)}>
                v{f.version} · {f.effectiveFrom.slice(0, 10)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorLine error={error} />
      {report && (
        <p class="muted" data-testid="formula-used">
          {lw('formula')} v{report.formula.version} ({Object.entries(report.formula.weights).map(([k, w]) => `${k} ${w}`).join(', ')}) · {lw('previous')} {prev.from} – {prev.to} ·{' '}
          {groupBy !== 'department' && lw('drillHint')}
        </p>
      )}
      {report && report.rows.length === 0 && <p class="muted">{lw('none')}</p>}
      {report && report.rows.length > 0 && <RankingTable report={report} previous={previous} selected={selected} onSelect={setSelected} />}
      {selected && caseFilterOf(selected) !== null && <DrillDown row={selected} from={from} to={to} />}
      <FieldEvaluation from={from} to={to} />
    </section>
  );
}

function RankingTable({
  report,
  previous,
  selected,
  onSelect,
}: {
  report: EvaluationReportView;
  previous: EvaluationReportView | null;
  selected: EvaluationRowView | null;
  onSelect(row: EvaluationRowView): void;
}) {
  return (
    <table class="admin-table ranking" data-testid="ranking">
      <thead>
        <tr>
          <th>{lw('rank')}</th>
          <th>{lw('change')}</th>
          <th>{lw('name')}</th>
          <th>{lw('score')}</th>
          <th>{lw('reported')}</th>
          <th>{lw('registered')}</th>
          <th>{lw('closed')}</th>
          <th>{lw('onTime')}</th>
          <th>{lw('closingRate')}</th>
          <th>{lw('reworkRate')}</th>
          <th>{t('satisfactionRate')}</th>
          <th>{lw('overdueOpen')}</th>
          <th>{lw('meanHours')}</th>
        </tr>
      </thead>
      <tbody>
        {report.rows.map((r) => {
          const change = changeOf(r, previous?.rows ?? null);
          return (
            <tr
              key={r.group.id}
              data-group-id={r.group.id}
              data-rank={r.rank}
              data-score={r.score ?? ''}
              data-reported={r.counts.reported}
              data-closed={r.counts.closed}
              data-overdue-open={r.counts.overdueOpen}
              class={`clickable${selected?.group.id === r.group.id ? ' selected' : ''}`}
              onClick={() => onSelect(r)}
            >
              <td>{r.rank}</td>
              <td data-testid="change" class={change && change.rank > 0 ? 'up' : change && change.rank < 0 ? 'down' : ''}>
                {change === null ? lw('newEntry') : change.rank > 0 ? `▲${change.rank}` : change.rank < 0 ? `▼${-change.rank}` : '—'}
                {change?.score !== null && change?.score !== undefined && <span class="muted"> ({change.score >= 0 ? '+' : ''}{change.score.toFixed(1)})</span>}
              </td>
              <td>
                {r.group.name}
                {r.group.level !== null && <span class="muted"> L{r.group.level}</span>}
              </td>
              <td data-testid="score">{fixed(r.score)}</td>
              <td>{r.counts.reported}</td>
              <td>{r.counts.registered}</td>
              <td>{r.counts.closed}</td>
              <td>{percent(r.metrics.onTimeHandlingRate)}</td>
              <td>{percent(r.metrics.closingRate)}</td>
              <td>{percent(r.metrics.reworkRate)}</td>
              <td data-testid="satisfaction" title={r.satisfaction ? `${r.satisfaction.satisfied}/${r.satisfaction.feedback}` : undefined}>
                {percent(r.satisfaction?.rate ?? null)}
              </td>
              <td>{r.counts.overdueOpen}</td>
              <td>{fixed(r.metrics.meanHandlingHours)}</td>
            </tr>
          );
        })}
        <tr class="total" data-testid="totals" data-reported={report.totals.counts.reported} data-closed={report.totals.counts.closed}>
          <td />
          <td />
          <td>{lw('total')}</td>
          <td>{fixed(report.totals.score)}</td>
          <td>{report.totals.counts.reported}</td>
          <td>{report.totals.counts.registered}</td>
          <td>{report.totals.counts.closed}</td>
          <td>{percent(report.totals.metrics.onTimeHandlingRate)}</td>
          <td>{percent(report.totals.metrics.closingRate)}</td>
          <td>{percent(report.totals.metrics.reworkRate)}</td>
          <td>{percent(report.totals.satisfaction?.rate ?? null)}</td>
          <td>{report.totals.counts.overdueOpen}</td>
          <td>{fixed(report.totals.metrics.meanHandlingHours)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** A row's cases reported in the period (newest first); a case opens in the drawer. */
function DrillDown({ row, from, to }: { row: EvaluationRowView; from: string; to: string }) {
  const lang = useLang();
  const [cases, setCases] = useState<CaseView[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setCases(null);
    api
      .get<{ items: CaseView[] }>(`/api/v1/cases?${caseFilterOf(row)}&from=${from}&to=${dayAfter(to)}&limit=200`)
      .then((p) => live && (setCases(p.items), setError(null)))
      .catch((e) => live && setError(errorText(e)));
    return () => void (live = false);
  }, [row.group.id, row.group.kind, from, to]);
  return (
    <div class="card" data-testid="drill-down" data-group-id={row.group.id}>
      <h3>
        {row.group.name} · {lw('casesOf')}
      </h3>
      <ErrorLine error={error} />
      {cases && (
        <ul class="case-list">
          {cases.map((c) => (
            <li key={c.id} data-case-id={c.id} class="clickable" onClick={() => setOpen(c.id)}>
              <b>{c.code}</b> <span class={`status s-${c.status}`}>{statusName(c.status)}</span> {lang === 'zh' ? c.category.name : c.category.nameEn} · {c.street?.name ?? '—'}
              {c.overdue && <span class="badge overdue">{lw('overdue')}</span>}
            </li>
          ))}
        </ul>
      )}
      {open && <CaseDrawer id={open} version={0} canAct={false} onClose={() => setOpen(null)} />}
    </div>
  );
}
