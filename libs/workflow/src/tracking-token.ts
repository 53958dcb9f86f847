import { createHash } from 'node:crypto';

/** Tracking tokens are stored as their SHA-256 only; the reporter holds the token itself. */
export function trackingTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
