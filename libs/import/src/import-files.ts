import { recordAudit } from '@wangge/audit';
import type { DataSource, QueryRunner } from 'typeorm';
import type { CellFeature } from './cell-features.parser';
import { importCells, type CellStage } from './cells.importer';
import type { ChiefLine } from './chief-lines.parser';
import { importChiefs, type ChiefStage } from './chiefs.importer';
import { parseImportFile, type ParsedFile } from './import-file.parser';
import { countRecords, fileRef, issue, sortIssues, toProblem, type Issue } from './import-issue';
import { ImportRejectedError } from './import-rejected.error';
import { rows, run } from './import-sql';
import type { ImportCounts, ImportFile, ImportKind, ImportOptions, ImportProblem, ImportReport, RelocatedCases, ReplaceableLayer } from './import.types';
import { orphanedScopes } from './orphaned-scopes';
import type { RoadFeature } from './road-features.parser';
import { importRoads, type RoadStage } from './roads.importer';

/** One import at a time: two would judge overlaps and chief conflicts against each other's half-written rows. */
const IMPORT_LOCK = `SELECT pg_advisory_xact_lock(hashtext('wangge.import'))`;

/** Records read from files (or made by the demo seed), ready for the writers. */
export interface ImportRecords {
  cells: CellFeature[];
  roads: RoadFeature[];
  chiefLines: ChiefLine[];
}

export interface WrittenRecords {
  cells: CellStage;
  roads: RoadStage;
  chiefs: ChiefStage;
}

/**
 * The importers' writers, in the caller's transaction: cells first, then roads, then chiefs, so
 * that each may refer to what the ones before it create. Each checks its records (issues in the
 * answer) and writes the good ones. The import of files and the demo seed both write through here.
 */
export async function writeRecords(
  tx: QueryRunner,
  records: ImportRecords,
  options: { districtCode: string; replace?: ReplaceableLayer | null },
): Promise<WrittenRecords> {
  // The checks are many short spatial joins: compiling them costs more than running them.
  await run(tx, 'SET LOCAL jit = off');
  const cells = await importCells(tx, records.cells, { districtCode: options.districtCode, replace: options.replace === 'cells' });
  const roads = await importRoads(tx, records.roads, { replace: options.replace === 'roads' });
  const chiefs = await importChiefs(tx, records.chiefLines);
  return { cells, roads, chiefs };
}

/**
 * Imports grid cells, roads and road chiefs (domain.md 4.6) in one transaction. Every record is
 * checked; when any is bad the import throws {@link ImportRejectedError} listing all of them and
 * writes nothing, unless `skipInvalid`, which loads the good records and reports the others.
 * Importing the same files again changes nothing. `replace` makes the files of one kind the whole
 * layer (what they do not list is retired); `dryRun` answers the same report and writes nothing.
 * When cells or roads change, the `relocator` locates the open cases again in the same transaction.
 */
export async function importFiles(ds: DataSource, files: ImportFile[], options: ImportOptions): Promise<ImportReport> {
  const parsed = files.map((file, index) =>
    parseImportFile(file, index, { districtCode: options.districtCode, coord: options.coord ?? 'wgs84', maxBytes: options.maxBytes }),
  );
  const replace = options.replace ?? null;
  const tx = ds.createQueryRunner();
  await tx.connect();
  try {
    await tx.startTransaction();
    await run(tx, IMPORT_LOCK);
    await requireDistrict(tx, options.districtCode, parsed);
    if (replace) {
      const layerProblems = replacementProblems(parsed, replace);
      if (layerProblems.length > 0) throw new ImportRejectedError(layerProblems.map(toProblem));
    }

    const records: ImportRecords = {
      cells: parsed.flatMap((p) => p.cells),
      roads: parsed.flatMap((p) => p.roads),
      chiefLines: parsed.flatMap((p) => p.chiefLines),
    };
    const spatial = records.cells.length > 0 || records.roads.length > 0;
    const relocate = spatial && options.relocator ? await options.relocator.prepare(tx.manager) : null;
    const { cells, roads, chiefs } = await writeRecords(tx, records, { districtCode: options.districtCode, replace });
    const cases: RelocatedCases = relocate ? await relocate(tx.manager) : { relocated: 0, rerouted: 0, problems: [] };

    const problems = sortIssues([...parsed.flatMap((p) => p.issues), ...cells.issues, ...roads.issues, ...chiefs.issues]);
    // An open case the new layers leave outside every cell refuses the import, skipInvalid or not.
    const caseProblems: ImportProblem[] = cases.problems.map((p) => ({ file: '(open cases)', feature: p.feature, problem: p.problem }));
    if (caseProblems.length > 0) throw new ImportRejectedError([...problems.map(toProblem), ...caseProblems]);
    if (problems.length > 0 && !options.skipInvalid) throw new ImportRejectedError(problems.map(toProblem));

    const skipped = (kind: ImportKind, stageIssues: Issue[]) => skippedCount(parsed, kind, stageIssues);
    const report: ImportReport = {
      applied: !options.dryRun,
      replace,
      files: parsed.map((p) => ({ name: p.name, kind: p.kind, records: p.records })),
      cells: withSkipped(cells.counts, skipped('cells', cells.issues)),
      roads: withSkipped(roads.counts, skipped('roads', roads.issues)),
      chiefs: withSkipped(chiefs.counts, skipped('chiefs', chiefs.issues)),
      created: { streets: cells.streetsCreated, communities: cells.communitiesCreated, roads: roads.roadsCreated, users: chiefs.usersCreated },
      retired: { cells: cells.retired, segments: roads.segmentsRetired },
      wardenCells: { added: cells.wardenCells },
      cases: { relocated: cases.relocated, rerouted: cases.rerouted },
      orphanedScopes: await orphanedScopes(tx),
      skipped: sortIssues([...problems, ...parsed.flatMap((p) => p.ignored)]).map(toProblem),
    };
    if (options.dryRun) {
      await tx.rollbackTransaction();
      return report;
    }
    if (options.actor) await recordAudit(tx.manager, auditOf(report, options.actor));
    await tx.commitTransaction();
    return report;
  } catch (err) {
    if (tx.isTransactionActive) await tx.rollbackTransaction();
    throw err;
  } finally {
    await tx.release();
  }
}

