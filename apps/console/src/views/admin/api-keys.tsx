import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { ErrorLine } from '../../components/common';

/** A key as `GET /api/v1/admin/api-keys` lists it: never the key itself. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface CreatedKey {
  id: string;
  name: string;
  key: string;
}

const w = words({
  title: ['API 密钥', 'API keys'],
  hint: ['Open311 客户端（小程序、热线系统）用密钥提交上报；密钥只在创建时显示一次。', 'Open311 clients (mini-programs, hotline systems) report with a key; the key is shown once, when it is created.'],
  name: ['用途 / 客户端', 'Client'],
  create: ['创建密钥', 'Create a key'],
  prefix: ['前缀', 'Prefix'],
  createdAt: ['创建时间', 'Created'],
  createdBy: ['创建人', 'By'],
  lastUsedAt: ['最近使用', 'Last used'],
  state: ['状态', 'State'],
  active: ['有效', 'Active'],
  revoked: ['已吊销', 'Revoked'],
  revoke: ['吊销', 'Revoke'],
  confirmRevoke: ['吊销后该客户端将无法再提交，确定吊销？', 'The client will no longer be able to report. Revoke this key?'],
  newKey: ['新密钥（仅此一次显示，请立即复制保存）：', 'The new key (shown this once only: copy it now):'],
  copy: ['复制', 'Copy'],
  copied: ['已复制', 'Copied'],
  never: ['从未', 'never'],
  none: ['还没有密钥', 'No keys yet'],
});

export function ApiKeysSection() {
  const lang = useLang();
  const [keys, setKeys] = useState<ApiKeyView[] | null>(null);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const when = (at: string | null) => (at ? new Date(at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') : w('never'));

  const load = () => api.get<ApiKeyView[]>('/api/v1/admin/api-keys').then(setKeys, (e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  async function create(e: Event) {
    e.preventDefault();
    try {
      setCreated(await api.post<CreatedKey>('/api/v1/admin/api-keys', { name: name.trim() }));
      setCopied(false);
      setName('');
      setError(null);
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function revoke(key: ApiKeyView) {
    if (!window.confirm(`${w('confirmRevoke')} (${key.name})`)) return;
    try {
      await api.delete(`/api/v1/admin/api-keys/${key.id}`);
      if (created?.id === key.id) setCreated(null);
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin): the key stays selected for Ctrl+C.
      (document.querySelector('[data-testid=api-key-new] code') as HTMLElement | null)?.focus();
    }
  }

  return (
    <div class="card" data-testid="api-keys">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      <form class="filters" onSubmit={create}>
        <label>
          {w('name')} <input name="name" required maxLength={100} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} placeholder="wechat-miniprogram" />
        </label>
        <button class="primary" type="submit" disabled={!name.trim()}>
          {w('create')}
        </button>
      </form>
      {created && (
        <p class="card" data-testid="api-key-new">
          {w('newKey')} <code tabIndex={0}>{created.key}</code>{' '}
          <button type="button" data-testid="api-key-copy" onClick={() => void copy()}>
            {copied ? w('copied') : w('copy')}
          </button>
        </p>
      )}
      <ErrorLine error={error} />
      {keys && keys.length === 0 && <p class="muted">{w('none')}</p>}
      {keys && keys.length > 0 && (
        <table class="admin-table" data-testid="api-keys-table">
          <thead>
            <tr>
              <th>{w('name')}</th>
              <th>{w('prefix')}</th>
              <th>{w('createdAt')}</th>
              <th>{w('createdBy')}</th>
              <th>{w('lastUsedAt')}</th>
              <th>{w('state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-key={k.name}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{when(k.createdAt)}</td>
                <td>{k.createdBy ?? ''}</td>
                <td>{when(k.lastUsedAt)}</td>
                <td>{k.revokedAt ? `${w('revoked')} ${when(k.revokedAt)}` : w('active')}</td>
                <td>
                  {!k.revokedAt && (
                    <button type="button" data-testid="api-key-revoke" onClick={() => void revoke(k)}>
                      {w('revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
