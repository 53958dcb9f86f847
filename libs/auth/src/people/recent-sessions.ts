import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AccessTokenClaims } from '../auth-user';
import type { UserRecord } from './user-record';

/**
 * How long a token's verified claims and its user's row answer for the same token again: a
 * deactivation, role change, password reset or ended session made in another process (or straight
 * in the database) is refused from this long after on; one made through {@link UserDirectory} here at once.
 */
export const RECENT_SESSION_MS = 1000;

/** A clock for the cache (ms), for tests; absent: `Date.now`. */
export const RECENT_SESSIONS_CLOCK = Symbol('RECENT_SESSIONS_CLOCK');

/** Beyond this many tokens seen within a second, the cache starts over (it is a cache, not a session store). */
const MAX_ENTRIES = 10_000;

export interface RecentSession {
  claims: AccessTokenClaims & { exp?: number };
  user: UserRecord;
}

/**
 * Token checks of the last second (HTTP requests only): a signed-in client sending request after
 * request has its token verified and its user re-read once per {@link RECENT_SESSION_MS}, not per
 * request, and a warden's cells (the warden's jurisdiction) likewise. The rules (active, session
 * version, one-time password, role) are still applied to the kept row on every request; only the
 * reads are saved. {@link UserDirectory}'s writes forget everything.
 */
@Injectable()
export class RecentSessions {
  private readonly entries = new Map<string, RecentSession & { until: number }>();
  private readonly cells = new Map<string, { cells: ReadonlySet<string>; until: number }>();
  /** Bumped by forgetAll: a read that began before it is not kept. */
  private generation = 0;
  private readonly now: () => number;

  constructor(@Optional() @Inject(RECENT_SESSIONS_CLOCK) now?: () => number) {
    this.now = now ?? Date.now;
  }

  /** The token's check of the last second, if any (never past the token's own expiry). */
  get(token: string): RecentSession | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() < entry.until) return entry;
    this.entries.delete(token);
    return undefined;
  }

  keep(token: string, session: RecentSession): void {
    const now = this.now();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const expires = typeof session.claims.exp === 'number' ? session.claims.exp * 1000 : Infinity;
    this.entries.set(token, { ...session, until: Math.min(now + RECENT_SESSION_MS, expires) });
  }

  /** A warden's cells as read within the last second, else as `read` finds them now (and kept). */
  async wardenCells(userId: string, read: () => Promise<ReadonlySet<string>>): Promise<ReadonlySet<string>> {
    const kept = this.cells.get(userId);
    if (kept && this.now() < kept.until) return kept.cells;
    const generation = this.generation;
    const cells = await read();
    if (generation === this.generation) {
      if (this.cells.size >= MAX_ENTRIES) this.cells.clear();
      this.cells.set(userId, { cells, until: this.now() + RECENT_SESSION_MS });
    }
    return cells;
  }

  /** A user changed (active, role, password, sessions, jurisdiction): every kept check is read again. */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
    this.cells.clear();
  }
}
