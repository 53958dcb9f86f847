/** A user as sign-in and token checks read them: who, which role and jurisdiction, whether active. */
export interface UserRecord {
  id: string;
  username: string;
  name: string;
  /** As stored: the caller checks it is a known role. */
  role: string;
  streetCode: string | null;
  /** Their road_chief id; null for anyone not a chief. */
  chiefId: number | null;
  /** Role department: their department's code. */
  departmentCode: string | null;
  /** Role department: the department they lead (its leader), else null. */
  ledDepartmentCode: string | null;
  active: boolean;
  /** Carried in access tokens: a token of another version is refused (sessions ended). */
  sessionVersion: number;
  /** A one-time password: the account's sessions may only change it. */
  passwordChangeRequired: boolean;
  /** Only when asked for (sign-in): null when the account cannot log in. */
  passwordHash?: string | null;
}
