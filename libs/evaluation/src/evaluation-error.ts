/** Why an evaluation or appeal request was refused. The HTTP layer maps codes to statuses. */
export type EvaluationErrorCode =
  | 'bad_input'
  | 'not_found'
  | 'forbidden'
  | 'not_assignee'
  | 'outside_jurisdiction'
  | 'not_overdue'
  | 'appeal_exists'
  | 'appeal_decided';

export const EVALUATION_ERROR_STATUS: Record<EvaluationErrorCode, number> = {
  bad_input: 400,
  not_found: 404,
  forbidden: 403,
  not_assignee: 403,
  outside_jurisdiction: 403,
  not_overdue: 409,
  appeal_exists: 409,
  appeal_decided: 409,
};

/** A refused evaluation or appeal request: a stable code, a message in English and Chinese, the field at fault. */
export class EvaluationError extends Error {
  constructor(
    readonly code: EvaluationErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'EvaluationError';
  }
}
