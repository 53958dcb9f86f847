/** Who made an admin change: a user of the API, or the CLI (`id` null, e.g. `cli:setup`). */
export interface AuditActor {
  id: string | null;
  username: string;
}

/** One admin change to keep (domain.md section 7). */
export interface AuditRecord {
  actor: AuditActor;
  /** `<entity>.<verb>`: `user.create`, `user.update`, `user.reset_password`, `standard.create`, … */
  action: string;
  /** What kind of record changed: `user`, `category`, `standard`, `calendar`, `formula`, `api_key`, `import`, … */
  entity: string;
  entityId?: string | number | null;
  /** The street the change concerns, if any: street-level admins read the trail of their street. */
  streetCode?: string | null;
  /** The record before and after the change (null for a creation / a removal). Never a secret. */
  before?: unknown;
  after?: unknown;
}

/** An entry as `GET /api/v1/admin/audit` answers it. */
export interface AuditView {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  entity: string;
  entityId: string | null;
  streetCode: string | null;
  before: unknown;
  after: unknown;
}

/** What to read: a time window, an actor (id or username), an entity kind; street admins see their street. */
export interface AuditFilter {
  from?: Date;
  to?: Date;
  actor?: string;
  entity?: string;
  /** Only the entries of this street (a street-level admin's view). */
  streetCode?: string;
  limit?: number;
}

const ACTION = /^[a-z_]+\.[a-z_]+$/;
const ENTITY = /^[a-z_]+$/;

/** The keys no audit entry may carry, at any depth: the trail is readable by admins and exported. */
const SECRET_KEYS = /^(password|passwordHash|password_hash|initialPassword|key|keyHash|key_hash|secret|token|accessToken)$/i;

/** Checks a record (a programming error throws) and drops secrets from `before` / `after`. */
export function auditRow(record: AuditRecord): AuditRecord {
  if (!ACTION.test(record.action)) throw new Error(`audit action ${record.action} is not <entity>.<verb>`);
  if (!ENTITY.test(record.entity)) throw new Error(`audit entity ${record.entity} is not a lower-case word`);
  if (!record.actor.username) throw new Error('audit actor has no username');
  return { ...record, before: withoutSecrets(record.before ?? null), after: withoutSecrets(record.after ?? null) };
}

export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !SECRET_KEYS.test(k))
        .map(([k, v]) => [k, withoutSecrets(v)]),
    );
  }
  return value;
}
