import { AppError, type ErrorKind } from '@wangge/operations';

/** Why an evaluation or appeal request was refused. Each code is of one kind (which decides the HTTP status). */
export type EvaluationErrorCode =
  | 'bad_input'
  | 'not_found'
  | 'forbidden'
  | 'not_assignee'
  | 'outside_jurisdiction'
  | 'not_overdue'
  | 'appeal_exists'
  | 'appeal_decided';

export const EVALUATION_ERROR_KIND: Readonly<Record<EvaluationErrorCode, ErrorKind>> = {
  bad_input: 'invalid',
  not_found: 'not_found',
  forbidden: 'forbidden',
  not_assignee: 'forbidden',
  outside_jurisdiction: 'forbidden',
  not_overdue: 'conflict',
  appeal_exists: 'conflict',
  appeal_decided: 'conflict',
};

/** A refused evaluation or appeal request: a stable code, a message in English and Chinese, the field at fault. */
export class EvaluationError extends AppError<EvaluationErrorCode> {
  constructor(code: EvaluationErrorCode, message: string, field?: string) {
    super(code, EVALUATION_ERROR_KIND[code], message, { field });
  }
}
