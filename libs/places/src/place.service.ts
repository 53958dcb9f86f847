import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { placeScopeSql, placeVisible, type PlaceShape } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { LocateService, type BoundingBox } from '@wangge/geo';
import { OpenCasesQuery, type Actor } from '@wangge/workflow';
import { placeGeometry } from './place-geometry';
import { PlanPlacesService } from './plans/plan-places.service';
import { PlaceError } from './place-error';
import { PLACE_KINDS, type NewPlace, type PlaceChange, type PlaceGeometry, type PlaceKind, type PlaceView } from './place.types';
import { GEOMETRY_POINT_SQL, INSERT_PLACE_SQL, PERSON_SQL, PLACE_SELECT_SQL, UPDATE_PLACE_SQL, type PlaceRow } from './places.sql';

/** Places in one answer at most (`GET /places`: narrow it with bbox or kind). */
export const PLACE_LIST_MAX = 5000;

export interface PlaceFilter {
  kind?: PlaceKind;
  bbox?: BoundingBox;
}

/** Where a geometry lies: its representative point, cell, community, street and the chief routing names there. */
interface Located {
  geometry: PlaceGeometry;
  point: { lng: number; lat: number };
  gridCellCode: string;
  communityCode: string;
  streetCode: string;
  chiefId: number | null;
}

/**
 * Places (点位, domain.md 8): registered and changed by district or street staff within their
 * jurisdiction, read by everyone the access model lets see them (auth's place access), each with
 * its compliance state: non-compliant while a case one of its inspections opened is open. A place
 * registered or changed joins (or leaves) the plans by kind that cover it, in the same transaction.
 */
