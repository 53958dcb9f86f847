import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import type { StaffJurisdiction } from '@wangge/auth';
import { CHIEF_TITLES, RoadChief, type ChiefLevel, type ChiefScopeKind } from '@wangge/domain';
import { ChiefError } from './chief-error';

export interface ChiefView {
  id: number;
  userId: string;
  username: string;
  name: string;
  phone: string | null;
  level: ChiefLevel;
  title: string;
  titleEn: string;
  available: boolean;
  unavailableReason: string | null;
  deputy: { id: number; name: string; level: ChiefLevel } | null;
  scopes: { kind: ChiefScopeKind; ref: string; name: string }[];
}

export interface ChiefFilter {
  level?: ChiefLevel;
  available?: boolean;
  streetCode?: string;
}

/** Who changes a chief: recorded in the audit trail; a street-level caller may change only chiefs of their street. */
export interface RosterEditor extends AuditActor {
  streetCode: string | null;
}

export interface AvailabilityChange {
  available?: boolean;
  unavailableReason?: string | null;
  deputyId?: number | null;
}

const CHIEF_SQL = `
  SELECT c.id, u.id AS user_id, u.username, u.name, u.phone, c.level, c.available, c.unavailable_reason,
         CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id, 'name', du.name, 'level', d.level) END AS deputy,
         coalesce((SELECT json_agg(json_build_object('kind', sc.kind,
                     'ref', coalesce(r.ref, rs.ref, sc.community_code, sc.street_code),
                     'name', coalesce(r.name, sr.name || ' #' || rs.seq, m.name, s.name)) ORDER BY sc.kind, sc.id)
                     FROM road_chief_scope sc
                     LEFT JOIN road r ON r.id = sc.road_id
                     LEFT JOIN road_segment rs ON rs.id = sc.segment_id
                     LEFT JOIN road sr ON sr.id = rs.road_id
                     LEFT JOIN community m ON m.code = sc.community_code
                     LEFT JOIN street s ON s.code = sc.street_code
                    WHERE sc.chief_id = c.id), '[]'::json) AS scopes
    FROM road_chief c
    JOIN app_user u ON u.id = c.user_id
    LEFT JOIN road_chief d ON d.id = c.deputy_id
    LEFT JOIN app_user du ON du.id = d.user_id`;

const DISTRICT: StaffJurisdiction = { streetCode: null };

/**
 * The chiefs of a street (`street`: a bind placeholder): a scope on the street, one of its
 * communities, or a road or segment that runs through it (the rule the street's roster lists by).
 */
function ofStreetSql(street: string): string {
  return `EXISTS (SELECT 1 FROM road_chief_scope sc
                   WHERE sc.chief_id = c.id
                     AND (sc.street_code = ${street} OR left(sc.community_code, 9) = ${street}
                          OR EXISTS (SELECT 1 FROM road_segment x JOIN street st ON st.code = ${street}
                                      WHERE (x.road_id = sc.road_id OR x.id = sc.segment_id) AND x.retired_at IS NULL
                                        AND x.geom && st.geom AND ST_Intersects(x.geom, st.geom))))`;
}

interface ChiefRow {
  id: number;
  user_id: string;
  username: string;
  name: string;
  phone: string | null;
  level: ChiefLevel;
  available: boolean;
  unavailable_reason: string | null;
  deputy: ChiefView['deputy'];
  scopes: ChiefView['scopes'];
}

