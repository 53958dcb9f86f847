import { SetMetadata } from '@nestjs/common';

/**
 * The limits a route counts against (per minute, per caller: a signed-in user by their id, anyone
 * else by their address — behind TRUST_PROXY's proxies, the forwarded one; `default` always by address):
 * - `reports`: REPORT_RATE_LIMIT anonymous, REPORT_RATE_LIMIT_STAFF signed in;
 * - `reads`: READ_RATE_LIMIT, anonymous callers only (Open311, a case by its tracking token);
 * - `login`: LOGIN_RATE_LIMIT (the per-account backoff is the login's own);
 * - `default`: 60, or the route's `@Throttle({ default: … })`.
 */
export type RateLimitName = 'reports' | 'reads' | 'login' | 'default';

export const RATE_LIMITS = 'wangge:rate-limits';

/** Counts the route (or every route of the class) against these limits; none else applies. */
export const RateLimit = (...names: RateLimitName[]) => SetMetadata(RATE_LIMITS, names);
