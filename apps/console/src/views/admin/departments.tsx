import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type Category } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { ErrorLine } from '../../components/common';
import type { PersonRow, StreetChoice } from './people-model';

/** A department as `GET /api/v1/admin/departments` answers it (domain.md 9). */
export interface DepartmentView {
  code: string;
  name: string;
  categoryCodes: string[];
  streetCodes: string[];
  leader: { id: string; name: string } | null;
  active: boolean;
  members: number;
}

interface DepartmentFields {
  code: string;
  name: string;
  categoryCodes: string[];
  streetCodes: string[];
  leaderId: string;
  active: boolean;
}

const w = words({
  title: ['部门', 'Departments'],
  hint: [
    '管行业必须管本行业的问题：部门处置其负责类别的案件（限所选街道；不选则全区），所在道路的路长协调。成员在“人员”中以“部门人员”角色创建。',
    'Each trade handles its own problems: a department handles the cases of its categories (in the chosen streets; none: the whole district), with the road chief coordinating. Members are people of role “Department member”.',
  ],
  code: ['编码', 'Code'],
  name: ['名称', 'Name'],
  categories: ['负责类别', 'Categories'],
  streets: ['服务街道', 'Streets'],
  wholeDistrict: ['全区', 'Whole district'],
  leader: ['负责人', 'Leader'],
  noLeader: ['（无）', '(none)'],
  members: ['成员', 'Members'],
  state: ['状态', 'State'],
  active: ['启用', 'Active'],
  inactive: ['停用', 'Inactive'],
  create: ['新增部门', 'Add a department'],
  edit: ['修改', 'Edit'],
  save: ['保存', 'Save'],
  cancel: ['取消', 'Cancel'],
  saved: ['已保存', 'Saved'],
  none: ['还没有部门', 'No departments yet'],
  pickHint: ['按住 Ctrl 多选', 'Hold Ctrl to choose several'],
});

const EMPTY: DepartmentFields = { code: '', name: '', categoryCodes: [], streetCodes: [], leaderId: '', active: true };

const chosen = (e: Event) => Array.from((e.target as HTMLSelectElement).selectedOptions, (o) => o.value);

/** `PATCH /api/v1/admin/departments/:code`: only what differs from the department as loaded. */
export function departmentPatch(before: DepartmentView, f: DepartmentFields): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (f.name.trim() !== before.name) patch.name = f.name.trim();
  if (JSON.stringify([...f.categoryCodes].sort()) !== JSON.stringify(before.categoryCodes)) patch.categoryCodes = [...f.categoryCodes].sort();
  if (JSON.stringify([...f.streetCodes].sort()) !== JSON.stringify(before.streetCodes)) patch.streetCodes = [...f.streetCodes].sort();
  if ((f.leaderId || null) !== (before.leader?.id ?? null)) patch.leaderId = f.leaderId || null;
  if (f.active !== before.active) patch.active = f.active;
  return patch;
}

