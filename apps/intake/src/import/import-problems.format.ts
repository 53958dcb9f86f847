import { HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { groupProblems, problemsCsv, type ImportProblem } from '@wangge/import';
import { ApiError, requestPath, type ErrorFormat } from '@wangge/operations';

export const IMPORT_PATH = '/api/v1/admin/import';
/** The places import answers its refusals the same way. */
export const PLACES_IMPORT_PATH = '/api/v1/places/import';

/** Every problem of an import as a CSV download (a refused import's, or the records it skipped): sets the headers, answers the body. */
export function problemsDownload(res: FastifyReply, problems: readonly ImportProblem[]): string {
  res.header('content-type', 'text/csv; charset=utf-8');
  res.header('content-disposition', 'attachment; filename="import-problems.csv"');
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
  matches: (req: FastifyRequest) => [IMPORT_PATH, PLACES_IMPORT_PATH].includes(requestPath(req)),
  write: (req, res, exception, body) => {
    if (!(exception instanceof ImportRejectedAnswer)) {
      res.status(body.statusCode).send(body);
    } else if ((req.query as Record<string, unknown>).format === 'csv') {
      res.status(body.statusCode).send(problemsDownload(res, exception.problems));
    } else {
      res.status(body.statusCode).send({ ...body, groups: groupProblems(exception.problems) });
    }
  },
};
