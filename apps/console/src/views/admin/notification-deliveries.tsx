import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { useLang } from '../../i18n';
import { ErrorLine } from '../../components/common';
import { eventName, nw } from '../notification-words';

/** A delivery as `GET /api/v1/admin/notifications` lists it. */
interface DeliveryView {
  id: string;
  event: string;
  title: string;
  caseCode: string | null;
  kind: string;
  target: string;
  channel: { id: string; name: string } | null;
  status: 'pending' | 'sent' | 'failed' | 'dead';
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

const FILTERS = ['', 'failed', 'dead', 'pending', 'sent'] as const;

/** The deliveries of the channels and people's email: filter by status, retry a failed or dead one. */
export function NotificationDeliveries({ refresh }: { refresh: number }) {
  const lang = useLang();
  const w = nw;
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('');
  const [rows, setRows] = useState<DeliveryView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    api.get<DeliveryView[]>(`/api/v1/admin/notifications${status ? `?status=${status}` : ''}`).then(setRows, (e) => setError(errorText(e)));
  useEffect(() => void load(), [status, refresh]);

  async function retry(d: DeliveryView) {
    try {
      await api.post(`/api/v1/admin/notifications/${d.id}/retry`);
      setError(null);
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const label = (s: string) => (s === '' ? w('all') : w(s as 'failed' | 'dead' | 'pending' | 'sent'));
  return (
    <section data-testid="deliveries">
      <div class="row">
        <h3>{w('deliveries')}</h3>
        <label>
          {w('status')}{' '}
          <select name="status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as (typeof FILTERS)[number])}>
            {FILTERS.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="link" onClick={() => void load()}>
          ↻
        </button>
      </div>
      <ErrorLine error={error} />
      {rows && rows.length === 0 && <p class="muted">{w('noDeliveries')}</p>}
      {rows && rows.length > 0 && (
        <table class="admin-table" data-testid="deliveries-table">
          <thead>
            <tr>
              <th>{w('at')}</th>
              <th>{w('event')}</th>
              <th>{w('caseCode')}</th>
              <th>{w('target')}</th>
              <th>{w('status')}</th>
              <th>{w('attempts')}</th>
              <th>{w('lastError')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-status={d.status}>
                <td>{new Date(d.createdAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}</td>
                <td>{eventName(d.event, lang)}</td>
                <td>{d.caseCode ?? '—'}</td>
                <td>{d.channel ? d.channel.name : `${d.kind} ${d.target}`}</td>
                <td class={`delivery-${d.status}`}>{label(d.status)}</td>
                <td>{d.attempts}</td>
                <td class="muted">{d.lastError ?? ''}</td>
                <td>
                  {(d.status === 'failed' || d.status === 'dead') && (
                    <button type="button" data-testid={`retry-${d.id}`} onClick={() => void retry(d)}>
                      {w('retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
