import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Grid cells and streets by code, for checks of what an admin hands out (a warden's cells, a street). */
@Injectable()
export class GridDirectory {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The live cells among `codes`, each with its street (code → street code); unknown and retired
   * cells are absent. (A retired cell carries `retired_at` once re-zoning is in the schema; the row
   * is read through to_jsonb so the query holds with and without that column.)
   */
  async liveCells(codes: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows: { code: string; street_code: string }[] = await manager.query(
      `SELECT g.code, g.street_code FROM grid_cell g
        WHERE g.code = ANY($1::varchar[]) AND to_jsonb(g) ->> 'retired_at' IS NULL`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, r.street_code]));
  }

  /** Every street's code and name (code order), for the checks of a people file's `street` column. */
  async streets(manager: EntityManager = this.db.manager): Promise<{ code: string; name: string }[]> {
    return manager.query(`SELECT code, name FROM street ORDER BY code`);
  }
}
