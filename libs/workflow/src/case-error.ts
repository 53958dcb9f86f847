import type { CaseStatus } from '@wangge/domain';

/** Why a case action was refused. One code per reason; the HTTP layer maps codes to statuses. */
export type CaseErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'not_assignee'
  | 'outside_jurisdiction'
  | 'illegal_transition'
  | 'bad_input'
  | 'unknown_category'
  | 'out_of_jurisdiction'
  | 'unknown_chief'
  | 'chief_unavailable'
  | 'bad_media'
  | 'bad_merge_target'
  | 'extension_limit'
  | 'idempotency_key_reused';

export const CASE_ERROR_STATUS: Record<CaseErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  not_assignee: 403,
  outside_jurisdiction: 403,
  illegal_transition: 409,
  bad_input: 400,
  unknown_category: 422,
  out_of_jurisdiction: 422,
  unknown_chief: 422,
  chief_unavailable: 422,
  bad_media: 422,
  bad_merge_target: 422,
  extension_limit: 409,
  idempotency_key_reused: 409,
};

/** A refused case action: a stable code, a message in English and Chinese, the field at fault. */
export class CaseError extends Error {
  constructor(
    readonly code: CaseErrorCode,
    message: string,
    readonly field?: string,
    /** For illegal transitions: the state the case is in. */
    readonly currentStatus?: CaseStatus,
  ) {
    super(message);
    this.name = 'CaseError';
  }
}
