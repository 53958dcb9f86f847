import type { ImportProblem } from './import.types';

/** The import found bad records and wrote nothing; `problems` lists every one of them. */
export class ImportRejectedError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(
      `import refused: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was written ` +
        `(fix the files, or skip the bad records with skipInvalid / --skip-invalid)`,
    );
    this.name = 'ImportRejectedError';
  }
}

/** `file: feature: problem`, the way the CLI prints a problem. */
export function formatProblem(p: ImportProblem): string {
  return `${p.file}: ${p.feature}: ${p.problem}`;
}
