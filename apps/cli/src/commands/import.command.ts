import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  COORD_SYSTEMS,
  existingDistrict,
  formatProblem,
  groupProblems,
  importFiles,
  ImportRejectedError,
  problemsCsv,
  REPLACEABLE_LAYERS,
  type CoordSystem,
  type ImportCounts,
  type ImportFile,
  type ImportProblem,
  type ImportReport,
  type ReplaceableLayer,
} from '@wangge/import';
import { SYSTEM_CLOCK } from '@wangge/clock';
import { districtOfDatabase } from '@wangge/config';
import { LocateService } from '@wangge/geo';
import { CaseRelocationService } from '@wangge/workflow';
import { withDatabase, type CliCommand } from './cli-command';

const USAGE = 'usage: npm run import -- [--replace cells|roads] [--dry-run] [--skip-invalid] [--coord gcj02|bd09] FILE...';

interface ImportArgs {
  files: string[];
  skipInvalid: boolean;
  coord: CoordSystem;
  /** The files of this kind are the whole layer (re-zoning): what they do not list is retired. */
  replace: ReplaceableLayer | null;
  dryRun: boolean;
}

export function parseImportArgs(args: string[]): ImportArgs | { error: string } {
  const parsed: ImportArgs = { files: [], skipInvalid: false, coord: 'wgs84', replace: null, dryRun: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--skip-invalid') parsed.skipInvalid = true;
    else if (arg === '--dry-run') parsed.dryRun = true;
    else if (arg === '--replace' || arg.startsWith('--replace=')) {
      const value = arg === '--replace' ? args[++i] : arg.slice('--replace='.length);
      if (!(REPLACEABLE_LAYERS as readonly string[]).includes(value ?? '')) return { error: `--replace must be one of ${REPLACEABLE_LAYERS.join(', ')}` };
      parsed.replace = value as ReplaceableLayer;
    } else if (arg === '--coord' || arg.startsWith('--coord=')) {
      const value = arg === '--coord' ? args[++i] : arg.slice('--coord='.length);
      if (!(COORD_SYSTEMS as readonly string[]).includes(value ?? '')) return { error: `--coord must be one of ${COORD_SYSTEMS.join(', ')}` };
      parsed.coord = value as CoordSystem;
    } else if (arg === '--') continue;
    else if (arg.startsWith('--')) return { error: `unknown option ${arg}` };
    else parsed.files.push(arg);
  }
  if (parsed.files.length === 0) return { error: 'no FILE given' };
  return parsed;
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import grid cells, roads (GeoJSON) and road chiefs (CSV) into DATABASE_URL; see domain.md 4.6',
  async run(args, ctx) {
    const parsed = parseImportArgs(args);
    if ('error' in parsed) {
      process.stderr.write(`${parsed.error}\n${USAGE}\n`);
      return 2;
    }
    const config = ctx.loadConfig();
    if (!config.databaseUrl) {
      process.stderr.write('import needs DATABASE_URL (the database to import into)\n');
      return 2;
    }
    const files: ImportFile[] = [];
    for (const path of parsed.files) {
      const size = await stat(path).then((s) => s.size, () => null);
      if (size === null) {
        process.stderr.write(`${path}: no such file\n`);
        return 2;
      }
      if (size > config.importMaxBytes) {
        process.stderr.write(`${path}: ${size} bytes, more than the limit of ${config.importMaxBytes} (IMPORT_MAX_BYTES)\n`);
        return 2;
      }
      files.push({ name: basename(path), content: await readFile(path) });
    }

    return withDatabase('import', config, 1, async (ds) => {
      const started = Date.now();
      try {
        // The district the files are for is the database's (npm run setup), whatever DISTRICT_CODE defaults to.
        const district = districtOfDatabase(config, (await existingDistrict(ds.manager))?.code ?? null).districtCode;
        const report = await importFiles(ds, files, {
          districtCode: district,
          skipInvalid: parsed.skipInvalid,
          coord: parsed.coord,
          maxBytes: config.importMaxBytes,
          replace: parsed.replace,
          dryRun: parsed.dryRun,
          // Open cases are located again in the new layers; re-routing jobs go through the outbox, which
          // the running dispatcher relays.
          relocator: new CaseRelocationService(new LocateService(ds, config), SYSTEM_CLOCK),
          actor: { id: null, username: 'cli:import' },
        });
        process.stdout.write(formatReport(report, Date.now() - started));
        if (report.skipped.length > 0) process.stdout.write(`${await writeProblemList(parsed.files[0], report.skipped)}\n`);
        return 0;
      } catch (err) {
        if (!(err instanceof ImportRejectedError)) throw err;
        process.stderr.write(`${err.message}\n${formatProblemGroups(err.problems).join('\n')}\n`);
        process.stderr.write(`${await writeProblemList(parsed.files[0], err.problems)}\n`);
        return 1;
      }
    });
  },
};

