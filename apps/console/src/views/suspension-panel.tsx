import { useState } from 'preact/hooks';
import { api, errorText, type CaseView } from '../api';
import { ErrorLine } from '../components/common';
import { t, useLang } from '../i18n';

const SUSPENDABLE = ['dispatched', 'in_progress'];

/** Work or continuous hours left on the stopped clock, e.g. "15 h". */
function hoursLeft(ms: number): string {
  return `${Math.round((ms / 3_600_000) * 10) / 10} h`;
}

/**
 * 挂账 in the case drawer: the operator asks (reason, until), a leader approves or refuses, and
 * either resumes; a suspended case shows until when and the time its clock kept.
 */
export function SuspensionPanel({ view, role, onDone }: { view: CaseView; role: string | undefined; onDone(v: CaseView): void }) {
  const lang = useLang();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const date = (iso: string) => new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en');

  async function act(action: 'suspend' | 'resume', body: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    try {
      onDone(await api.post<CaseView>(`/api/v1/cases/${view.id}/${action}`, body));
      setAsking(false);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const staff = role === 'operator' || role === 'leader';
  const s = view.suspension;
  const r = view.suspendRequest;
  return (
    <div class="suspension" data-testid="suspension">
      {s && (
        <p data-testid="suspended" class="suspension-note">
          {t('suspendedMark')} · {t('suspendUntil')} {date(s.until)} · {t('timeLeft')} {hoursLeft(s.leftMs)}
          {s.reason && <span class="muted"> · {s.reason}</span>}
        </p>
      )}
      {!s && r && (
        <p data-testid="suspend-request" class="suspension-note">
          {t('suspendRequested')} · {t('suspendUntil')} {date(r.until)} · {r.reason}
        </p>
      )}
      <div class="actions">
        {s && staff && (
          <button data-action="resume" disabled={busy} onClick={() => void act('resume', {})}>
            {t('resume')}
          </button>
        )}
        {!s && r && role === 'leader' && (
          <>
            <button class="primary" data-action="approve-suspend" disabled={busy} onClick={() => void act('suspend', {})}>
              {t('approveSuspend')}
            </button>
            <button data-action="refuse-suspend" disabled={busy} onClick={() => void act('suspend', { passed: false })}>
              {t('refuseSuspend')}
            </button>
          </>
        )}
        {!s && !r && role === 'operator' && SUSPENDABLE.includes(view.status) && !asking && (
          <button data-action="suspend" onClick={() => setAsking(true)}>
            {t('suspend')}
          </button>
        )}
      </div>
      {asking && (
        <form
          class="action-form card"
          data-form="suspend"
          onSubmit={(e) => {
            e.preventDefault();
            const at = new Date(until);
            void act('suspend', { reason, until: Number.isNaN(at.getTime()) ? until : at.toISOString() });
          }}
        >
          <h4>{t('suspend')}</h4>
          <label>
            {t('reason')}
            <textarea name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required maxLength={1000} />
          </label>
          <label>
            {t('suspendUntil')}
            <input name="until" type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} required />
          </label>
          <div class="row">
            <button type="submit" class="primary" disabled={busy}>
              {t('submit')}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t('close')}
            </button>
          </div>
        </form>
      )}
      <ErrorLine error={error} />
    </div>
  );
}
