import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { ErrorLine } from '../../components/common';

export const WEIGHT_KEYS = ['onTimeHandlingRate', 'closingRate', 'reworkRate', 'overdueRate', 'extensionRate'] as const;
export type WeightKey = (typeof WEIGHT_KEYS)[number];

/** A version as `GET /api/v1/admin/evaluation/formulas` answers it. */
export interface FormulaView {
  version: number;
  weights: Record<WeightKey, number>;
  effectiveFrom: string;
  note: string | null;
}

const w = words({
  title: ['考核公式', 'Evaluation formulas'],
  hint: ['公式按版本保存，从不修改；考核按统计期末生效的版本计算。', 'Each version is kept as it was; a report uses the version in force at the end of its period.'],
  version: ['版本', 'Version'],
  effectiveFrom: ['生效时间', 'In force from'],
  note: ['说明', 'Note'],
  add: ['新增版本', 'Add a version'],
  sum: ['合计', 'Total'],
  mustSum: ['各项权重须为非负数，合计必须等于 100', 'Weights must be 0 or more and add up to exactly 100'],
  save: ['保存新版本', 'Save the new version'],
  saved: ['已保存版本', 'Saved version'],
  onTimeHandlingRate: ['按期处置率', 'On-time handling'],
  closingRate: ['结案率', 'Closing rate'],
  reworkRate: ['1 - 返工率', '1 - rework rate'],
  overdueRate: ['1 - 超期率', '1 - overdue rate'],
  extensionRate: ['1 - 延期率', '1 - extension rate'],
});

/** The total of the weights typed so far (NaN when one is not a number). */
export function weightsTotal(weights: Record<WeightKey, string>): number {
  return WEIGHT_KEYS.reduce((sum, k) => sum + (weights[k].trim() === '' ? Number.NaN : Number(weights[k])), 0);
}

/** Whether the form may be sent: every weight a number >= 0, adding up to 100, and a date. */
export function formulaReady(weights: Record<WeightKey, string>, effectiveFrom: string): boolean {
  const values = WEIGHT_KEYS.map((k) => Number(weights[k]));
  return values.every((v, i) => weights[WEIGHT_KEYS[i]].trim() !== '' && Number.isFinite(v) && v >= 0) && Math.abs(weightsTotal(weights) - 100) < 1e-9 && /^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom);
}

export function FormulasSection() {
  const lang = useLang();
  const [versions, setVersions] = useState<FormulaView[] | null>(null);
  const [weights, setWeights] = useState<Record<WeightKey, string>>({ onTimeHandlingRate: '30', closingRate: '20', reworkRate: '20', overdueRate: '20', extensionRate: '10' });
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);

  const load = () => api.get<FormulaView[]>('/api/v1/admin/evaluation/formulas').then(setVersions, (e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  async function save(e: Event) {
    e.preventDefault();
    try {
      const body = { weights: Object.fromEntries(WEIGHT_KEYS.map((k) => [k, Number(weights[k])])), effectiveFrom, ...(note.trim() ? { note: note.trim() } : {}) };
      const created = await api.post<FormulaView>('/api/v1/admin/evaluation/formulas', body);
      setSaved(created.version);
      setError(null);
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const total = weightsTotal(weights);
  const ready = formulaReady(weights, effectiveFrom);
  return (
    <div class="card" data-testid="formulas">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      {versions && (
        <table class="admin-table" data-testid="formulas-table">
          <thead>
            <tr>
              <th>{w('version')}</th>
              <th>{w('effectiveFrom')}</th>
              {WEIGHT_KEYS.map((k) => (
                <th key={k}>{w(k)}</th>
              ))}
              <th>{w('note')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((f) => (
              <tr key={f.version}>
                <td>v{f.version}</td>
                <td>{new Date(f.effectiveFrom).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}</td>
                {WEIGHT_KEYS.map((k) => (
                  <td key={k}>{f.weights[k]}</td>
                ))}
                <td>{f.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{w('add')}</h3>
      <form class="filters" data-testid="formula-form" onSubmit={save}>
        {WEIGHT_KEYS.map((k) => (
          <label key={k}>
            {w(k)}
            <input type="number" name={k} min="0" max="100" step="any" value={weights[k]} onInput={(e) => setWeights({ ...weights, [k]: (e.target as HTMLInputElement).value })} />
          </label>
        ))}
        <label>
          {w('effectiveFrom')}
          <input type="date" name="effectiveFrom" required value={effectiveFrom} onInput={(e) => setEffectiveFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {w('note')}
          <input name="note" maxLength={500} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
        </label>
        <span data-testid="formula-total" class={ready || Number.isNaN(total) ? 'muted' : 'error'}>
          {w('sum')}: {Number.isNaN(total) ? '—' : total}
        </span>
        <button class="primary" type="submit" disabled={!ready}>
          {w('save')}
        </button>
      </form>
      {!ready && <p class="muted" data-testid="formula-rule">{w('mustSum')}</p>}
      {saved !== null && <p class="muted" role="status">{w('saved')} v{saved}</p>}
      <ErrorLine error={error} />
    </div>
  );
}