@Injectable()
export class PlaceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LocateService) private readonly locator: LocateService,
    @Inject(OpenCasesQuery) private readonly openCases: OpenCasesQuery,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PlanPlacesService) private readonly planPlaces: PlanPlacesService,
  ) {}

  /**
   * Registers a place of the actor's jurisdiction, audited as `place.create` by `by`; in the caller's
   * transaction `tx` when given (a places import), else in its own.
   */
  async create(input: NewPlace, actor: Actor, by: AuditActor, tx?: EntityManager): Promise<PlaceView> {
    const located = await this.locate(input.geometry, input.coordSystem, tx);
    const responsibleId = await this.person(input.responsibleId ?? null, tx);
    this.mustHold(actor, located, responsibleId);
    return this.within(tx, async (m) => {
    const [{ id }]: { id: string }[] = await m.query(INSERT_PLACE_SQL, [
      input.kind,
      input.name,
      JSON.stringify(located.geometry),
      located.point.lng,
      located.point.lat,
      input.address ?? null,
      input.owner?.name ?? null,
      input.owner?.phone ?? null,
      responsibleId,
      located.gridCellCode,
      located.communityCode,
      located.streetCode,
      located.chiefId,
      this.clock.now(),
      input.code ?? null,
    ]);
    const view = await this.get(id, actor, m);
    await recordAudit(m, { actor: by, action: 'place.create', entity: 'place', entityId: id, streetCode: view.street.code, after: view });
    await this.planPlaces.follow(m, id, by, this.clock.now());
    return view;
    });
  }

  /** Changes a place of the actor's jurisdiction, audited as `place.update` by `by`; in `tx` when given, like `create`. */
  async update(id: string, change: PlaceChange, actor: Actor, by: AuditActor, tx?: EntityManager): Promise<PlaceView> {
    return this.within(tx, async (m) => {
      // NO KEY UPDATE: a plan's slot made due meanwhile key-shares the place (its foreign key) without waiting on this change.
      const [row] = await this.rows(m, 'pl.id = $1 FOR NO KEY UPDATE OF pl', [id]);
      if (!row || !placeVisible(actor, shapeOf(row))) throw new PlaceError('not_found', `no place ${id} / 无此点位`);
      this.mustHold(actor, locatedOf(row), row.responsible_id);
      const located = change.geometry !== undefined ? await this.locate(change.geometry, change.coordSystem, m) : locatedOf(row);
      const responsibleId = change.responsibleId !== undefined ? await this.person(change.responsibleId, m) : row.responsible_id;
      this.mustHold(actor, located, responsibleId);
      const owner = change.owner === undefined ? { name: row.owner_name, phone: row.owner_phone } : { name: change.owner?.name ?? null, phone: change.owner?.phone ?? null };
      await m.query(UPDATE_PLACE_SQL, [
        id,
        change.kind ?? row.kind,
        change.name ?? row.name,
        JSON.stringify(located.geometry),
        located.point.lng,
        located.point.lat,
        change.address === undefined ? row.address : change.address,
        owner.name,
        owner.phone,
        responsibleId,
        located.gridCellCode,
        located.communityCode,
        located.streetCode,
        located.chiefId,
        this.clock.now(),
        change.code === undefined ? row.code : change.code,
      ]);
      const view = await this.get(id, actor, m);
      await recordAudit(m, { actor: by, action: 'place.update', entity: 'place', entityId: id, streetCode: view.street.code, before: (await this.views([row], m))[0], after: view });
      await this.planPlaces.follow(m, id, by, this.clock.now());
      return view;
    });
  }

  private within<T>(tx: EntityManager | undefined, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return tx ? work(tx) : this.db.transaction(work);
  }

  /** One place the actor sees (404 for one they do not: its existence is not told). */
  async get(id: string, actor: Actor, m: EntityManager = this.db.manager): Promise<PlaceView> {
    const [row] = await this.rows(m, 'pl.id = $1', [id]);
    if (!row || !placeVisible(actor, shapeOf(row))) throw new PlaceError('not_found', `no place ${id} / 无此点位`);
    return (await this.views([row], m))[0];
  }

  /** The places the actor sees, by kind and bbox, by name. */
  async list(filter: PlaceFilter, actor: Actor): Promise<PlaceView[]> {
    const params: unknown[] = [];
    const param = (v: unknown) => (params.push(v), `$${params.length}`);
    const where = [placeScopeSql(actor, 'pl', param)];
    if (filter.kind) where.push(`pl.kind = ${param(filter.kind)}`);
    if (filter.bbox) {
      const [w, s, e, n] = [param(filter.bbox.minLng), param(filter.bbox.minLat), param(filter.bbox.maxLng), param(filter.bbox.maxLat)];
      where.push(`pl.geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
    }
    const rows = await this.rows(this.db.manager, `${where.join(' AND ')} ORDER BY pl.name, pl.id LIMIT ${PLACE_LIST_MAX}`, params);
    return this.views(rows, this.db.manager);
  }

  /** The shape the access model judges a place by (inspections check who may record and see them). */
  async shape(id: string, m: EntityManager = this.db.manager): Promise<(PlaceShape & { name: string; kind: PlaceKind; lng: number; lat: number }) | null> {
    const [row] = await this.rows(m, 'pl.id = $1', [id]);
    return row ? { ...shapeOf(row), name: row.name, kind: row.kind as PlaceKind, lng: row.lng, lat: row.lat } : null;
  }

  private rows(m: EntityManager, where: string, params: unknown[]): Promise<PlaceRow[]> {
    return m.query(`${PLACE_SELECT_SQL} WHERE ${where}`, params);
  }

  private async views(rows: PlaceRow[], m: EntityManager): Promise<PlaceView[]> {
    const open = await this.openCases.openAmong(rows.flatMap((r) => r.case_ids), m);
    return rows.map((r) => {
      const openCaseIds = r.case_ids.filter((id) => open.has(id));
      return {
        id: r.id,
        code: r.code,
        kind: r.kind as PlaceKind,
        name: r.name,
        geometry: r.geometry as PlaceGeometry,
        point: { lng: r.lng, lat: r.lat },
        address: r.address,
        owner: r.owner_name ? { name: r.owner_name, ...(r.owner_phone ? { phone: r.owner_phone } : {}) } : null,
        responsible: r.responsible_id ? { id: r.responsible_id, name: r.responsible_name ?? '' } : null,
        gridCell: { code: r.grid_cell_code },
        community: { code: r.community_code },
        street: { code: r.street_code, name: r.street_name ?? '' },
        chief: r.chief_id !== null ? { id: r.chief_id, name: r.chief_name ?? '' } : null,
        compliance: openCaseIds.length > 0 ? 'non_compliant' : 'compliant',
        openCaseIds,
        lastInspectedAt: r.last_inspected_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      };
    });
  }

  private async locate(value: unknown, coordSystem: NewPlace['coordSystem'], m: EntityManager = this.db.manager): Promise<Located> {
    const checked = placeGeometry(value, coordSystem);
    if ('problem' in checked) throw PlaceError.badInput(checked.problem.field, checked.problem.problem);
    const [p]: { lng: number; lat: number; valid: boolean }[] = await m.query(GEOMETRY_POINT_SQL, [JSON.stringify(checked.geometry)]);
    if (!p.valid) throw PlaceError.badInput('geometry', 'the Polygon is not valid (its rings cross themselves or each other)');
    const where = await this.locator.locate(p.lng, p.lat, m);
    if (!where) {
      throw new PlaceError('out_of_jurisdiction', 'the place lies outside the district / 该点位不在本区范围内', [{ field: 'geometry', problem: 'outside the district' }]);
    }
    return {
      geometry: checked.geometry,
      point: { lng: p.lng, lat: p.lat },
      gridCellCode: where.gridCell.code,
      communityCode: where.community.code,
      streetCode: where.street.code,
      chiefId: where.assignee?.id ?? null,
    };
  }

  private async person(id: string | null, m: EntityManager = this.db.manager): Promise<string | null> {
    if (id === null) return null;
    const [row]: { id: string }[] = await m.query(PERSON_SQL, [id]);
    if (!row) throw new PlaceError('unknown_person', `no active person ${id} / 无此人员`, [{ field: 'responsibleId', problem: 'no active person with this id' }]);
    return row.id;
  }

  /** Staff register and change places of their own jurisdiction only. */
  private mustHold(actor: Actor, located: Pick<Located, 'streetCode' | 'gridCellCode' | 'chiefId'>, responsibleId: string | null): void {
    const shape: PlaceShape = { id: '', streetCode: located.streetCode, gridCellCode: located.gridCellCode, chiefId: located.chiefId, responsibleId };
    if (!placeVisible(actor, shape)) {
      throw new PlaceError('forbidden', 'the place lies outside your jurisdiction / 该点位不在您的辖区内', [{ field: 'geometry', problem: 'outside your jurisdiction' }]);
    }
  }
}

export function isPlaceKind(value: unknown): value is PlaceKind {
  return typeof value === 'string' && (PLACE_KINDS as readonly string[]).includes(value);
}

function shapeOf(r: PlaceRow): PlaceShape {
  return { id: r.id, streetCode: r.street_code, gridCellCode: r.grid_cell_code, chiefId: r.chief_id, responsibleId: r.responsible_id };
}

function locatedOf(r: PlaceRow): Located {
  return {
    geometry: r.geometry as PlaceGeometry,
    point: { lng: r.lng, lat: r.lat },
    gridCellCode: r.grid_cell_code,
    communityCode: r.community_code,
    streetCode: r.street_code,
    chiefId: r.chief_id,
  };
}
