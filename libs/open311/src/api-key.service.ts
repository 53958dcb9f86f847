import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';

/** A key as the administrator sees it in lists: never the key itself. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** The first characters of the key, to tell keys apart. */
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A new key: the only time the key is shown. */
export interface CreatedApiKey {
  id: string;
  name: string;
  key: string;
  prefix: string;
  createdAt: string;
}

/** The client behind a verified key. */
export interface ApiKeyHolder {
  id: string;
  name: string;
}

const KEY_PREFIX = 'wg_';
const PREFIX_LENGTH = 10;

export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

interface ApiKeyRow {
  id: string;
  name: string;
  key_prefix: string;
  created_at: Date;
  created_by: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * Open311 API keys (domain.md 4.3): issued by an administrator, stored as their SHA-256 and a
 * short prefix, revoked rather than deleted, their last use recorded.
 */
@Injectable()
export class ApiKeyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Issues a key; the audit entry (never the key) commits with it. */
  async create(name: string, actor: AuditActor): Promise<CreatedApiKey> {
    const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const prefix = key.slice(0, PREFIX_LENGTH);
    return this.db.transaction(async (m) => {
      const [row]: ApiKeyRow[] = await m.query(
        `INSERT INTO api_key (name, key_hash, key_prefix, created_by) VALUES ($1, $2, $3, $4)
         RETURNING id, name, key_prefix, created_at`,
        [name, apiKeyHash(key), prefix, actor.id],
      );
      await recordAudit(m, { actor, action: 'api_key.create', entity: 'api_key', entityId: row.id, after: { name: row.name, prefix: row.key_prefix } });
      return { id: row.id, name: row.name, key, prefix: row.key_prefix, createdAt: new Date(row.created_at).toISOString() };
    });
  }

  async list(): Promise<ApiKeyView[]> {
    const rows: (ApiKeyRow & { created_by_username: string | null })[] = await this.db.query(
      `SELECT k.id, k.name, k.key_prefix, k.created_at, u.username AS created_by_username, k.last_used_at, k.revoked_at
         FROM api_key k LEFT JOIN app_user u ON u.id = k.created_by
        ORDER BY k.created_at DESC, k.id`,
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.key_prefix,
      createdAt: new Date(r.created_at).toISOString(),
      createdBy: r.created_by_username,
      lastUsedAt: iso(r.last_used_at),
      revokedAt: iso(r.revoked_at),
    }));
  }

  /** Revokes a key, with its audit entry (again: nothing changes, nothing recorded). false when there is no such key. */
  async revoke(id: string, actor: AuditActor): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const [row]: { name: string; key_prefix: string; revoking: boolean }[] = await m.query(
        `SELECT name, key_prefix, revoked_at IS NULL AS revoking FROM api_key WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (row?.revoking) {
        await m.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [id]);
        await recordAudit(m, { actor, action: 'api_key.revoke', entity: 'api_key', entityId: id, before: { name: row.name, prefix: row.key_prefix, revoked: false }, after: { name: row.name, prefix: row.key_prefix, revoked: true } });
      }
      return row !== undefined;
    });
  }

  /** The holder of an active key, its use recorded; null for an unknown or revoked key. */
  async verify(key: string): Promise<ApiKeyHolder | null> {
    if (key.length === 0 || key.length > 200) return null;
    const [row]: ApiKeyHolder[] = await this.db.query(
      `WITH k AS (UPDATE api_key SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL RETURNING id, name) SELECT id, name FROM k`,
      [apiKeyHash(key)],
    );
    return row ?? null;
  }
}
