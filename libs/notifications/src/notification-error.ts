import { AppError, type ErrorKind, type FieldProblem } from '@wangge/operations';

export type NotificationErrorCode = 'not_found' | 'bad_input' | 'not_retryable';

const KIND: Readonly<Record<NotificationErrorCode, ErrorKind>> = {
  not_found: 'not_found',
  bad_input: 'invalid',
  not_retryable: 'conflict',
};

/** A refused notification read or change: a stable code, a message, the fields at fault. */
export class NotificationError extends AppError<NotificationErrorCode> {
  constructor(code: NotificationErrorCode, message: string, details?: FieldProblem[]) {
    super(code, KIND[code], message, { details });
  }
}
