import { AppError, type ErrorKind, type FieldProblem } from '@wangge/operations';

/** Why a change to the roster was refused. */
export type ChiefErrorCode = 'not_found' | 'bad_input' | 'unknown_deputy' | 'outside_jurisdiction';

export const CHIEF_ERROR_KIND: Readonly<Record<ChiefErrorCode, ErrorKind>> = {
  not_found: 'not_found',
  bad_input: 'invalid',
  unknown_deputy: 'unprocessable',
  outside_jurisdiction: 'forbidden',
};

/** A refused roster read or change: a stable code, a message, the fields at fault. */
export class ChiefError extends AppError<ChiefErrorCode> {
  constructor(code: ChiefErrorCode, message: string, details?: FieldProblem[]) {
    super(code, CHIEF_ERROR_KIND[code], message, { details });
  }
}
