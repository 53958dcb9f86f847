import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { useLang } from '../../i18n';
import { words } from './admin-i18n';
import { useAdminMe } from './admin-me';
import { PEOPLE_ROLES, roleName, type PersonFields, type StreetChoice } from './people-model';

const w = words({
  username: ['用户名', 'Username'],
  name: ['姓名', 'Name'],
  phone: ['电话', 'Phone'],
  role: ['角色', 'Role'],
  street: ['街道', 'Street'],
  districtWide: ['全区（无街道）', 'District-wide (no street)'],
  department: ['所属部门', 'Department'],
  chooseDepartment: ['请选择部门', 'Choose a department'],
});

/** The departments a member may belong to (`GET /api/v1/admin/departments`, district admins). */
function useDepartments(wanted: boolean): { code: string; name: string; active: boolean }[] {
  const [list, setList] = useState<{ code: string; name: string; active: boolean }[]>([]);
  useEffect(() => {
    if (wanted) api.get<{ code: string; name: string; active: boolean }[]>('/api/v1/admin/departments').then(setList, () => setList([]));
  }, [wanted]);
  return list;
}

interface PersonFieldsGridProps {
  fields: PersonFields;
  onChange(fields: PersonFields): void;
  streets: StreetChoice[];
  /** An existing account: its username stays. */
  editing: boolean;
  /** The account holds a road-chief post: its role stays chief. */
  isChief: boolean;
}

/** A person's own fields: username, name, phone, role, street (a street admin: theirs only). */
export function PersonFieldsGrid({ fields, onChange, streets, editing, isChief }: PersonFieldsGridProps) {
  useLang();
  const me = useAdminMe();
  const set = (k: keyof PersonFields) => (e: Event) => onChange({ ...fields, [k]: (e.target as HTMLInputElement).value });
  const departments = useDepartments(fields.role === 'department');
  return (
    <div class="form-grid">
      <label>
        {w('username')}
        <input name="username" value={fields.username} onInput={set('username')} disabled={editing} required pattern="[A-Za-z0-9_.@\-]{2,64}" />
      </label>
      <label>
        {w('name')}
        <input name="name" value={fields.name} onInput={set('name')} required maxLength={100} />
      </label>
      <label>
        {w('phone')}
        <input name="phone" value={fields.phone} onInput={set('phone')} />
      </label>
      <label>
        {w('role')}
        <select name="role" value={fields.role} onChange={set('role')} disabled={isChief}>
          {PEOPLE_ROLES.filter((r) => r !== 'chief' || isChief).map((r) => (
            <option key={r} value={r}>
              {roleName(r)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {w('street')}
        <select name="streetCode" value={fields.streetCode} onChange={(e) => onChange({ ...fields, streetCode: (e.target as HTMLSelectElement).value, cells: [] })}>
          {!me.streetCode && <option value="">{w('districtWide')}</option>}
          {streets.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name} {s.code}
            </option>
          ))}
        </select>
      </label>
      {fields.role === 'department' && (
        <label>
          {w('department')}
          <select name="departmentCode" value={fields.departmentCode} onChange={set('departmentCode')} required>
            <option value="">{w('chooseDepartment')}</option>
            {departments
              .filter((d) => d.active || d.code === fields.departmentCode)
              .map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name} {d.code}
                </option>
              ))}
          </select>
        </label>
      )}
    </div>
  );
}