/** The departments tab: the list, a form to add one, and the same form to change one. */
export function DepartmentsSection() {
  const lang = useLang();
  const [list, setList] = useState<DepartmentView[] | null>(null);
  const [categories, setCategories] = useState<Category[]>([]);
  const [streets, setStreets] = useState<StreetChoice[]>([]);
  const [members, setMembers] = useState<PersonRow[]>([]);
  const [editing, setEditing] = useState<DepartmentView | null>(null);
  const [fields, setFields] = useState<DepartmentFields>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = () => api.get<DepartmentView[]>('/api/v1/admin/departments').then((l) => (setList(l), setError(null)), (e) => setError(errorText(e)));
  useEffect(() => {
    void load();
    api.get<Category[]>('/api/v1/categories').then(setCategories, (e) => setError(errorText(e)));
    api.get<StreetChoice[]>('/api/v1/admin/users/streets').then(setStreets, (e) => setError(errorText(e)));
    api.get<PersonRow[]>('/api/v1/admin/users?role=department&active=true').then(setMembers, () => setMembers([]));
  }, []);

  const categoryName = (code: string) => {
    const c = categories.find((x) => x.code === code);
    return c ? `${lang === 'zh' ? c.minor.name : c.minor.nameEn} ${code}` : code;
  };
  const streetName = (code: string) => streets.find((s) => s.code === code)?.name ?? code;

  function startEdit(d: DepartmentView) {
    setEditing(d);
    setFields({ code: d.code, name: d.name, categoryCodes: [...d.categoryCodes], streetCodes: [...d.streetCodes], leaderId: d.leader?.id ?? '', active: d.active });
    setNotice(null);
  }

  async function submit(e: Event) {
    e.preventDefault();
    try {
      if (editing) {
        await api.patch(`/api/v1/admin/departments/${encodeURIComponent(editing.code)}`, departmentPatch(editing, fields));
      } else {
        await api.post('/api/v1/admin/departments', {
          code: fields.code.trim(),
          name: fields.name.trim(),
          categoryCodes: [...fields.categoryCodes].sort(),
          ...(fields.streetCodes.length ? { streetCodes: [...fields.streetCodes].sort() } : {}),
        });
      }
      setEditing(null);
      setFields(EMPTY);
      setError(null);
      setNotice(w('saved'));
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div class="card" data-testid="departments">
      <div class="row">
        <h2>{w('title')}</h2>
        <span class="muted">{w('hint')}</span>
      </div>
      <form class="filters" data-form={editing ? 'department-edit' : 'department-new'} onSubmit={submit}>
        <label>
          {w('code')}
          <input name="code" required pattern="[A-Za-z0-9_\-]{1,32}" value={fields.code} disabled={!!editing} onInput={(e) => setFields({ ...fields, code: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {w('name')}
          <input name="name" required maxLength={100} value={fields.name} onInput={(e) => setFields({ ...fields, name: (e.target as HTMLInputElement).value })} />
        </label>
        <label title={w('pickHint')}>
          {w('categories')}
          <select name="categoryCodes" multiple size={6} required onChange={(e) => setFields({ ...fields, categoryCodes: chosen(e) })}>
            {categories.map((c) => (
              <option key={c.code} value={c.code} selected={fields.categoryCodes.includes(c.code)}>
                {categoryName(c.code)}
              </option>
            ))}
          </select>
        </label>
        <label title={w('pickHint')}>
          {w('streets')}
          <select name="streetCodes" multiple size={6} onChange={(e) => setFields({ ...fields, streetCodes: chosen(e) })}>
            {streets.map((s) => (
              <option key={s.code} value={s.code} selected={fields.streetCodes.includes(s.code)}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        {editing && (
          <label>
            {w('leader')}
            <select name="leaderId" value={fields.leaderId} onChange={(e) => setFields({ ...fields, leaderId: (e.target as HTMLSelectElement).value })}>
              <option value="">{w('noLeader')}</option>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({m.username})
                </option>
              ))}
            </select>
          </label>
        )}
        {editing && (
          <label>
            {w('state')}
            <select name="active" value={fields.active ? 'true' : 'false'} onChange={(e) => setFields({ ...fields, active: (e.target as HTMLSelectElement).value === 'true' })}>
              <option value="true">{w('active')}</option>
              <option value="false">{w('inactive')}</option>
            </select>
          </label>
        )}
        <button class="primary" type="submit">
          {editing ? w('save') : w('create')}
        </button>
        {editing && (
          <button type="button" onClick={() => (setEditing(null), setFields(EMPTY))}>
            {w('cancel')}
          </button>
        )}
      </form>
      <ErrorLine error={error} />
      {notice && !error && (
        <p class="muted" role="status">
          {notice}
        </p>
      )}
      {list && list.length === 0 && <p class="muted">{w('none')}</p>}
      {list && list.length > 0 && (
        <table class="admin-table" data-testid="departments-table">
          <thead>
            <tr>
              <th>{w('code')}</th>
              <th>{w('name')}</th>
              <th>{w('categories')}</th>
              <th>{w('streets')}</th>
              <th>{w('leader')}</th>
              <th>{w('members')}</th>
              <th>{w('state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.code} data-code={d.code}>
                <td>{d.code}</td>
                <td>{d.name}</td>
                <td>{d.categoryCodes.map(categoryName).join('、')}</td>
                <td>{d.streetCodes.length ? d.streetCodes.map(streetName).join('、') : w('wholeDistrict')}</td>
                <td>{d.leader?.name ?? '—'}</td>
                <td data-testid="members">{d.members}</td>
                <td>{d.active ? w('active') : w('inactive')}</td>
                <td>
                  <button type="button" data-action="edit" onClick={() => startEdit(d)}>
                    {w('edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
