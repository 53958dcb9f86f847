import { createHash } from 'node:crypto';

/** A retried request: the key the client sent and a fingerprint of what it asked. */
export interface IdempotencyRequest {
  scope: string;
  key: string;
  /** sha256 of method, path and canonical body. */
  hash: string;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:=+/-]{1,200}$/;

export function idempotencyRequest(scope: string, key: string, method: string, path: string, body: unknown): IdempotencyRequest {
  const hash = createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('hex');
  return { scope, key, hash };
}

/** JSON with object keys sorted, so equal bodies hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
