import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { CASE_ERROR_STATUS, CaseError } from '@wangge/workflow';

/** The one place case errors become HTTP: `{statusCode, error: <code>, message, details?, currentStatus?}`. */
@Catch(CaseError)
export class CaseErrorFilter implements ExceptionFilter {
  catch(error: CaseError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const statusCode = CASE_ERROR_STATUS[error.code];
    res.status(statusCode).json({
      statusCode,
      error: error.code,
      message: error.message,
      ...(error.field ? { details: [{ field: error.field, problem: error.message }] } : {}),
      ...(error.currentStatus ? { currentStatus: error.currentStatus } : {}),
    });
  }
}
