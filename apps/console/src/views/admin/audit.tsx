import { useEffect, useState } from 'preact/hooks';
import { api, download, errorText } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { ErrorLine } from '../../components/common';

/** An entry as `GET /api/v1/admin/audit` answers it. */
export interface AuditEntryView {
  id: string;
  at: string;
  actor: { id: string | null; username: string };
  action: string;
  entity: string;
  entityId: string | null;
  streetCode: string | null;
  before: unknown;
  after: unknown;
}

const w = words({
  title: ['审计记录', 'Audit trail'],
  hint: ['每一项管理操作（人员、职责、基础数据、导入、密钥）只增不改。', 'Every admin change (people, duties, reference data, imports, keys), append-only.'],
  from: ['开始', 'From'],
  to: ['结束', 'To'],
  actor: ['操作人', 'Actor'],
  entity: ['对象', 'Entity'],
  any: ['全部', 'Any'],
  search: ['查询', 'Search'],
  exportCsv: ['导出 CSV', 'Export CSV'],
  at: ['时间', 'Time'],
  action: ['操作', 'Action'],
  record: ['记录', 'Record'],
  change: ['变更', 'Change'],
  none: ['没有符合条件的记录', 'No entries match'],
  count: ['条', 'entries'],
});

/** The entity kinds the platform records (a free word is accepted too). */
const ENTITIES = ['user', 'chief', 'category', 'standard', 'calendar', 'formula', 'api_key', 'import', 'district', 'department', 'channel'] as const;

/** The query string of a filter: only what is set. */
export function auditQuery(f: { from: string; to: string; actor: string; entity: string }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim()) q.set(k, v.trim());
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** What changed between before and after, as `field: old → new` lines (a creation lists the new values). */
export function changeLines(before: unknown, after: unknown): string[] {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const show = (v: unknown) => (v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => (k in b ? `${k}: ${show(b[k])} → ${show(a[k])}` : `${k}: ${show(a[k])}`));
}

export function AuditSection() {
  const lang = useLang();
  const [filter, setFilter] = useState({ from: '', to: '', actor: '', entity: '' });
  const [entries, setEntries] = useState<AuditEntryView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      setEntries(await api.get<AuditEntryView[]>(`/api/v1/admin/audit${auditQuery(filter)}`));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  const set = (k: keyof typeof filter) => (e: Event) => setFilter({ ...filter, [k]: (e.target as HTMLInputElement).value });
  return (
    <div class="card" data-testid="audit">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          {w('from')} <input type="date" name="from" value={filter.from} onInput={set('from')} />
        </label>
        <label>
          {w('to')} <input type="date" name="to" value={filter.to} onInput={set('to')} />
        </label>
        <label>
          {w('actor')} <input name="actor" value={filter.actor} onInput={set('actor')} placeholder="admin" />
        </label>
        <label>
          {w('entity')}{' '}
          <select name="entity" value={filter.entity} onChange={set('entity')}>
            <option value="">{w('any')}</option>
            {ENTITIES.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <button class="primary" type="submit">
          {w('search')}
        </button>
        <button
          type="button"
          data-testid="audit-export"
          onClick={() => download(`/api/v1/admin/audit.csv${auditQuery(filter)}`, 'audit.csv').catch((e) => setError(errorText(e)))}
        >
          {w('exportCsv')}
        </button>
      </form>
      <ErrorLine error={error} />
      {entries && (
        <>
          <p class="muted">
            {entries.length} {w('count')}
          </p>
          {entries.length === 0 ? (
            <p class="muted">{w('none')}</p>
          ) : (
            <table class="admin-table" data-testid="audit-table">
              <thead>
                <tr>
                  <th>{w('at')}</th>
                  <th>{w('actor')}</th>
                  <th>{w('action')}</th>
                  <th>{w('record')}</th>
                  <th>{w('change')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <time dateTime={e.at}>{new Date(e.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}</time>
                    </td>
                    <td>{e.actor.username}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      {e.entity}
                      {e.entityId ? ` ${e.entityId}` : ''}
                      {e.streetCode ? <span class="muted"> · {e.streetCode}</span> : null}
                    </td>
                    <td>
                      <ul class="changes">
                        {changeLines(e.before, e.after).map((l) => (
                          <li key={l}>{l}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
