import { AppError, type ErrorKind, type FieldProblem } from '@wangge/operations';

/** Why a place, checklist or inspection request was refused. */
export type PlaceErrorCode =
  | 'not_found'
  | 'bad_input'
  | 'out_of_jurisdiction'
  | 'unknown_category'
  | 'unknown_person'
  | 'forbidden'
  | 'idempotency_key_reused'
  | 'no_shift'
  | 'plan_inactive';

export const PLACE_ERROR_KIND: Readonly<Record<PlaceErrorCode, ErrorKind>> = {
  not_found: 'not_found',
  bad_input: 'invalid',
  out_of_jurisdiction: 'unprocessable',
  unknown_category: 'unprocessable',
  unknown_person: 'unprocessable',
  forbidden: 'forbidden',
  idempotency_key_reused: 'conflict',
  no_shift: 'unprocessable',
  plan_inactive: 'conflict',
};

/** A refused request of places, checklists or inspections: a stable code, a message, the fields at fault. */
export class PlaceError extends AppError<PlaceErrorCode> {
  constructor(code: PlaceErrorCode, message: string, details?: FieldProblem[]) {
    super(code, PLACE_ERROR_KIND[code], message, { details });
  }

  static badInput(field: string, problem: string): PlaceError {
    return new PlaceError('bad_input', `${field}: ${problem}`, [{ field, problem }]);
  }
}
