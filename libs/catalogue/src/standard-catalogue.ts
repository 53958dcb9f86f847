import type { EntityManager } from 'typeorm';
import { categoryCode } from '@wangge/domain';
import { CATALOGUE, MAJOR_CLASSES, STANDARD_EFFECTIVE_FROM, STANDARD_VERSION } from './standard-catalogue.data';

/**
 * Writes the standard catalogue (its categories and version 1 of their standards) into an empty
 * catalogue, inside the caller's transaction: the one writer of `npm run setup` and the demo seed.
 * Returns the number of categories written.
 */
export async function writeStandardCatalogue(tx: EntityManager): Promise<number> {
  const code = (c: (typeof CATALOGUE)[number]) => categoryCode(c.kind, c.majorCode, c.minorCode);
  await tx.query(
    `INSERT INTO category (code, kind, major_code, major_name, major_name_en, minor_code, name, name_en, auto_register)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[])`,
    [
      CATALOGUE.map(code),
      CATALOGUE.map((c) => c.kind),
      CATALOGUE.map((c) => c.majorCode),
      CATALOGUE.map((c) => MAJOR_CLASSES[c.kind][c.majorCode].zh),
      CATALOGUE.map((c) => MAJOR_CLASSES[c.kind][c.majorCode].en),
      CATALOGUE.map((c) => c.minorCode),
      CATALOGUE.map((c) => c.name),
      CATALOGUE.map((c) => c.nameEn),
      CATALOGUE.map((c) => c.autoRegister),
    ],
  );
  const conditions = CATALOGUE.flatMap((c) => c.conditions.map((condition, i) => ({ ...condition, code: code(c), no: i + 1 })));
  await tx.query(
    `INSERT INTO category_standard (category_code, version, condition_no, condition, condition_en, time_limit_value, clock_type,
                                    closing_condition, closing_condition_en, effective_from)
     SELECT code, $9, no, zh, en, lim, clock, close_zh, close_en, $10::date
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::text[], $8::text[])
            AS s(code, no, zh, en, lim, clock, close_zh, close_en)`,
    [
      conditions.map((c) => c.code),
      conditions.map((c) => c.no),
      conditions.map((c) => c.zh),
      conditions.map((c) => c.en),
      conditions.map((c) => c.limit),
      conditions.map((c) => c.clock),
      conditions.map((c) => c.closeZh),
      conditions.map((c) => c.closeEn),
      STANDARD_VERSION,
      STANDARD_EFFECTIVE_FROM,
    ],
  );
  return CATALOGUE.length;
}
