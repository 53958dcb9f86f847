import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type Repository } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { UserDirectory } from '@wangge/auth';
import { ApiKey } from '@wangge/domain';

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

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * Open311 API keys (domain.md 4.3): issued by an administrator, stored as their SHA-256 and a
 * short prefix, revoked rather than deleted, their last use recorded.
 */
@Injectable()
export class ApiKeyService {
  private readonly keys: Repository<ApiKey>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(UserDirectory) private readonly users: UserDirectory,
  ) {
    this.keys = db.getRepository(ApiKey);
  }

  /** Issues a key; the audit entry (never the key) commits with it. */
  async create(name: string, actor: AuditActor): Promise<CreatedApiKey> {
    const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const prefix = key.slice(0, PREFIX_LENGTH);
    return this.db.transaction(async (m) => {
      const { generatedMaps } = await m.getRepository(ApiKey).insert({ name, keyHash: apiKeyHash(key), keyPrefix: prefix, createdBy: actor.id });
      const made = generatedMaps[0] as Pick<ApiKey, 'id' | 'createdAt'>;
      await recordAudit(m, { actor, action: 'api_key.create', entity: 'api_key', entityId: made.id, after: { name, prefix } });
      return { id: made.id, name, key, prefix, createdAt: new Date(made.createdAt).toISOString() };
    });
  }

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.keys.find({ order: { createdAt: 'DESC', id: 'ASC' } });
    const usernames = await this.users.usernames(rows.flatMap((r) => (r.createdBy ? [r.createdBy] : [])));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.keyPrefix,
      createdAt: new Date(r.createdAt).toISOString(),
      createdBy: r.createdBy ? (usernames.get(r.createdBy) ?? null) : null,
      lastUsedAt: iso(r.lastUsedAt),
      revokedAt: iso(r.revokedAt),
    }));
  }

  /** Revokes a key, with its audit entry (again: nothing changes, nothing recorded). false when there is no such key. */
  async revoke(id: string, actor: AuditActor): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const keys = m.getRepository(ApiKey);
      const row = await keys.findOne({ select: { id: true, name: true, keyPrefix: true, revokedAt: true }, where: { id }, lock: { mode: 'pessimistic_write' } });
      if (row && row.revokedAt === null) {
        await keys.update({ id }, { revokedAt: () => 'now()' });
        const shown = { name: row.name, prefix: row.keyPrefix };
        await recordAudit(m, { actor, action: 'api_key.revoke', entity: 'api_key', entityId: id, before: { ...shown, revoked: false }, after: { ...shown, revoked: true } });
      }
      return row !== null;
    });
  }

  /** The holder of an active key, its use recorded; null for an unknown or revoked key. */
  async verify(key: string): Promise<ApiKeyHolder | null> {
    if (key.length === 0 || key.length > 200) return null;
    const result = await this.keys
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where({ keyHash: apiKeyHash(key), revokedAt: IsNull() })
      .returning(['id', 'name'])
      .execute();
    const [row] = result.raw as ApiKeyHolder[];
    return row ? { id: row.id, name: row.name } : null;
  }
}
