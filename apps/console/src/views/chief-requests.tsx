import { useState } from 'preact/hooks';
import { api, errorText, type CaseView } from '../api';
import { ErrorLine } from '../components/common';
import { t, useLang } from '../i18n';
import type { AppealView } from './leader/decisions';
import { lw } from './leader/leader-i18n';

/**
 * A chief's requests to a leader on a task: more time (`POST /cases/:id/extend` with hours and a
 * reason: a request a leader approves or refuses) and, on an overdue case, an appeal of the overdue
 * mark (`POST /appeals`, once per case). Shows where each stands.
 */
export function ChiefRequests({ c, appeal, canAppeal = true, onChanged }: { c: CaseView; appeal: AppealView | null; canAppeal?: boolean; onChanged(): void }) {
  useLang();
  const [mode, setMode] = useState<'extend' | 'appeal' | null>(null);
  const [hours, setHours] = useState('24');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'extend') await api.post(`/api/v1/cases/${c.id}/extend`, { hours: Number(hours), reason });
      else await api.post('/api/v1/appeals', { caseId: c.id, reason });
      setMode(null);
      setReason('');
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const asked = c.extensionRequestedHours != null;
  return (
    <div class="chief-requests">
      <div class="actions">
        {asked && (
          <span class="badge" data-testid="extension-asked">
            {lw('extensionAsked')} {c.extensionRequestedHours} h
          </span>
        )}
        {appeal && (
          <span class="badge" data-testid="appeal-status" data-status={appeal.status}>
            {lw('appeal')}: {lw(appeal.status === 'pending' ? 'pendingAppeal' : appeal.status)}
          </span>
        )}
        {c.status === 'in_progress' && !asked && (
          <button data-action="extend" onClick={() => setMode('extend')}>
            {lw('askExtension')}
          </button>
        )}
        {canAppeal && c.overdue && !appeal && (
          <button data-action="appeal" onClick={() => setMode('appeal')}>
            {lw('appeal')}
          </button>
        )}
      </div>
      {mode && (
        <form class="action-form" data-form={mode} onSubmit={submit}>
          {mode === 'extend' && (
            <label>
              {lw('hours')}
              <input type="number" name="hours" min="1" max="720" step="1" value={hours} required onInput={(e) => setHours(e.currentTarget.value)} />
            </label>
          )}
          <label>
            {t('reason')}
            <textarea name="reason" value={reason} required maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <div class="row">
            <button type="submit" class="primary" disabled={busy}>
              {t('submit')}
            </button>
            <button type="button" onClick={() => setMode(null)}>
              {t('close')}
            </button>
          </div>
        </form>
      )}
      <ErrorLine error={error} />
    </div>
  );
}
