import { AppError, type AppErrorOptions, type ErrorKind } from '@wangge/operations';

/** Why a change to people was refused. */
export type PeopleErrorCode = 'bad_input' | 'forbidden' | 'out_of_jurisdiction' | 'not_found' | 'username_taken' | 'own_account' | 'holds_chief_post' | 'import_rejected';

export const PEOPLE_ERROR_KIND: Readonly<Record<PeopleErrorCode, ErrorKind>> = {
  bad_input: 'invalid',
  forbidden: 'forbidden',
  out_of_jurisdiction: 'forbidden',
  not_found: 'not_found',
  username_taken: 'conflict',
  own_account: 'conflict',
  holds_chief_post: 'conflict',
  import_rejected: 'unprocessable',
};

/** A refused change to people: a stable code, a message in English and Chinese, the fields at fault. */
export class PeopleError extends AppError<PeopleErrorCode> {
  constructor(code: PeopleErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, PEOPLE_ERROR_KIND[code], message, options);
  }

  /** Bad input: every problem names its field; the message names the fields. */
  static badInput(details: { field: string; problem: string }[]): PeopleError {
    return new PeopleError('bad_input', `invalid input: ${[...new Set(details.map((d) => d.field))].join(', ')}`, { details });
  }
}
