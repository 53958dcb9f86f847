import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { useLang } from '../../i18n';
import { ErrorLine } from '../../components/common';
import { eventName, NOTIFICATION_EVENTS, nw } from '../notification-words';
import { NotificationDeliveries } from './notification-deliveries';

/** A channel as `GET /api/v1/admin/notification-channels` lists it (never its secret). */
export interface ChannelView {
  id: string;
  kind: string;
  name: string;
  target: string;
  events: string[];
  streetCode: string | null;
  hasSecret: boolean;
  enabled: boolean;
}

const KINDS = [
  ['webhook', 'Webhook'],
  ['wecom', '企业微信 WeCom'],
  ['dingtalk', '钉钉 DingTalk'],
  ['email', 'Email'],
] as const;

/** `/admin/notifications`: channels (add, test, delete) and their deliveries (dead letters, retry). */
export function NotificationChannelsSection() {
  const lang = useLang();
  const [channels, setChannels] = useState<ChannelView[] | null>(null);
  const [form, setForm] = useState({ kind: 'webhook', name: '', target: '', streetCode: '', secret: '', events: ['task.assigned'] as string[] });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);

  const load = () => api.get<ChannelView[]>('/api/v1/admin/notification-channels').then(setChannels, (e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
  const toggle = (event: string) =>
    setForm({ ...form, events: form.events.includes(event) ? form.events.filter((x) => x !== event) : [...form.events, event] });

  async function add(e: Event) {
    e.preventDefault();
    try {
      await api.post('/api/v1/admin/notification-channels', {
        kind: form.kind,
        name: form.name.trim() || undefined,
        target: form.target.trim(),
        events: form.events,
        streetCode: form.streetCode.trim() || undefined,
        secret: form.secret || undefined,
      });
      setForm({ ...form, name: '', target: '', secret: '' });
      setError(null);
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function test(c: ChannelView) {
    try {
      await api.post(`/api/v1/admin/notification-channels/${c.id}/test`);
      setNotice(`${w('testSent')}: ${c.name}`);
      setTimeout(() => setRefresh((n) => n + 1), 1500);
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function remove(c: ChannelView) {
    if (!window.confirm(`${w('confirmRemove')} (${c.name})`)) return;
    try {
      await api.delete(`/api/v1/admin/notification-channels/${c.id}`);
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const w = nw;
  return (
    <div class="card" data-testid="notification-channels">
      <div class="row">
        <h2>{w('channels')}</h2>
        <span class="muted">{w('channelsHint')}</span>
      </div>
      <form class="filters" onSubmit={add} data-testid="channel-form">
        <label>
          {w('kind')}{' '}
          <select name="kind" value={form.kind} onChange={set('kind')}>
            {KINDS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w('name')} <input name="name" maxLength={100} value={form.name} onInput={set('name')} />
        </label>
        <label>
          {w('target')} <input name="target" required value={form.target} onInput={set('target')} placeholder={w('targetHint')} size={40} />
        </label>
        <label>
          {w('street')} <input name="streetCode" pattern="[0-9]{9}" value={form.streetCode} onInput={set('streetCode')} size={10} />
        </label>
        <label>
          {w('secret')} <input name="secret" type="password" autoComplete="off" value={form.secret} onInput={set('secret')} />
        </label>
        <fieldset class="events">
          <legend>{w('events')}</legend>
          {NOTIFICATION_EVENTS.map((ev) => (
            <label key={ev}>
              <input type="checkbox" name={`event-${ev}`} checked={form.events.includes(ev)} onChange={() => toggle(ev)} /> {eventName(ev, lang)}
            </label>
          ))}
        </fieldset>
        <button class="primary" type="submit" disabled={!form.target.trim() || form.events.length === 0}>
          {w('add')}
        </button>
      </form>
      <ErrorLine error={error} />
      {notice && <p class="muted" data-testid="channel-notice">{notice}</p>}
      {channels && channels.length === 0 && <p class="muted">{w('none')}</p>}
      {channels && channels.length > 0 && (
        <table class="admin-table" data-testid="channels-table">
          <thead>
            <tr>
              <th>{w('name')}</th>
              <th>{w('kind')}</th>
              <th>{w('target')}</th>
              <th>{w('events')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name}
                  {c.streetCode && <span class="muted"> · {c.streetCode}</span>}
                </td>
                <td>{c.kind}</td>
                <td>
                  <code>{c.target}</code>
                </td>
                <td>{c.events.map((ev) => eventName(ev, lang)).join('、')}</td>
                <td>
                  <button type="button" data-testid={`channel-test-${c.id}`} onClick={() => void test(c)}>
                    {w('test')}
                  </button>{' '}
                  <button type="button" class="link" onClick={() => void remove(c)}>
                    {w('remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NotificationDeliveries refresh={refresh} />
    </div>
  );
}
