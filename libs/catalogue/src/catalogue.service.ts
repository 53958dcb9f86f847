import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CategoryKind, ClockType } from '@wangge/domain';

export interface CategoryView {
  code: string;
  kind: CategoryKind;
  major: { code: string; name: string; nameEn: string };
  minor: { code: string; name: string; nameEn: string };
  autoRegister: boolean;
  standard: {
    version: number;
    effectiveFrom: string;
    conditions: {
      id: number;
      no: number;
      condition: string;
      conditionEn: string;
      timeLimit: { value: number; clockType: ClockType };
      closingCondition: string;
      closingConditionEn: string;
    }[];
  } | null;
}

interface Row {
  code: string;
  kind: CategoryKind;
  major_code: string;
  major_name: string;
  major_name_en: string;
  minor_code: string;
  name: string;
  name_en: string;
  auto_register: boolean;
  standard: CategoryView['standard'];
}

/** The category catalogue with the standard version in force for each minor class. */
@Injectable()
export class CatalogueService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(on: Date = new Date()): Promise<CategoryView[]> {
    const rows: Row[] = await this.db.query(
      `WITH current AS (
         SELECT DISTINCT ON (category_code) category_code, version, effective_from
           FROM category_standard
          WHERE effective_from <= $1::date AND (retired_at IS NULL OR retired_at > $1::timestamptz)
          ORDER BY category_code, version DESC)
       SELECT c.code, c.kind, c.major_code, c.major_name, c.major_name_en, c.minor_code, c.name, c.name_en, c.auto_register,
              (SELECT json_build_object(
                        'version', cur.version, 'effectiveFrom', to_char(cur.effective_from, 'YYYY-MM-DD'),
                        'conditions', json_agg(json_build_object(
                           'id', s.id, 'no', s.condition_no, 'condition', s.condition, 'conditionEn', s.condition_en,
                           'timeLimit', json_build_object('value', s.time_limit_value::float8, 'clockType', s.clock_type),
                           'closingCondition', s.closing_condition, 'closingConditionEn', s.closing_condition_en)
                         ORDER BY s.condition_no))
                 FROM current cur JOIN category_standard s ON s.category_code = cur.category_code AND s.version = cur.version
                WHERE cur.category_code = c.code
                GROUP BY cur.version, cur.effective_from) AS standard
         FROM category c
        WHERE c.active
        ORDER BY c.kind, c.code`,
      [on.toISOString()],
    );
    return rows.map((r) => ({
      code: r.code,
      kind: r.kind,
      major: { code: r.major_code, name: r.major_name, nameEn: r.major_name_en },
      minor: { code: r.minor_code, name: r.name, nameEn: r.name_en },
      autoRegister: r.auto_register,
      standard: r.standard,
    }));
  }
}
