import type { CellFeature } from './cell-features.parser';
import { issue, mention, type Issue } from './import-issue';

/** What the database already holds, as far as the cells' references go. */
export interface KnownPlaces {
  districtExists: boolean;
  streets: ReadonlySet<string>;
  communities: ReadonlySet<string>;
}

export interface CellPlan {
  /** Cells that passed the checks that need no geometry work. */
  cells: CellFeature[];
  issues: Issue[];
  /** Names given by the files, first one wins (used to create missing streets and communities). */
  streetNames: Map<string, string>;
  communityNames: Map<string, string>;
}

/**
 * Checks the cells of all files together: codes unique, names consistent, and each street and
 * community either known or named (so the import can create it). Geometry is checked in PostGIS.
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
  for (const cell of candidates) {
    const problems: string[] = [];
    if (!known.communities.has(cell.communityCode) && !communityNames.has(cell.communityCode)) {
      problems.push(`unknown community ${cell.communityCode}: give communityName to create it`);
    }
    const createsStreet = !known.streets.has(cell.streetCode);
    if (createsStreet && !streetNames.has(cell.streetCode)) {
      problems.push(`unknown street ${cell.streetCode}: give streetName to create it`);
    } else if (createsStreet && !known.districtExists) {
      problems.push(`district ${cell.code.slice(0, 6)} is not in the database: run the migrations and the seed first`);
    }
    if (problems.length > 0) issues.push(...problems.map((p) => issue(cell, p)));
    else cells.push(cell);
  }

  return {
    cells,
    issues,
    streetNames: new Map([...streetNames].map(([code, v]) => [code, v.name])),
    communityNames: new Map([...communityNames].map(([code, v]) => [code, v.name])),
  };
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
