import type { CasePrincipal } from '@wangge/auth';

/** Who acts on a case, with what the server knows of their jurisdiction (judged by the access model in @wangge/auth). */
export interface Actor extends CasePrincipal {
  name: string;
}

/** The dispatcher and timers. */
export const SYSTEM_ACTOR: Actor = { id: null, role: 'system', name: 'system / 系统', chiefId: null, cellCodes: new Set(), streetCode: null };

/** An anonymous citizen (web form, app, Open311 without an account). */
export const ANONYMOUS_CITIZEN: Actor = { id: null, role: 'citizen', name: 'citizen / 市民', chiefId: null, cellCodes: new Set(), streetCode: null };
