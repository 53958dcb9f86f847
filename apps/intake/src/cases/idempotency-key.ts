import { IDEMPOTENCY_KEY_PATTERN, idempotencyRequest, type IdempotencyRequest } from '@wangge/reports';
import { CaseError, type Actor } from '@wangge/workflow';

/** The `Idempotency-Key` header as a request fingerprint, or undefined when none was sent. */
export function idempotencyOf(
  header: string | string[] | undefined,
  actor: Actor,
  clientAddress: string | undefined,
  method: string,
  path: string,
  body: unknown,
): IdempotencyRequest | undefined {
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new CaseError('bad_input', 'Idempotency-Key must be 1-200 characters of A-Z a-z 0-9 _ . : = + / - (a UUID is best)', 'Idempotency-Key');
  }
  // Signed-in callers own their keys; anonymous clients are told apart by their address.
  return idempotencyRequest(actor.id ?? `anonymous:${clientAddress ?? 'unknown'}`, key, method, path, body);
}
