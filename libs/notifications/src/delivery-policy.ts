/** Attempts and backoff of deliveries (NOTIFY_ATTEMPTS, NOTIFY_BACKOFF_MS). */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

const MAX_WAIT_MS = 3_600_000;

/**
 * After failed attempt `attempt` (1 first) of a delivery whose count restarted at `retryBase`
 * (an admin's retry): dead when its attempts are spent, else the wait before the next one
 * (backoff, doubled at each attempt, at most an hour).
 */
export function afterFailure(policy: RetryPolicy, attempt: number, retryBase: number): { dead: true } | { dead: false; waitMs: number } {
  const made = attempt - retryBase;
  if (made >= policy.attempts) return { dead: true };
  return { dead: false, waitMs: Math.min(policy.backoffMs * 2 ** (made - 1), MAX_WAIT_MS) };
}
