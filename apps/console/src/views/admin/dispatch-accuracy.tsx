import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine, PeriodInputs } from '../../components/common';
import { useLang } from '../../i18n';
import { returnTypeName } from '../../lights';
import type { ReturnReasonType } from '../../domain-types';
import { words } from './admin-i18n';

/** A row of `GET /api/v1/evaluation/dispatchers`. */
export interface DispatchAccuracyView {
  dispatcher: { id: string; name: string; role: string };
  dispatches: number;
  returned: number;
  wrongDispatches: number;
  accurateDispatchRate: number | null;
  byType: Partial<Record<ReturnReasonType, number>>;
}

const w = words({
  title: ['派遣准确率', 'Dispatch accuracy'],
  hint: [
    '回退为位置错误、类别错误、非本人职责或需专业部门处置的派遣，计为派遣人的错误派遣，不计入回退路长的考核。',
    'A dispatch returned as wrong place, wrong category, not ours or needing a department counts against whoever dispatched it, not the chief who returned it.',
  ],
  from: ['开始', 'From'],
  to: ['结束', 'To'],
  dispatcher: ['派遣人', 'Dispatcher'],
  system: ['自动派遣', 'Automatic routing'],
  dispatches: ['派遣数', 'Dispatches'],
  returned: ['回退数', 'Returned'],
  wrong: ['错误派遣', 'Wrong dispatches'],
  rate: ['准确派遣率', 'Accurate-dispatch rate'],
  byType: ['错误类型', 'By type'],
  none: ['本期无派遣', 'No dispatches in the period'],
  total: ['合计', 'Total'],
});

/** The local date `days` before today (YYYY-MM-DD, the browser's zone: the district's for its staff). */
function dateBefore(days: number): string {
  const d = new Date(Date.now() - days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** 准确派遣率 per dispatcher for a period (default: the last 30 days). */
export function DispatchAccuracySection() {
  useLang();
  const [from, setFrom] = useState(dateBefore(29));
  const [to, setTo] = useState(dateBefore(0));
  const [rows, setRows] = useState<DispatchAccuracyView[] | null>(null);
  const [totals, setTotals] = useState<Omit<DispatchAccuracyView, 'dispatcher'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<{ rows: DispatchAccuracyView[]; totals: Omit<DispatchAccuracyView, 'dispatcher'> }>(`/api/v1/evaluation/dispatchers?from=${from}&to=${to}`)
      .then((r) => {
        setRows(r.rows);
        setTotals(r.totals);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [from, to]);

  const types = (byType: DispatchAccuracyView['byType']) =>
    (Object.entries(byType) as [ReturnReasonType, number][]).map(([type, n]) => `${returnTypeName(type)} ${n}`).join('、') || '—';
  return (
    <div class="card" data-testid="dispatch-accuracy">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <PeriodInputs from={from} to={to} onFrom={setFrom} onTo={setTo} labels={[w('from'), w('to')]} />
      </form>
      <ErrorLine error={error} />
      {rows && rows.length === 0 && <p class="muted">{w('none')}</p>}
      {rows && rows.length > 0 && (
        <table class="admin-table" data-testid="dispatch-accuracy-table">
          <thead>
            <tr>
              <th>{w('dispatcher')}</th>
              <th>{w('dispatches')}</th>
              <th>{w('returned')}</th>
              <th>{w('wrong')}</th>
              <th>{w('rate')}</th>
              <th>{w('byType')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.dispatcher.id} data-dispatcher={r.dispatcher.id}>
                <td>{r.dispatcher.id === 'system' ? w('system') : r.dispatcher.name}</td>
                <td>{r.dispatches}</td>
                <td>{r.returned}</td>
                <td>{r.wrongDispatches}</td>
                <td data-testid="rate">{percent(r.accurateDispatchRate)}</td>
                <td>{types(r.byType)}</td>
              </tr>
            ))}
            {totals && (
              <tr class="total">
                <td>{w('total')}</td>
                <td>{totals.dispatches}</td>
                <td>{totals.returned}</td>
                <td>{totals.wrongDispatches}</td>
                <td>{percent(totals.accurateDispatchRate)}</td>
                <td>{types(totals.byType)}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}
