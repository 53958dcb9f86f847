import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import type { CoordSystem } from '@wangge/domain';
import { groupProblems, type ImportProblem, type ProblemGroup } from '@wangge/import';
import type { Actor } from '@wangge/workflow';
import { placeGeometry } from './place-geometry';
import { PlaceError } from './place-error';
import { readPlacesFile, type PlaceImportRow } from './place-import-file';
import { PlaceService } from './place.service';
import type { PlaceChange, PlaceGeometry, PlaceView } from './place.types';
import { PERSON_BY_USERNAME_SQL, SAME_PLACE_SQL } from './places.sql';

/** A row without a code is the place of the same kind and name within this distance (metres). */
export const SAME_PLACE_M = 20;

/** What one row of the file did (or would do, in a dry run). */
export interface ImportedPlace {
  row: string;
  action: 'created' | 'updated' | 'unchanged';
  id: string;
  code: string | null;
  kind: PlaceView['kind'];
  name: string;
  street: { code: string; name: string };
}

/** `POST /places/import`: what the file does (or would do), and its problems grouped. */
export interface PlaceImportReport {
  dryRun: boolean;
  file: string;
  format: 'csv' | 'geojson';
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  places: ImportedPlace[];
  problems: ImportProblem[];
  groups: ProblemGroup[];
}

export interface PlaceImportRequest {
  name: string;
  content: string | Buffer;
  coordSystem?: CoordSystem;
  dryRun?: boolean;
}

/** A real import with problems wrote nothing; `report.problems` lists every one. */
export class PlaceImportRejected extends Error {
  constructor(readonly report: PlaceImportReport) {
    super(`import refused: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}, nothing was written / 导入被拒绝，未写入任何数据`);
    this.name = 'PlaceImportRejected';
  }
}

/** Thrown inside the transaction to roll a dry run (or a refused import) back with its report. */
class RolledBack extends Error {
  constructor(readonly report: PlaceImportReport) {
    super('rolled back');
  }
}

/**
 * Places from a CSV or GeoJSON file (issue 17 item 1, docs/places.md), all or nothing: every row goes
 * through PlaceService's own create or update (located, held by the caller's jurisdiction, joining
 * the plans by kind, audited) in one transaction, with one `place.import` audit entry. A row with a
 * code updates the place of that code; without, the place of the same kind and name within
 * SAME_PLACE_M; so the same file twice creates nothing new. A dry run does it all and rolls back.
 */
