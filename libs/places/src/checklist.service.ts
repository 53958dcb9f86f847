import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { CatalogueService } from '@wangge/catalogue';
import { canonicalJson } from '@wangge/reports';
import { PlaceError } from './place-error';
import type { ChecklistItem, ChecklistView } from './place.types';
import { CHECKLIST_SELECT_SQL, CURRENT_CHECKLISTS_SQL, INSERT_CHECKLIST_SQL, type ChecklistRow } from './places.sql';

export const CHECKLIST_ITEM_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface NewChecklist {
  name: string;
  nameEn?: string;
  items: { code: string; text: string; textEn?: string; categoryCode: string; photoRequired?: boolean }[];
}

/**
 * Checklists (检查表): versioned by name. Posting a list under a name that exists with other items
 * adds the next version (rows are frozen: an inspection keeps the version it was made against);
 * posting the same items again answers the version in force. Each item names the catalogue
 * category a failure of it opens, which must be an active category.
 */
@Injectable()
export class ChecklistService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CatalogueService) private readonly catalogue: CatalogueService,
  ) {}

  /** Adds the list (or its next version), audited as `checklist.create` by `by`. */
  async create(input: NewChecklist, by: AuditActor): Promise<{ checklist: ChecklistView; created: boolean }> {
    const items = input.items.map((i): ChecklistItem => ({ code: i.code, text: i.text, ...(i.textEn ? { textEn: i.textEn } : {}), categoryCode: i.categoryCode, photoRequired: i.photoRequired ?? false }));
    const codes = new Set<string>();
    for (const [n, item] of items.entries()) {
      if (codes.has(item.code)) throw PlaceError.badInput(`items[${n}].code`, `${item.code} appears twice in the list`);
      codes.add(item.code);
    }
    const active = new Set((await this.catalogue.list()).map((c) => c.code));
    for (const [n, item] of items.entries()) {
      if (!active.has(item.categoryCode)) {
        throw new PlaceError('unknown_category', `no active category ${item.categoryCode}: see GET /api/v1/categories / 无此类别`, [
          { field: `items[${n}].categoryCode`, problem: `no active category ${item.categoryCode}` },
        ]);
      }
    }
    return this.db.transaction(async (m) => {
      // One writer per name at a time, so two versions never race for one number.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('checklist:' || $1))`, [input.name]);
      const [current] = await this.rowsIn(m, `${CHECKLIST_SELECT_SQL} WHERE name = $1 ORDER BY version DESC LIMIT 1`, [input.name]);
      if (current && canonicalJson(current.items) === canonicalJson(items)) return { checklist: current, created: false };
      const [row]: ChecklistRow[] = await m.query(INSERT_CHECKLIST_SQL, [input.name, input.nameEn ?? current?.nameEn ?? null, JSON.stringify(items)]);
      const checklist = viewOf(row);
      await recordAudit(m, { actor: by, action: 'checklist.create', entity: 'checklist', entityId: checklist.id, before: current ?? null, after: checklist });
      return { checklist, created: true };
    });
  }

  /** The version in force of every checklist, by name. */
  async list(): Promise<ChecklistView[]> {
    return this.rowsIn(this.db.manager, CURRENT_CHECKLISTS_SQL, []);
  }

  /** One version (an inspection's, or any earlier one). */
  async get(id: string, m: EntityManager = this.db.manager): Promise<ChecklistView> {
    const [row] = await this.rowsIn(m, `${CHECKLIST_SELECT_SQL} WHERE id = $1`, [id]);
    if (!row) throw new PlaceError('not_found', `no checklist ${id} / 无此检查表`, [{ field: 'checklistId', problem: 'no such checklist' }]);
    return row;
  }

  private async rowsIn(m: EntityManager, sql: string, params: unknown[]): Promise<ChecklistView[]> {
    const rows: ChecklistRow[] = await m.query(sql, params);
    return rows.map(viewOf);
  }
}

function viewOf(r: ChecklistRow): ChecklistView {
  return { id: r.id, name: r.name, nameEn: r.name_en, version: r.version, items: r.items as ChecklistItem[], createdAt: r.created_at.toISOString() };
}
