import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type Repository } from 'typeorm';
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
    @InjectDataSource() db: DataSource,
    @Inject(UserDirectory) private readonly users: UserDirectory,
  ) {
    this.keys = db.getRepository(ApiKey);
  }

  async create(name: string, createdBy: string | null): Promise<CreatedApiKey> {
    const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const prefix = key.slice(0, PREFIX_LENGTH);
    // One INSERT … RETURNING id, created_at (no save(): it would wrap the insert in a transaction).
    const { generatedMaps } = await this.keys.insert({ name, keyHash: apiKeyHash(key), keyPrefix: prefix, createdBy });
    const made = generatedMaps[0] as Pick<ApiKey, 'id' | 'createdAt'>;
    return { id: made.id, name, key, prefix, createdAt: new Date(made.createdAt).toISOString() };
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

  /** Revokes a key (again: nothing changes). false when there is no such key. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.keys
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'coalesce(revoked_at, now())' })
      .where({ id })
      .execute();
    return (result.affected ?? 0) > 0;
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
