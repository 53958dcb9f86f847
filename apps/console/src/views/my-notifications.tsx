import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { useLang } from '../i18n';
import { navigate } from '../router';
import { ErrorLine } from '../components/common';
import { eventName, NOTIFICATION_EVENTS, nw } from './notification-words';

/** `GET /api/v1/me/notifications`. */
interface MyNotifications {
  events: string[];
  quietHours: { from: string; to: string } | null;
  email: string | null;
  unread: number;
  items: { id: string; event: string; title: string; caseCode: string | null; path: string | null; lines: string[]; at: string; read: boolean }[];
}

/** `/notifications` ("我的通知"), for everyone on staff: my entries and my preferences. */
export function MyNotificationsPage() {
  const lang = useLang();
  const w = nw;
  const [mine, setMine] = useState<MyNotifications | null>(null);
  const [form, setForm] = useState({ events: [] as string[], email: '', quiet: false, from: '22:00', to: '07:00' });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const show = (m: MyNotifications) => {
    setMine(m);
    setForm({ events: m.events, email: m.email ?? '', quiet: m.quietHours !== null, from: m.quietHours?.from ?? '22:00', to: m.quietHours?.to ?? '07:00' });
  };
  const load = () => api.get<MyNotifications>('/api/v1/me/notifications').then(show, (e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  async function save(e: Event) {
    e.preventDefault();
    try {
      show(
        await api.patch<MyNotifications>('/api/v1/me/notifications', {
          events: form.events,
          email: form.email.trim() || null,
          quietHours: form.quiet ? { from: form.from, to: form.to } : null,
        }),
      );
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function markRead() {
    try {
      await api.post('/api/v1/me/notifications/read', {});
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const toggle = (ev: string) => setForm({ ...form, events: form.events.includes(ev) ? form.events.filter((x) => x !== ev) : [...form.events, ev] });
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <section class="card" data-testid="my-notifications">
      <div class="row">
        <h2>
          {w('myNotifications')} {mine && mine.unread > 0 && <span class="badge">{`${mine.unread} ${w('unread')}`}</span>}
        </h2>
        <button type="button" class="link" disabled={!mine?.unread} onClick={() => void markRead()}>
          {w('markRead')}
        </button>
      </div>
      <ErrorLine error={error} />
      {mine && mine.items.length === 0 && <p class="muted">{w('nothing')}</p>}
      {mine && mine.items.length > 0 && (
        <ul class="notifications" data-testid="my-notifications-list">
          {mine.items.map((i) => (
            <li key={i.id} class={i.read ? 'read' : 'unread'}>
              <strong>{eventName(i.event, lang)}</strong> {i.caseCode && <code>{i.caseCode}</code>} <span class="muted">{new Date(i.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}</span>
              {i.lines.length > 0 && <div class="muted">{i.lines.join(' · ')}</div>}
              {i.path && (
                <button type="button" class="link" onClick={() => navigate(i.path!)}>
                  {w('openCase')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="filters" onSubmit={save} data-testid="notification-preferences">
        <h3>{w('preferences')}</h3>
        <fieldset class="events">
          <legend>{w('events')}</legend>
          {NOTIFICATION_EVENTS.map((ev) => (
            <label key={ev}>
              <input type="checkbox" name={`event-${ev}`} checked={form.events.includes(ev)} onChange={() => toggle(ev)} /> {eventName(ev, lang)}
            </label>
          ))}
        </fieldset>
        <label>
          {w('email')} <input name="email" type="email" value={form.email} onInput={(e) => setForm({ ...form, email: value(e) })} />
        </label>
        <label>
          <input name="quiet" type="checkbox" checked={form.quiet} onChange={() => setForm({ ...form, quiet: !form.quiet })} /> {w('quiet')}
        </label>
        <label>
          {w('from')} <input name="quietFrom" type="time" disabled={!form.quiet} value={form.from} onInput={(e) => setForm({ ...form, from: value(e) })} />
        </label>
        <label>
          {w('to')} <input name="quietTo" type="time" disabled={!form.quiet} value={form.to} onInput={(e) => setForm({ ...form, to: value(e) })} />
        </label>
        <span class="muted">{w('quietHint')}</span>
        <button class="primary" type="submit">
          {w('save')}
        </button>
        {saved && <span class="muted" data-testid="preferences-saved">{w('saved')}</span>}
      </form>
    </section>
  );
}
