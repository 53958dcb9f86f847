export const ROLES = ['citizen', 'warden', 'chief', 'operator', 'leader', 'admin', 'department'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that see the whole district. */
export const DISTRICT_WIDE_ROLES: readonly Role[] = ['operator', 'leader', 'admin'];

/** Staff: everyone who logs in (citizens report anonymously). */
export const STAFF_ROLES: readonly Role[] = ['warden', 'chief', 'operator', 'leader', 'admin', 'department'];

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  citizen: { zh: '市民', en: 'citizen' },
  warden: { zh: '网格员', en: 'grid warden' },
  chief: { zh: '路长', en: 'road chief' },
  operator: { zh: '受理员', en: 'operator' },
  leader: { zh: '值班长', en: 'leader' },
  admin: { zh: '管理员', en: 'administrator' },
  /** A member of a department that handles the cases of its trade (domain.md 9). */
  department: { zh: '部门人员', en: 'department member' },
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
