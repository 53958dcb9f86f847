import { useState } from 'preact/hooks';
import { api, errorText, type Category, type CaseView, type Supervision } from '../api';
import { ErrorLine } from '../components/common';
import { t, useLang } from '../i18n';

export type LeaderOrder = 'supervise' | 'instruct';

const fmt = (iso: string, lang: string) => new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en');

/** A case's supervision (督办) as a banner: who, what, by when. */
export function SupervisionNote({ s }: { s: Supervision }) {
  const lang = useLang();
  return (
    <div class="supervision-note" data-testid="supervision">
      <b>
        {t('supervision')} · {s.by.name}
      </b>
      {s.instruction}
      {s.dueAt && (
        <div>
          {t('supervisionDue')}: {fmt(s.dueAt, lang)}
        </div>
      )}
    </div>
  );
}

/** A leader's 督办 (instruction and an optional due time) or 批示 (instruction) on the case in the drawer. */
export function LeaderOrderForm({ view, order, onDone, onCancel }: { view: CaseView; order: LeaderOrder; onDone(v: CaseView): void; onCancel(): void }) {
  useLang();
  const [instruction, setInstruction] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { instruction };
      // datetime-local is the browser's local time: sent as an instant.
      if (order === 'supervise' && dueAt) body.dueAt = new Date(dueAt).toISOString();
      onDone(await api.post<CaseView>(`/api/v1/cases/${view.id}/${order}`, body));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="action-form card" onSubmit={submit} data-form={order}>
      <h4>{t(order)}</h4>
      <label>
        {t('instruction')}
        <textarea name="instruction" value={instruction} onInput={(e) => setInstruction(e.currentTarget.value)} required maxLength={1000} />
      </label>
      {order === 'supervise' && (
        <label>
          {t('supervisionDue')}
          <input type="datetime-local" name="dueAt" value={dueAt} onInput={(e) => setDueAt(e.currentTarget.value)} />
        </label>
      )}
      <ErrorLine error={error} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {t('submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('close')}
        </button>
      </div>
    </form>
  );
}

/** A leader's own case (批示件) at a point picked on the map: category and instruction; it is registered and routed at once. */
export function InstructionCaseForm({
  at,
  categories,
  onDone,
  onCancel,
}: {
  at: { lng: number; lat: number };
  categories: Category[];
  onDone(v: CaseView): void;
  onCancel(): void;
}) {
  const lang = useLang();
  const [text, setText] = useState('');
  const [categoryCode, setCategoryCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await api.post<CaseView>('/api/v1/instructions', { text, categoryCode, location: at }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="action-form card instruction-case" onSubmit={submit} data-form="instruction-case">
      <h4>{t('newInstructionCase')}</h4>
      <p class="muted" data-testid="picked-location">
        {t('location')}: {at.lng.toFixed(5)}, {at.lat.toFixed(5)}
      </p>
      <label>
        {t('category')}
        <select name="categoryCode" value={categoryCode} onChange={(e) => setCategoryCode(e.currentTarget.value)} required>
          <option value="">—</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} {lang === 'zh' ? c.minor.name : c.minor.nameEn}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('instructionText')}
        <textarea name="text" value={text} onInput={(e) => setText(e.currentTarget.value)} required maxLength={2000} />
      </label>
      <ErrorLine error={error} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {t('submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('close')}
        </button>
      </div>
    </form>
  );
}
