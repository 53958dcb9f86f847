import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { EVALUATION_ERROR_STATUS, EvaluationError } from '@wangge/evaluation';

/** Evaluation and appeal errors as HTTP: `{statusCode, error: <code>, message, details?}`. */
@Catch(EvaluationError)
export class EvaluationErrorFilter implements ExceptionFilter {
  catch(error: EvaluationError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const statusCode = EVALUATION_ERROR_STATUS[error.code];
    res.status(statusCode).json({
      statusCode,
      error: error.code,
      message: error.message,
      ...(error.field ? { details: [{ field: error.field, problem: error.message }] } : {}),
    });
  }
}
