import type { FunctionComponent } from 'preact';
import { AuditSection } from './audit';
import { PeopleSection } from './people';

/** One tab of `/admin`: its path segment, its name in both languages, and its page. */
export interface AdminSection {
  id: string;
  name: readonly [zh: string, en: string];
  page: FunctionComponent;
  /** District admins only (a street-level admin does not see the tab). */
  districtOnly?: boolean;
}

/** The tabs of `/admin`, in this order. One line per section: add yours. */
export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { id: 'audit', name: ['审计记录', 'Audit trail'], page: AuditSection },
  { id: 'people', name: ['人员', 'People'], page: PeopleSection },
];
