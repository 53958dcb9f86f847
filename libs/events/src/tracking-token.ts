import { createHash } from 'node:crypto';

/**
 * Tracking tokens are stored as their SHA-256 only; the reporter holds the token itself. Producers
 * store the hash with the case; the feed looks a citizen's subscription up by it.
 */
export function trackingTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
