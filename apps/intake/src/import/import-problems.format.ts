import { HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { groupProblems, problemsCsv, type ImportProblem } from '@wangge/import';
import { ApiError, type ErrorFormat } from '@wangge/operations';

export const IMPORT_PATH = '/api/v1/admin/import';
/** The places import answers its refusals the same way. */
export const PLACES_IMPORT_PATH = '/api/v1/places/import';

/** Every problem of an import as a CSV download (a refused import's, or the records it skipped): sets the headers, answers the body. */
export function problemsDownload(res: Response, problems: readonly ImportProblem[]): string {
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', 'attachment; filename="import-problems.csv"');
  return problemsCsv(problems);
}

/** A refused import (422 import_rejected): `details` lists every bad record; the format below adds the groups. */
export class ImportRejectedAnswer extends ApiError {
  constructor(
    message: string,
    readonly problems: readonly ImportProblem[],
  ) {
    super(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'import_rejected',
      message,
      problems.map((p) => ({ field: `${p.file}:${p.feature}`, problem: p.problem })),
    );
  }
}

/**
 * A refused import's answer, beside the one error shape: `groups` (problem, count, first examples)
 * for a person to act on, or with `?format=csv` every problem as CSV. The status stays the filter's.
 */
export const IMPORT_PROBLEMS_FORMAT: ErrorFormat = {
  matches: (req: Request) => req.path === IMPORT_PATH || req.path === PLACES_IMPORT_PATH,
  write: (req, res, exception, body) => {
    if (!(exception instanceof ImportRejectedAnswer)) {
      res.status(body.statusCode).json(body);
    } else if (req.query.format === 'csv') {
      res.status(body.statusCode).send(problemsDownload(res, exception.problems));
    } else {
      res.status(body.statusCode).json({ ...body, groups: groupProblems(exception.problems) });
    }
  },
};
