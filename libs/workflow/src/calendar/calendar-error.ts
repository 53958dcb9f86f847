import { AppError, type ErrorKind, type FieldProblem } from '@wangge/operations';

/** Why a holiday calendar was refused. */
export type CalendarErrorCode = 'bad_input';

export const CALENDAR_ERROR_KIND: Readonly<Record<CalendarErrorCode, ErrorKind>> = { bad_input: 'invalid' };

/** A refused calendar year: every problem names its field (`year`, `[2].date`, …). */
export class CalendarError extends AppError<CalendarErrorCode> {
  constructor(message: string, details: FieldProblem[]) {
    super('bad_input', CALENDAR_ERROR_KIND.bad_input, message, { details });
  }
}
