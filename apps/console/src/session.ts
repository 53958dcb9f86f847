// The signed-in user and token, kept in localStorage so a reload keeps the session.
export type Role = 'citizen' | 'warden' | 'chief' | 'department' | 'operator' | 'leader' | 'admin';

export interface Session {
  accessToken: string;
  user: { id: string; name: string; role: Role; username?: string };
}

const KEY = 'wangge.session';

export function loadSession(storage: Storage | undefined = globalThis.localStorage): Session | null {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s?.accessToken !== 'string' || typeof s?.user?.role !== 'string') return null;
    if (tokenExpired(s.accessToken, Date.now())) {
      storage?.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null, storage: Storage | undefined = globalThis.localStorage): void {
  if (session) storage?.setItem(KEY, JSON.stringify(session));
  else storage?.removeItem(KEY);
}

/** Whether a JWT's `exp` has passed (an unreadable token counts as not expired: the server decides). */
export function tokenExpired(token: string, now: number): boolean {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof payload.exp === 'number' && payload.exp * 1000 <= now;
  } catch {
    return false;
  }
}

/** The page each role lands on after signing in. */
export function homeOf(role: Role): string {
  switch (role) {
    // A department's member handles their department's cases on the chief's phone page (domain.md 9).
    case 'chief':
    case 'department':
      return '/chief';
    case 'warden':
      return '/warden';
    case 'citizen':
      return '/report';
    // The leader's desk: what waits for their decision, beside the rankings, trends and bulletins (nav).
    case 'leader':
      return '/approvals';
    case 'admin':
      return '/admin';
    default:
      return '/command';
  }
}
