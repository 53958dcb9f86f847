// The people tab's data: what the API answers, the list's query, and what a form changes.
import type { Role } from '../../session';
import { words } from './admin-i18n';

/** A row of `GET /api/v1/admin/users`. */
export interface PersonRow {
  id: string;
  username: string;
  name: string;
  phone: string | null;
  role: Role;
  active: boolean;
  canLogIn: boolean;
  passwordChangeRequired: boolean;
  jurisdiction: { street: string | null; chief: { id: number; level: number } | null; cells: number };
}

/** `GET /api/v1/admin/users/:id`. */
export interface PersonDetail {
  id: string;
  username: string;
  name: string;
  phone: string | null;
  role: Role;
  streetCode: string | null;
  active: boolean;
  cells: string[];
  chiefId: number | null;
  /** Role department: the department the account belongs to. */
  departmentCode: string | null;
  cellsBbox: [number, number, number, number] | null;
}

/** `GET /api/v1/admin/users/streets`. */
export interface StreetChoice {
  code: string;
  name: string;
  bbox: [number, number, number, number] | null;
}

export const PEOPLE_ROLES: readonly Role[] = ['warden', 'chief', 'department', 'operator', 'leader', 'admin', 'citizen'];

export interface PeopleFilter {
  role: string;
  street: string;
  active: '' | 'true' | 'false';
  q: string;
}

/** The list's query string: only what is set. */
export function peopleQuery(f: PeopleFilter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim()) q.set(k, v.trim());
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The form's fields (text as typed). */
export interface PersonFields {
  username: string;
  name: string;
  phone: string;
  role: Role;
  streetCode: string;
  cells: string[];
  /** Role department: the department's code. */
  departmentCode: string;
}

export function fieldsOf(p: PersonDetail | null, defaults: { streetCode: string | null }): PersonFields {
  return p
    ? { username: p.username, name: p.name, phone: p.phone ?? '', role: p.role, streetCode: p.streetCode ?? '', cells: [...p.cells], departmentCode: p.departmentCode ?? '' }
    : { username: '', name: '', phone: '', role: 'warden', streetCode: defaults.streetCode ?? '', cells: [], departmentCode: '' };
}

/** `POST /api/v1/admin/users`: cells only for wardens, a department only for its members, empty optional fields left out. */
export function createBody(f: PersonFields): Record<string, unknown> {
  return {
    username: f.username.trim(),
    name: f.name.trim(),
    role: f.role,
    ...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
    ...(f.streetCode ? { streetCode: f.streetCode } : {}),
    ...(f.role === 'warden' && f.cells.length ? { cells: [...f.cells].sort() } : {}),
    ...(f.role === 'department' && f.departmentCode ? { departmentCode: f.departmentCode } : {}),
  };
}

/** `PATCH /api/v1/admin/users/:id`: only what differs from the person as loaded. */
export function patchBody(before: PersonDetail, f: PersonFields): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (f.name.trim() !== before.name) patch.name = f.name.trim();
  if ((f.phone.trim() || null) !== before.phone) patch.phone = f.phone.trim() || null;
  if (f.role !== before.role) patch.role = f.role;
  if ((f.streetCode || null) !== before.streetCode) patch.streetCode = f.streetCode || null;
  if (f.role === 'department' && (f.departmentCode || null) !== before.departmentCode) patch.departmentCode = f.departmentCode || null;
  const cells = f.role === 'warden' ? [...f.cells].sort() : [];
  if (JSON.stringify(cells) !== JSON.stringify([...before.cells].sort()) && (f.role === 'warden' || before.cells.length > 0)) patch.cells = cells;
  return patch;
}

/** Clicking a cell: in the selection it leaves, otherwise it joins (kept in code order). */
export function toggleCell(cells: readonly string[], code: string): string[] {
  return cells.includes(code) ? cells.filter((c) => c !== code) : [...cells, code].sort();
}

const roleWords = words({
  citizen: ['市民', 'Citizen'],
  warden: ['网格员', 'Grid warden'],
  chief: ['路长', 'Road chief'],
  department: ['部门人员', 'Department member'],
  operator: ['受理员', 'Operator'],
  leader: ['值班长', 'Leader'],
  admin: ['管理员', 'Administrator'],
});

/** A role's name in the page's language. */
export function roleName(role: Role): string {
  return roleWords(role);
}
