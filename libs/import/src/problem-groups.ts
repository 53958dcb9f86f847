import { csvField } from '@wangge/audit';
import type { ImportProblem } from './import.types';

/** Examples a group shows (the CLI, the endpoint's answer, the console); the full list is the CSV. */
export const PROBLEM_EXAMPLES = 5;

/** Problems of one kind: what is wrong, how many records, and the first few of them. */
export interface ProblemGroup {
  /** The problem with what varies from record to record (codes, names, coordinates) written `…`. */
  problem: string;
  count: number;
  examples: ImportProblem[];
}

/**
 * What varies in a problem's message, in the order applied: mentions of other records, quoted
 * values, the value after a name of a property or a place, codes and coordinates. Small whole
 * numbers stay (`ring 1`, `must be 1, 2 or 3`): they are part of what is wrong.
 */
const VARIABLE_PARTS: [RegExp, string][] = [
  // `features[3] (code 410104…), features[9] (…) and 4 more`, `line 7 (username zhangsan)`
  [/\bfeatures\[\d+\](?: \([^)]*\))?(?:, features\[\d+\](?: \([^)]*\))?)*(?: and \d+ more)?/g, 'features[…]'],
  [/\bline \d+ \([^)]*\)/g, 'line …'],
  [/"(?:[^"\\]|\\.)*"/g, '"…"'],
  [/\b(roadId|segmentId|code|username|road|scope|street|community|roads) (?!…)[^\s,:;()]+/g, '$1 …'],
  [/-?\d+\.\d+(?:e-?\d+)?/g, '…'],
  [/\d{4,}/g, '…'],
];

/** The kind of problem a message tells, for grouping: the message with its varying parts as `…`. */
export function problemKind(message: string): string {
  return VARIABLE_PARTS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message);
}

/** The problems grouped by kind, the largest group first (then in file order), each with its first examples. */
export function groupProblems(problems: readonly ImportProblem[], examples = PROBLEM_EXAMPLES): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const p of problems) {
    const kind = problemKind(p.problem);
    let group = groups.get(kind);
    if (!group) groups.set(kind, (group = { problem: kind, count: 0, examples: [] }));
    group.count++;
    if (group.examples.length < examples) group.examples.push({ file: p.file, feature: p.feature, problem: p.problem });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** The full list for a spreadsheet: one line a problem, with its group (UTF-8 with a BOM, CRLF lines). */
export function problemsCsv(problems: readonly ImportProblem[]): string {
  const lines = ['file,record,problem,group'];
  for (const p of problems) lines.push([p.file, p.feature, p.problem, problemKind(p.problem)].map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