function plural(n: number, word: string): string {
  if (n === 1) return `1 ${word}`;
  return `${n} ${word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

function counts(c: ImportCounts): string {
  return `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped`;
}

export function formatReport(report: ImportReport, ms: number): string {
  const verb = report.applied ? 'imported' : 'dry run (nothing written) of';
  const out = [`${verb} ${plural(report.files.length, 'file')} in ${(ms / 1000).toFixed(1)} s`];
  for (const f of report.files) out.push(`  ${f.name}: ${f.kind ?? 'unreadable'}, ${plural(f.records, 'record')}`);
  out.push(`cells:          ${counts(report.cells)}`);
  out.push(`road segments:  ${counts(report.roads)}`);
  out.push(`chiefs:         ${counts(report.chiefs)}`);
  const { streets, communities, roads, users } = report.created;
  const also = [plural(streets, 'street'), plural(communities, 'community'), plural(roads, 'road'), plural(users, 'user')];
  out.push(`also created:   ${also.join(', ')}`);
  out.push(`retired:        ${plural(report.retired.cells, 'cell')}, ${plural(report.retired.segments, 'segment')}${report.replace ? ` (replaced the ${report.replace} layer)` : ''}`);
  if (report.wardenCells.added > 0) out.push(`wardens:        ${plural(report.wardenCells.added, 'live cell')} given to the wardens of retired cells`);
  out.push(`open cases:     ${report.cases.relocated} located in another cell, ${report.cases.rerouted} to be routed again`);
  if (report.orphanedScopes.length > 0) {
    out.push(`chiefs' scopes left without a live place (${report.orphanedScopes.length}), reassign them:`);
    for (const s of report.orphanedScopes) out.push(`  ${s.chief.username} ${s.chief.name} (level ${s.chief.level}): ${s.kind} ${s.ref} ${s.name}: ${s.problem}`);
  }
  if (report.skipped.length > 0) {
    out.push(`skipped (${report.skipped.length}) · 跳过:`);
    out.push(...formatProblemGroups(report.skipped));
  }
  return `${out.join('\n')}\n`;
}

/**
 * Problems grouped by kind, the largest first: a line with the count and the problem, then its
 * first examples (`file: record: problem`) and how many more there are. The full list is the CSV.
 */
export function formatProblemGroups(problems: readonly ImportProblem[]): string[] {
  const groups = groupProblems(problems);
  const out = [`${plural(groups.length, 'kind')} of problem · ${groups.length} 类问题:`];
  for (const g of groups) {
    out.push(`  ${g.count} × ${g.problem}`);
    for (const p of g.examples) out.push(`      ${formatProblem(p)}`);
    if (g.count > g.examples.length) out.push(`      … and ${g.count - g.examples.length} more · 另有 ${g.count - g.examples.length} 条`);
  }
  return out;
}

/** Writes every problem to `<first input>.problems.csv` and answers the line that says where. */
async function writeProblemList(input: string, problems: readonly ImportProblem[]): Promise<string> {
  const path = `${input}.problems.csv`;
  try {
    await writeFile(path, problemsCsv(problems));
    return `the full list (${plural(problems.length, 'problem')}) · 完整列表: ${path}`;
  } catch (err) {
    return `the full list could not be written to ${path}: ${err instanceof Error ? err.message : String(err)}`;
  }
}
