import type { DataSource } from 'typeorm';
import { importCells } from './cells.importer';
import { importChiefs } from './chiefs.importer';
import { parseImportFile, type ParsedFile } from './import-file.parser';
import { countRecords, sortIssues, toProblem, type Issue } from './import-issue';
import { ImportRejectedError } from './import-rejected.error';
import { run } from './import-sql';
import type { ImportCounts, ImportFile, ImportKind, ImportOptions, ImportReport } from './import.types';
import { importRoads } from './roads.importer';

/** One import at a time: two would judge overlaps and chief conflicts against each other's half-written rows. */
const IMPORT_LOCK = `SELECT pg_advisory_xact_lock(hashtext('wangge.import'))`;

/**
 * Imports grid cells, roads and road chiefs (domain.md 4.6) in one transaction: cells first, then
 * roads, then chiefs, so that each may refer to what the files before it create. Every record is
 * checked; when any is bad the import throws {@link ImportRejectedError} listing all of them and
 * writes nothing, unless `skipInvalid`, which loads the good records and reports the others.
 * Importing the same files again changes nothing.
 */
export async function importFiles(ds: DataSource, files: ImportFile[], options: ImportOptions): Promise<ImportReport> {
  const parsed = files.map((file, index) =>
    parseImportFile(file, index, { districtCode: options.districtCode, coord: options.coord ?? 'wgs84', maxBytes: options.maxBytes }),
  );
  const tx = ds.createQueryRunner();
  await tx.connect();
  try {
    await tx.startTransaction();
    await run(tx, IMPORT_LOCK);
    // The checks are many short spatial joins: compiling them costs more than running them.
    await run(tx, 'SET LOCAL jit = off');
    const cells = await importCells(tx, parsed.flatMap((p) => p.cells), options.districtCode);
    const roads = await importRoads(tx, parsed.flatMap((p) => p.roads));
    const chiefs = await importChiefs(tx, parsed.flatMap((p) => p.chiefLines));

    const problems = sortIssues([...parsed.flatMap((p) => p.issues), ...cells.issues, ...roads.issues, ...chiefs.issues]);
    if (problems.length > 0 && !options.skipInvalid) throw new ImportRejectedError(problems.map(toProblem));
    await tx.commitTransaction();

    const skipped = (kind: ImportKind, stageIssues: Issue[]) => skippedCount(parsed, kind, stageIssues);
    return {
      files: parsed.map((p) => ({ name: p.name, kind: p.kind, records: p.records })),
      cells: withSkipped(cells.counts, skipped('cells', cells.issues)),
      roads: withSkipped(roads.counts, skipped('roads', roads.issues)),
      chiefs: withSkipped(chiefs.counts, skipped('chiefs', chiefs.issues)),
      created: { streets: cells.streetsCreated, communities: cells.communitiesCreated, roads: roads.roadsCreated, users: chiefs.usersCreated },
      removed: { segments: roads.segmentsRemoved },
      skipped: sortIssues([...problems, ...parsed.flatMap((p) => p.ignored)]).map(toProblem),
    };
  } catch (err) {
    if (tx.isTransactionActive) await tx.rollbackTransaction();
    throw err;
  } finally {
    await tx.release();
  }
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