/** The road chiefs, their scopes, and their availability (leave) and deputies, which routing honours. */
@Injectable()
export class ChiefRosterService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(filter: ChiefFilter): Promise<ChiefView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.level !== undefined) where.push(`c.level = $${params.push(filter.level)}`);
    if (filter.available !== undefined) where.push(`c.available = $${params.push(filter.available)}`);
    if (filter.streetCode !== undefined) where.push(ofStreetSql(`$${params.push(filter.streetCode)}`));
    const rows: ChiefRow[] = await this.db.query(`${CHIEF_SQL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.level, u.username`, params);
    return rows.map(toView);
  }

  /**
   * One chief. Within a street's jurisdiction only a chief of that street: another street's chief
   * answers 404, as a missing one does (street staff neither read nor learn of them).
   */
  async get(id: number, jurisdiction: StaffJurisdiction = DISTRICT, manager: EntityManager = this.db.manager): Promise<ChiefView> {
    const street = jurisdiction.streetCode;
    const rows: ChiefRow[] = await manager.query(`${CHIEF_SQL} WHERE c.id = $1${street === null ? '' : ` AND ${ofStreetSql('$2')}`}`, street === null ? [id] : [id, street]);
    if (!rows[0]) throw new ChiefError('not_found', `road chief ${id} not found`);
    return toView(rows[0]);
  }

  /** The accounts holding the chiefs' posts, by chief id, in one read (a post without a user, or unknown, is left out). */
  async accountsOf(ids: readonly number[], manager: EntityManager = this.db.manager): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: number; user_id: string }[] = await manager.query(`SELECT c.id, u.id AS user_id FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE c.id = ANY($1::int[])`, [
      [...new Set(ids)],
    ]);
    return new Map(rows.map((r) => [Number(r.id), r.user_id]));
  }

  /**
   * Marks a chief on leave or back, and names their deputy; the change and its audit entry (chief,
   * before and after) commit together. A street-level editor may change only a chief of their
   * street (another's answers 404) and name a deputy of their street only.
   */
  async update(id: number, change: AvailabilityChange, editor: RosterEditor): Promise<ChiefView> {
    const jurisdiction = { streetCode: editor.streetCode };
    await this.get(id, jurisdiction);
    if (editor.streetCode !== null && change.deputyId !== undefined && change.deputyId !== null && change.deputyId !== id) {
      const deputyOfStreet = await this.get(change.deputyId, jurisdiction).then(() => true, (err: unknown) => (err instanceof ChiefError ? false : Promise.reject(err)));
      if (!deputyOfStreet) {
        throw new ChiefError('outside_jurisdiction', `road chief ${change.deputyId} is not of your street / 代理路长须为本街道路长`, [
          { field: 'deputyId', problem: 'a deputy of a chief of your street must be a chief of your street' },
        ]);
      }
    }
    return this.db.transaction(async (tx) => {
      const chiefs = tx.getRepository(RoadChief);
      const current = await chiefs.findOne({ select: { id: true }, where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new ChiefError('not_found', `road chief ${id} not found`);
      const before = await this.get(id, DISTRICT, tx);
      if (change.deputyId !== undefined && change.deputyId !== null) {
        if (change.deputyId === id) throw new ChiefError('bad_input', 'invalid input', [{ field: 'deputyId', problem: 'a chief cannot be their own deputy' }]);
        if (!(await chiefs.existsBy({ id: change.deputyId }))) {
          throw new ChiefError('unknown_deputy', `road chief ${change.deputyId} does not exist`, [{ field: 'deputyId', problem: 'no such road chief' }]);
        }
      }
      const patch: Partial<Pick<RoadChief, 'available' | 'unavailableReason' | 'deputyId'>> = {};
      if (change.available !== undefined) {
        patch.available = change.available;
        if (change.available && change.unavailableReason === undefined) patch.unavailableReason = null;
      }
      if (change.unavailableReason !== undefined) patch.unavailableReason = change.unavailableReason;
      if (change.deputyId !== undefined) patch.deputyId = change.deputyId;
      if (Object.keys(patch).length === 0) return before;
      await chiefs.update({ id }, patch);
      const after = await this.get(id, DISTRICT, tx);
      const fields = (v: ChiefView) => ({ name: v.name, level: v.level, available: v.available, unavailableReason: v.unavailableReason, deputy: v.deputy });
      if (JSON.stringify(fields(before)) !== JSON.stringify(fields(after))) {
        await recordAudit(tx, {
          actor: { id: editor.id, username: editor.username },
          action: 'chief.update',
          entity: 'chief',
          entityId: id,
          streetCode: editor.streetCode,
          before: fields(before),
          after: fields(after),
        });
      }
      return after;
    });
  }
}

/**
 * A road-chief post changes hands (换人): the post (its level, scopes, cases, deputy) now belongs to
 * the account `userId`. Returns the account that held it, or null when there is no such post. In
 * the caller's transaction; the caller decides what becomes of the previous account.
 */
export async function handOverChiefPost(manager: EntityManager, chiefId: number, userId: string): Promise<{ previousUserId: string } | null> {
  const chiefs = manager.getRepository(RoadChief);
  const post = await chiefs.findOne({ select: { id: true, userId: true }, where: { id: chiefId }, lock: { mode: 'pessimistic_write' } });
  if (!post) return null;
  await chiefs.update({ id: chiefId }, { userId });
  return { previousUserId: post.userId };
}

function toView(row: ChiefRow): ChiefView {
  const level = Number(row.level) as ChiefLevel;
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    name: row.name,
    phone: row.phone,
    level,
    title: CHIEF_TITLES[level].zh,
    titleEn: CHIEF_TITLES[level].en,
    available: row.available,
    unavailableReason: row.unavailable_reason,
    deputy: row.deputy,
    scopes: row.scopes,
  };
}