/** The audit entry of an applied import: who, the files, the counts, the layer it replaced (no geometry). */
function auditOf(report: ImportReport, actor: NonNullable<ImportOptions['actor']>) {
  return {
    actor,
    action: report.replace ? 'import.replace' : 'import.apply',
    entity: 'import',
    entityId: report.replace,
    after: {
      files: report.files,
      replace: report.replace,
      cells: report.cells,
      roads: report.roads,
      chiefs: report.chiefs,
      created: report.created,
      retired: report.retired,
      cases: report.cases,
      orphanedScopes: report.orphanedScopes.length,
      skipped: report.skipped.length,
    },
  };
}

/** Nothing can be imported into a district the database does not have: `npm run setup` creates it. */
async function requireDistrict(tx: QueryRunner, districtCode: string, parsed: ParsedFile[]): Promise<void> {
  const [found] = await rows<{ present: boolean }>(tx, `SELECT EXISTS (SELECT 1 FROM district WHERE code = $1) AS present`, [districtCode]);
  if (found.present) return;
  const problem =
    `district ${districtCode} is not in the database: run npm run setup -- --district ${districtCode} first ` +
    `(区 ${districtCode} 尚未建立：请先运行 npm run setup -- --district ${districtCode})`;
  throw new ImportRejectedError(parsed.map((p) => toProblem(issue(fileRef(p.name, p.index), problem))));
}

/**
 * A replacing import must hold the whole layer: at least one file of that kind, every one of them
 * readable, with at least one good record. Otherwise (even under skipInvalid) it would retire the
 * layer for a file it could not read.
 */
function replacementProblems(parsed: ParsedFile[], layer: ReplaceableLayer): Issue[] {
  const files = parsed.filter((p) => p.kind === layer);
  const records = (p: ParsedFile) => (layer === 'cells' ? p.cells.length : p.roads.length);
  if (files.length === 0) {
    const problem = `replace ${layer}: no ${layer} file among the files; the replacing file is the whole layer (替换${layer === 'cells' ? '网格' : '路网'}须提供该图层文件)`;
    return parsed.length > 0 ? [issue(fileRef(parsed[0].name, parsed[0].index), problem)] : [issue(fileRef('(none)', 0), problem)];
  }
  return files.flatMap((p) => {
    const whole = p.issues.filter((i) => i.at < 0);
    if (whole.length > 0) return whole;
    if (records(p) === 0) return [issue(fileRef(p.name, p.index), `replace ${layer}: the file has no good ${layer} record to make the layer of`)];
    return [];
  });
}

function withSkipped(counts: Omit<ImportCounts, 'skipped'>, skipped: number): ImportCounts {
  return { ...counts, skipped };
}

/** Records of one kind not loaded: bad or ignored records, and every record of a file refused whole. */
function skippedCount(parsed: ParsedFile[], kind: ImportKind, stageIssues: Issue[]): number {
  const files = parsed.filter((p) => p.kind === kind);
  const perRecord = [...files.flatMap((f) => [...f.issues, ...f.ignored]), ...stageIssues].filter((i) => i.at >= 0);
  const wholeFiles = files.filter((f) => f.issues.some((i) => i.at < 0)).reduce((n, f) => n + f.records, 0);
  return countRecords(perRecord) + wholeFiles;
}
