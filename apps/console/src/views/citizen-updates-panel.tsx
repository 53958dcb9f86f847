import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type CaseUpdate } from '../api';
import { ErrorLine } from '../components/common';
import { t, useLang } from '../i18n';

const STATUS_KEY = { pending: 'updatePending', approved: 'updateApproved', rejected: 'updateRejected' } as const;

/** The reporter's updates in the case drawer: pending ones first to approve or reject (operators and leaders), decided ones below. */
export function CitizenUpdatesPanel({ caseId, version, canDecide }: { caseId: string; version: number; canDecide: boolean }) {
  const lang = useLang();
  const [updates, setUpdates] = useState<CaseUpdate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    api
      .get<CaseUpdate[]>(`/api/v1/cases/${caseId}/updates`)
      .then((u) => live && (setUpdates(u), setError(null)))
      .catch((e) => live && setError(errorText(e)));
    return () => void (live = false);
  }, [caseId, version, reload]);

  async function decide(id: string, decision: 'approve' | 'reject') {
    try {
      await api.post(`/api/v1/cases/${caseId}/updates/${id}/${decision}`, {});
      setReload((n) => n + 1);
    } catch (e) {
      setError(errorText(e));
    }
  }

  if (!updates || updates.length === 0) return error ? <ErrorLine error={error} /> : null;
  const ordered = [...updates.filter((u) => u.status === 'pending'), ...updates.filter((u) => u.status !== 'pending')];
  return (
    <div class="card citizen-updates" data-testid="citizen-updates">
      <h3>
        {t('citizenUpdates')} {updates.some((u) => u.status === 'pending') && <span class="badge pending">{t('updatePending')}</span>}
      </h3>
      <ErrorLine error={error} />
      <ul>
        {ordered.map((u) => (
          <li key={u.id} data-update={u.id} data-update-status={u.status}>
            <time>{new Date(u.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')}</time> <span class={`badge ${u.status}`}>{t(STATUS_KEY[u.status])}</span>
            <div>{u.note}</div>
            <div class="photos">
              {u.media.map((m) => (
                <a key={m.id} href={m.url} target="_blank" rel="noreferrer">
                  <img src={m.url} alt="" loading="lazy" />
                </a>
              ))}
            </div>
            {u.decidedBy && <div class="muted">{u.decidedBy}</div>}
            {canDecide && u.status === 'pending' && (
              <div class="row">
                <button class="primary" data-decide="approve" onClick={() => void decide(u.id, 'approve')}>
                  {t('approveUpdate')}
                </button>
                <button data-decide="reject" onClick={() => void decide(u.id, 'reject')}>
                  {t('rejectUpdate')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
