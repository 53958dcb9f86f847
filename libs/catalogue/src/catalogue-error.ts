import { AppError, type ErrorKind, type FieldProblem } from '@wangge/operations';

/** Why a change to the catalogue was refused. */
export type CatalogueErrorCode = 'not_found' | 'bad_input' | 'category_exists';

export const CATALOGUE_ERROR_KIND: Readonly<Record<CatalogueErrorCode, ErrorKind>> = {
  not_found: 'not_found',
  bad_input: 'invalid',
  category_exists: 'conflict',
};

/** A refused catalogue change: a stable code, a message, the fields at fault. */
export class CatalogueError extends AppError<CatalogueErrorCode> {
  constructor(code: CatalogueErrorCode, message: string, details?: FieldProblem[]) {
    super(code, CATALOGUE_ERROR_KIND[code], message, { details });
  }

  static badInput(details: FieldProblem[], message = 'invalid input'): CatalogueError {
    return new CatalogueError('bad_input', message, details);
  }
}
