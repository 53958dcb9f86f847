import type { Role } from '@wangge/domain';

/** Who is calling, as the token and the database say (re-read on every request). */
export interface AuthUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  /** Street-level staff: their street; null for district-wide staff. */
  streetCode: string | null;
  /** Chiefs: their road_chief id. */
  chiefId: number | null;
  /** Department members (role department): their department's code (absent or null for everyone else). */
  departmentCode?: string | null;
  /** A department's leader (部门负责人): the department they lead (absent or null for everyone else). */
  ledDepartmentCode?: string | null;
}

/** Claims carried in the access token. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  username: string;
  /** The account's session version when the token was issued: an older one is refused (sessions ended). */
  ver?: number;
}
