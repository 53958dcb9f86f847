import type { Role } from '@wangge/domain';

/** Who acts on a case, with what the server knows of their jurisdiction. */
export interface Actor {
  /** app_user id; null for anonymous citizens and for the system. */
  id: string | null;
  role: Role | 'system';
  name: string;
  /** Chiefs: their road_chief id. */
  chiefId: number | null;
  /** Wardens: the grid cells they patrol. */
  cellCodes: ReadonlySet<string>;
  /** Street-level staff: their street (null = the whole district). */
  streetCode: string | null;
}

/** The dispatcher and timers. */
export const SYSTEM_ACTOR: Actor = { id: null, role: 'system', name: 'system / 系统', chiefId: null, cellCodes: new Set(), streetCode: null };

/** An anonymous citizen (web form, app, Open311 without an account). */
export const ANONYMOUS_CITIZEN: Actor = { id: null, role: 'citizen', name: 'citizen / 市民', chiefId: null, cellCodes: new Set(), streetCode: null };
