import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { useAdminMe } from './admin-me';
import { PersonForm } from './person-form';
import { PEOPLE_ROLES, peopleQuery, roleName, type PeopleFilter, type PersonRow, type StreetChoice } from './people-model';
import { PeopleImport } from './people-import';
import { ErrorLine } from '../../components/common';

const w = words({
  title: ['人员', 'People'],
  hint: ['账号、角色、所属街道与网格员的负责网格。新账号和重置密码给出一次性密码。', 'Accounts, roles, streets and wardens’ cells. New accounts and resets give a one-time password.'],
  role: ['角色', 'Role'],
  street: ['街道', 'Street'],
  state: ['状态', 'State'],
  any: ['全部', 'Any'],
  active: ['在用', 'Active'],
  inactive: ['已停用', 'Deactivated'],
  search: ['搜索', 'Search'],
  searchHint: ['用户名、姓名或电话', 'username, name or phone'],
  add: ['新建人员', 'New person'],
  username: ['用户名', 'Username'],
  name: ['姓名', 'Name'],
  cells: ['网格', 'Cells'],
  login: ['登录', 'Login'],
  mustChange: ['待改密码', 'Must change password'],
  noPassword: ['未设密码', 'No password yet'],
  ok: ['正常', 'OK'],
  count: ['人', 'people'],
  none: ['没有符合条件的人员', 'Nobody matches'],
  chief: ['路长', 'Chief'],
});

/** `/admin/people`: the people of the district (a street admin: of their street). */
export function PeopleSection() {
  useLang();
  const me = useAdminMe();
  const [filter, setFilter] = useState<PeopleFilter>({ role: '', street: '', active: '', q: '' });
  const [rows, setRows] = useState<PersonRow[] | null>(null);
  const [streets, setStreets] = useState<StreetChoice[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);

  async function load(f = filter) {
    try {
      setRows(await api.get<PersonRow[]>(`/api/v1/admin/users${peopleQuery(f)}`));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => {
    void load();
    api.get<StreetChoice[]>('/api/v1/admin/users/streets').then(setStreets, (e) => setError(errorText(e)));
  }, []);

  const set = (k: keyof PeopleFilter) => (e: Event) => setFilter({ ...filter, [k]: (e.target as HTMLInputElement).value });
  const streetName = (code: string | null) => (code ? (streets.find((s) => s.code === code)?.name ?? code) : '—');
  return (
    <div class="people" data-testid="people">
      <div class="card">
        <div class="row">
          <h2>{w('title')}</h2>
          <span class="muted">{w('hint')}</span>
          <button type="button" class="primary" onClick={() => setEditing('new')} data-testid="person-new">
            {w('add')}
          </button>
        </div>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            void load();
          }}
        >
          <label>
            {w('role')}
            <select name="role" value={filter.role} onChange={set('role')}>
              <option value="">{w('any')}</option>
              {PEOPLE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleName(r)}
                </option>
              ))}
            </select>
          </label>
          {!me.streetCode && (
            <label>
              {w('street')}
              <select name="street" value={filter.street} onChange={set('street')}>
                <option value="">{w('any')}</option>
                {streets.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {w('state')}
            <select name="active" value={filter.active} onChange={set('active')}>
              <option value="">{w('any')}</option>
              <option value="true">{w('active')}</option>
              <option value="false">{w('inactive')}</option>
            </select>
          </label>
          <label>
            {w('search')}
            <input name="q" value={filter.q} onInput={set('q')} placeholder={w('searchHint')} />
          </label>
          <button class="primary" type="submit">
            {w('search')}
          </button>
        </form>
        <ErrorLine error={error} />
      </div>
      {editing && (
        <PersonForm
          key={editing}
          personId={editing === 'new' ? null : editing}
          streets={streets}
          onChanged={() => void load()}
          onClose={() => setEditing(null)}
        />
      )}
      <PeopleImport onImported={() => void load()} />
      {rows && (
        <div class="card">
          <p class="muted">
            {rows.length} {w('count')}
          </p>
          {rows.length === 0 ? (
            <p class="muted">{w('none')}</p>
          ) : (
            <table class="admin-table" data-testid="people-table">
              <thead>
                <tr>
                  <th>{w('username')}</th>
                  <th>{w('name')}</th>
                  <th>{w('role')}</th>
                  <th>{w('street')}</th>
                  <th>{w('cells')}</th>
                  <th>{w('login')}</th>
                  <th>{w('state')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id} class={`${p.active ? '' : 'inactive'} ${editing === p.id ? 'selected' : ''}`} data-username={p.username}>
                    <td>
                      <a
                        href="#"
                        onClick={(e) => {
                          e.preventDefault();
                          setEditing(p.id);
                        }}
                      >
                        {p.username}
                      </a>
                    </td>
                    <td>{p.name}</td>
                    <td>
                      {roleName(p.role)}
                      {p.jurisdiction.chief && <span class="muted"> · L{p.jurisdiction.chief.level}</span>}
                    </td>
                    <td>{streetName(p.jurisdiction.street)}</td>
                    <td>{p.role === 'warden' ? p.jurisdiction.cells : ''}</td>
                    <td>{!p.canLogIn ? w('noPassword') : p.passwordChangeRequired ? w('mustChange') : w('ok')}</td>
                    <td>{p.active ? w('active') : w('inactive')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
