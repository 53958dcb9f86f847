import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CaseError } from './case-error';

/** A retried request: the key the client sent and a fingerprint of what it asked. */
export interface IdempotencyRequest {
  scope: string;
  key: string;
  /** sha256 of method, path and canonical body. */
  hash: string;
}

export interface StoredResponse {
  statusCode: number;
  body: unknown;
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

/**
 * Claims the key in the caller's transaction. A concurrent request with the same key waits on the
 * primary key until the first commits, then finds its answer: the first answer is returned to
 * every retry. The same key with another request is refused (409).
 */
export async function claimIdempotencyKey(m: EntityManager, req: IdempotencyRequest): Promise<StoredResponse | null> {
  const inserted: unknown[] = await m.query(
    `INSERT INTO idempotency_key (scope, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
    [req.scope, req.key, req.hash],
  );
  if (inserted.length > 0) return null;
  const [row]: { request_hash: string; status_code: number | null; response: unknown }[] = await m.query(
    `SELECT request_hash, status_code, response FROM idempotency_key WHERE scope = $1 AND key = $2`,
    [req.scope, req.key],
  );
  if (!row) return claimIdempotencyKey(m, req);
  if (row.request_hash !== req.hash) {
    throw new CaseError('idempotency_key_reused', 'this Idempotency-Key was used for a different request / 该幂等键已用于另一请求', 'Idempotency-Key');
  }
  if (row.status_code === null) {
    throw new CaseError('idempotency_key_in_use', 'a request with this Idempotency-Key is still in progress / 相同请求正在处理中', 'Idempotency-Key');
  }
  return { statusCode: row.status_code, body: row.response };
}

export async function storeIdempotentResponse(m: EntityManager, req: IdempotencyRequest, response: StoredResponse): Promise<void> {
  await m.query(`UPDATE idempotency_key SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2`, [
    req.scope,
    req.key,
    response.statusCode,
    JSON.stringify(response.body),
  ]);
}