@Injectable()
export class PlaceImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PlaceService) private readonly places: PlaceService,
  ) {}

  async import(request: PlaceImportRequest, actor: Actor, by: AuditActor): Promise<PlaceImportReport> {
    const coordSystem = request.coordSystem ?? 'wgs84';
    const parsed = readPlacesFile(request.name, request.content);
    const report: PlaceImportReport = {
      dryRun: request.dryRun ?? false,
      file: request.name,
      format: parsed.format,
      records: parsed.records,
      created: 0,
      updated: 0,
      unchanged: 0,
      places: [],
      problems: [...parsed.problems],
      groups: [],
    };
    const problem = (row: PlaceImportRow, text: string) => report.problems.push({ file: request.name, feature: row.label, problem: text });
    const usernames = [...new Set(parsed.rows.flatMap((r) => (r.responsible ? [r.responsible] : [])))];
    const people = new Map<string, string>(
      usernames.length ? ((await this.db.query(PERSON_BY_USERNAME_SQL, [usernames])) as { id: string; username: string }[]).map((p) => [p.username, p.id]) : [],
    );
    const codes = new Map<string, string>();

    try {
      await this.db.transaction(async (m) => {
        for (const row of parsed.rows) {
          const before = report.problems.length;
          if (row.responsible && !people.has(row.responsible)) problem(row, `responsible: no active person with username ${row.responsible}`);
          if (row.code) {
            const first = codes.get(row.code);
            if (first) problem(row, `code: the code ${row.code} is given twice (also ${first})`);
            else codes.set(row.code, row.label);
          }
          const checked = placeGeometry(row.geometry, coordSystem);
          if ('problem' in checked) problem(row, `geometry: ${checked.problem.problem}`);
          if (report.problems.length > before || 'problem' in checked) continue;
          try {
            report.places.push(await this.one(m, row, checked.geometry, row.responsible ? people.get(row.responsible)! : undefined, actor, by));
          } catch (err) {
            if (!(err instanceof PlaceError) || err.code === 'idempotency_key_reused') throw err;
            const details = err.details ?? [];
            problem(row, details.length ? details.map((d) => `${fieldOf(d.field)}: ${d.problem}`).join('; ') : err.message);
          }
        }
        for (const p of report.places) report[p.action]++;
        report.groups = groupProblems(report.problems);
        if (report.problems.length > 0 || report.dryRun) throw new RolledBack(report);
        await recordAudit(m, {
          actor: by,
          action: 'place.import',
          entity: 'place',
          streetCode: actor.streetCode,
          after: {
            file: report.file,
            format: report.format,
            coordSystem,
            records: report.records,
            created: report.created,
            updated: report.updated,
            unchanged: report.unchanged,
            placeIds: report.places.filter((p) => p.action !== 'unchanged').map((p) => p.id),
          },
        });
      });
    } catch (err) {
      if (!(err instanceof RolledBack)) throw err;
      if (!report.dryRun) throw new PlaceImportRejected(report);
    }
    return report;
  }

  /** Creates the row's place, or updates the one it names, through PlaceService in the import's transaction. */
  private async one(m: EntityManager, row: PlaceImportRow, geometry: PlaceGeometry, responsibleId: string | undefined, actor: Actor, by: AuditActor): Promise<ImportedPlace> {
    const [same]: { id: string }[] = await m.query(SAME_PLACE_SQL, [row.code, row.kind, row.name, JSON.stringify(geometry), SAME_PLACE_M]);
    const owner = row.ownerName ? { name: row.ownerName, ...(row.ownerPhone ? { phone: row.ownerPhone } : {}) } : undefined;
    const done = (action: ImportedPlace['action'], v: PlaceView): ImportedPlace => ({ row: row.label, action, id: v.id, code: v.code, kind: v.kind, name: v.name, street: v.street });
    if (!same) {
      const view = await this.places.create(
        { kind: row.kind, name: row.name, geometry, coordSystem: 'wgs84', address: row.address ?? undefined, owner, responsibleId, code: row.code ?? undefined },
        actor,
        by,
        m,
      );
      return done('created', view);
    }
    const current = await this.places.get(same.id, actor, m).catch((err: unknown) => {
      if (err instanceof PlaceError && err.code === 'not_found') {
        throw new PlaceError('forbidden', 'outside your jurisdiction', [{ field: row.code ? 'code' : 'geometry', problem: 'the place it names lies outside your jurisdiction' }]);
      }
      throw err;
    });
    // What the row leaves empty (address, owner, responsible) stays as it is.
    const change: PlaceChange = {};
    if (current.kind !== row.kind) change.kind = row.kind;
    if (current.name !== row.name) change.name = row.name;
    if (!sameGeometry(current.geometry, geometry)) Object.assign(change, { geometry, coordSystem: 'wgs84' });
    if (row.address !== null && current.address !== row.address) change.address = row.address;
    if (owner && (current.owner?.name !== owner.name || (current.owner?.phone ?? undefined) !== owner.phone)) change.owner = owner;
    if (responsibleId !== undefined && current.responsible?.id !== responsibleId) change.responsibleId = responsibleId;
    if (row.code !== null && current.code !== row.code) change.code = row.code;
    if (Object.keys(change).length === 0) return done('unchanged', current);
    return done('updated', await this.places.update(same.id, change, actor, by, m));
  }
}

/** PlaceService names the geometry `geometry` and the person `responsibleId`; the file names them its own way. */
function fieldOf(field: string): string {
  return field === 'responsibleId' ? 'responsible' : field;
}

/** Equal to the precision a place is stored and read back with (7 decimals, about 1 cm). */
function sameGeometry(a: PlaceGeometry, b: PlaceGeometry): boolean {
  if (a.type !== b.type) return false;
  const flat = (g: PlaceGeometry) => (g.type === 'Point' ? [g.coordinates] : g.coordinates.flat());
  const [pa, pb] = [flat(a), flat(b)];
  return pa.length === pb.length && pa.every((p, i) => Math.abs(p[0] - pb[i][0]) < 1e-6 && Math.abs(p[1] - pb[i][1]) < 1e-6);
}
