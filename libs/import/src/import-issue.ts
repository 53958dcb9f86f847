import type { ImportProblem } from './import.types';

/** Where a record comes from: the file, its position there, and how a person names it. */
export interface RecordRef {
  file: string;
  /** Position of the file in the import, for ordering. */
  fileIndex: number;
  /** Feature index or CSV line number; -1 for the file as a whole. */
  at: number;
  /** `features[12] (code 410104001001003)`, `line 7 (username zhangsan)`, `(file)`. */
  label: string;
}

/** A problem with a record, kept with its position so the report lists problems in file order. */
export interface Issue extends ImportProblem {
  fileIndex: number;
  at: number;
}

export const WHOLE_FILE = '(file)';

export function issue(ref: RecordRef, problem: string): Issue {
  return { file: ref.file, feature: ref.label, problem, fileIndex: ref.fileIndex, at: ref.at };
}

export function fileRef(file: string, fileIndex: number): RecordRef {
  return { file, fileIndex, at: -1, label: WHOLE_FILE };
}

export function featureLabel(index: number, detail: string | null): string {
  return detail ? `features[${index}] (${detail})` : `features[${index}]`;
}

/** Names another record in a message about `from`: just its label in the same file, else with the file name. */
export function mention(other: RecordRef, from: RecordRef): string {
  return other.file === from.file ? other.label : `${other.file} ${other.label}`;
}

/** Problems in file order, then record order (stable for problems of one record). */
export function sortIssues(issues: Issue[]): Issue[] {
  return issues
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.fileIndex - b.p.fileIndex || a.p.at - b.p.at || a.i - b.i)
    .map(({ p }) => p);
}

export function toProblem(i: Issue): ImportProblem {
  return { file: i.file, feature: i.feature, problem: i.problem };
}

/** Distinct records among the issues (a record with two problems is skipped once). */
export function countRecords(issues: Issue[]): number {
  return new Set(issues.map((i) => `${i.fileIndex}:${i.at}`)).size;
}
