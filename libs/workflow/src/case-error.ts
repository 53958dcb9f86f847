import type { CaseStatus } from '@wangge/domain';
import { AppError, type ErrorKind } from '@wangge/operations';

/** Why a case action was refused. One code per reason, each of one kind (which decides the HTTP status). */
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
  | 'unknown_department'
  | 'department_unfit'
  | 'bad_media'
  | 'bad_merge_target'
  | 'extension_limit'
  | 'bad_return_type'
  | 'idempotency_key_reused'
  | 'feedback_given'
  | 'reopen_window_passed'
  | 'already_reopened'
  | 'update_decided';

export const CASE_ERROR_KIND: Readonly<Record<CaseErrorCode, ErrorKind>> = {
  not_found: 'not_found',
  forbidden: 'forbidden',
  not_assignee: 'forbidden',
  outside_jurisdiction: 'forbidden',
  illegal_transition: 'conflict',
  bad_input: 'invalid',
  unknown_category: 'unprocessable',
  out_of_jurisdiction: 'unprocessable',
  unknown_chief: 'unprocessable',
  chief_unavailable: 'unprocessable',
  unknown_department: 'unprocessable',
  department_unfit: 'unprocessable',
  bad_media: 'unprocessable',
  bad_merge_target: 'unprocessable',
  extension_limit: 'conflict',
  bad_return_type: 'unprocessable',
  idempotency_key_reused: 'conflict',
  feedback_given: 'conflict',
  reopen_window_passed: 'conflict',
  already_reopened: 'conflict',
  update_decided: 'conflict',
};

/** A refused case action: a stable code, a message in English and Chinese, the field at fault. */
export class CaseError extends AppError<CaseErrorCode> {
  constructor(
    code: CaseErrorCode,
    message: string,
    field?: string,
    /** For illegal transitions: the state the case is in. */
    readonly currentStatus?: CaseStatus,
  ) {
    super(code, CASE_ERROR_KIND[code], message, { field });
  }

  override extra(): Record<string, unknown> {
    return this.currentStatus ? { currentStatus: this.currentStatus } : {};
  }
}
