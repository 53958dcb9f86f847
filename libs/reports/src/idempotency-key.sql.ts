import type { ReportKeySql } from '@wangge/workflow';

/**
 * The Idempotency-Keys' part of the report statements (the workflow's CaseReportStore runs them):
 * the earlier request under a report's key, and the claim of the keys of the reports being written,
 * with their answers, in one lock order for every batch.
 */
export const REPORT_KEY_SQL: ReportKeySql = {
  lookup: `LEFT JOIN idempotency_key k ON k.scope = r.key_scope AND k.key = r.key`,
  claim: `
    INSERT INTO idempotency_key (scope, key, request_hash, status_code, response)
    SELECT key_scope, key, request_hash, 201, response FROM j WHERE key IS NOT NULL
     ORDER BY key_scope, key -- one lock order for every batch
    ON CONFLICT DO NOTHING RETURNING scope, key`,
};

/** Deletes the keys older than `$1` hours. */
export const PURGE_IDEMPOTENCY_KEYS_SQL = `DELETE FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1)`;
