import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { CategoryForm, fw, StandardForm, type ClockType, type ConditionDraft } from './catalogue-forms';
import { ErrorLine } from '../../components/common';

/** A category as `GET /api/v1/admin/categories` answers it: every version of its standard. */
export interface CategoryRecord {
  code: string;
  kind: 'component' | 'event';
  major: { code: string; name: string; nameEn: string };
  minor: { code: string; name: string; nameEn: string };
  autoRegister: boolean;
  active: boolean;
  versionInForce: number | null;
  standards: {
    version: number;
    effectiveFrom: string;
    retiredAt: string | null;
    conditions: { id: number; no: number; condition: string; conditionEn: string; timeLimit: { value: number; clockType: ClockType }; closingCondition: string; closingConditionEn: string }[];
  }[];
}

const w = words({
  title: ['类别与标准', 'Categories and standards'],
  hint: ['立结案标准按版本管理，从不修改；停用的类别不再接受上报，旧案卷照常可查。', 'Standards change by new versions only; a deactivated category takes no reports, its cases stay readable.'],
  add: ['新增类别', 'Add a category'],
  cancel: ['取消', 'Cancel'],
  search: ['筛选', 'Filter'],
  code: ['编码', 'Code'],
  name: ['名称', 'Name'],
  inForce: ['现行版本', 'In force'],
  auto: ['自动立案', 'Auto-register'],
  state: ['状态', 'State'],
  active: ['启用', 'Active'],
  inactive: ['已停用', 'Inactive'],
  versions: ['标准版本', 'Versions'],
  newVersion: ['新增版本', 'New version'],
  deactivate: ['停用', 'Deactivate'],
  activate: ['启用', 'Activate'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  none: ['无', 'none'],
  from: ['生效', 'from'],
});

/** Categories grouped by kind and major class, in code order, matching `filter` (code or name). */
export function groupCategories(list: readonly CategoryRecord[], filter = ''): { key: string; kind: CategoryRecord['kind']; major: CategoryRecord['major']; items: CategoryRecord[] }[] {
  const q = filter.trim().toLowerCase();
  const groups = new Map<string, { key: string; kind: CategoryRecord['kind']; major: CategoryRecord['major']; items: CategoryRecord[] }>();
  for (const c of [...list].sort((a, b) => a.code.localeCompare(b.code))) {
    if (q && ![c.code, c.minor.name, c.minor.nameEn, c.major.name].some((s) => s.toLowerCase().includes(q))) continue;
    const key = `${c.kind}-${c.major.code}`;
    const g = groups.get(key) ?? { key, kind: c.kind, major: c.major, items: [] };
    g.items.push(c);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** The drafts a new version starts from: the newest version's conditions. */
function draftsOf(c: CategoryRecord): ConditionDraft[] {
  const last = c.standards[c.standards.length - 1];
  return (last?.conditions ?? []).map((s) => ({ ...s, value: String(s.timeLimit.value), clockType: s.timeLimit.clockType }));
}

export function CatalogueSection() {
  const lang = useLang();
  const zh = lang === 'zh';
  const [list, setList] = useState<CategoryRecord[] | null>(null);
  const [filter, setFilter] = useState('');
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [versionFor, setVersionFor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => api.get<CategoryRecord[]>('/api/v1/admin/categories').then((l) => (setList(l), setError(null)), (e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  async function setActive(c: CategoryRecord, active: boolean) {
    try {
      await api.patch(`/api/v1/admin/categories/${c.code}`, { active });
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div class="card" data-testid="catalogue">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      <div class="filters">
        <label>
          {w('search')} <input name="filter" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} placeholder="E0102 / 垃圾" />
        </label>
        <button type="button" data-testid="category-add" onClick={() => setAdding(!adding)}>
          {adding ? w('cancel') : w('add')}
        </button>
      </div>
      {adding && <CategoryForm onSaved={() => (setAdding(false), void load())} />}
      <ErrorLine error={error} />
      {list &&
        groupCategories(list, filter).map((g) => (
          <section key={g.key}>
            <h3>
              {g.kind === 'component' ? fw('component') : fw('event')} {g.major.code} {zh ? g.major.name : g.major.nameEn}
            </h3>
            <table class="admin-table">
              <thead>
                <tr>
                  <th>{w('code')}</th>
                  <th>{w('name')}</th>
                  <th>{w('inForce')}</th>
                  <th>{w('auto')}</th>
                  <th>{w('state')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {g.items.map((c) => (
                  <>
                    <tr key={c.code} data-code={c.code}>
                      <td>
                        <code>{c.code}</code>
                      </td>
                      <td>{zh ? c.minor.name : c.minor.nameEn}</td>
                      <td>{c.versionInForce === null ? w('none') : `v${c.versionInForce}`}</td>
                      <td>{c.autoRegister ? w('yes') : w('no')}</td>
                      <td>{c.active ? w('active') : w('inactive')}</td>
                      <td>
                        <button type="button" data-testid="category-versions" onClick={() => setOpen(open === c.code ? null : c.code)}>
                          {w('versions')} ({c.standards.length})
                        </button>{' '}
                        <button type="button" data-testid="category-new-version" onClick={() => (setOpen(c.code), setVersionFor(versionFor === c.code ? null : c.code))}>
                          {w('newVersion')}
                        </button>{' '}
                        <button type="button" data-testid="category-toggle" onClick={() => void setActive(c, !c.active)}>
                          {c.active ? w('deactivate') : w('activate')}
                        </button>
                      </td>
                    </tr>
                    {open === c.code && (
                      <tr key={`${c.code}-versions`}>
                        <td colSpan={6} data-testid="category-detail">
                          {c.standards.map((s) => (
                            <div key={s.version} class={s.version === c.versionInForce ? 'card' : 'card muted'}>
                              <strong>v{s.version}</strong> · {w('from')} {s.effectiveFrom}
                              <ol>
                                {s.conditions.map((k) => (
                                  <li key={k.id}>
                                    {zh ? k.condition : k.conditionEn} — {k.timeLimit.value} {fw(k.timeLimit.clockType)} — {zh ? k.closingCondition : k.closingConditionEn}
                                  </li>
                                ))}
                              </ol>
                            </div>
                          ))}
                          {versionFor === c.code && <StandardForm code={c.code} start={draftsOf(c)} onSaved={() => (setVersionFor(null), void load())} />}
                        </td>
                      </tr>
                    )}
                  </>
                ))}
              </tbody>
            </table>
          </section>
        ))}
    </div>
  );
}
