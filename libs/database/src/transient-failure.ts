/**
 * PostgreSQL's answers that mean "this transaction lost a race, try it again": a deadlock the server
 * broke by aborting us (40P01) and a serialization failure (40001). The whole transaction was rolled
 * back, so running it again from the start is safe.
 */
const TRANSIENT = new Set(['40P01', '40001']);

/** How many times a transaction that lost a race is run in all. */
export const TRANSIENT_ATTEMPTS = 3;

export function isTransientFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  return TRANSIENT.has(String(e.code ?? e.driverError?.code ?? ''));
}

/**
 * Runs a whole transaction (`run` opens and commits it) again when it lost a race, at most
 * {@link TRANSIENT_ATTEMPTS} times in all, after a short random pause; any other failure, or the last
 * attempt's, is thrown.
 */
export async function retryTransient<T>(run: () => Promise<T>, pause: (attempt: number) => Promise<void> = jitter): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= TRANSIENT_ATTEMPTS || !isTransientFailure(err)) throw err;
      await pause(attempt);
    }
  }
}

/** A few milliseconds, more each attempt, so the two parties of a deadlock do not meet again at once. */
const jitter = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
