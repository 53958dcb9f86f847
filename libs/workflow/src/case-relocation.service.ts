import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@wangge/clock';
import { OPEN_STATUSES, type CaseStatus } from '@wangge/domain';
import { LocateService, type Location } from '@wangge/geo';
import { JobName, type JobRequest } from '@wangge/jobs';
import { SYSTEM_ACTOR } from './actor';
import { appendCaseEvent } from './case-events.store';
import { loadCase, RETURNED_CHIEFS_SQL } from './case-workflow.service';
import { addJobs } from './outbox/job.outbox';

/** Statuses in which a case has a responsible chief working on it: re-zoning hands these over. */
const REROUTED_STATUSES: readonly CaseStatus[] = ['dispatched', 'in_progress'];

interface OpenCase {
  id: string;
  code: string;
  status: CaseStatus;
  lng: number;
  lat: number;
  grid_cell_code: string;
  street_code: string;
  community_code: string;
  road_id: number | null;
  segment_id: number | null;
  returned: number[];
}

/** What the import's layers do to the open cases (the shape libs/import expects of its relocator). */
export interface CaseRelocation {
  relocated: number;
  rerouted: number;
  problems: { feature: string; problem: string }[];
}

/**
 * Re-zoning (调整网格) on the case side, inside the import's transaction (libs/import calls it as
 * its relocator): before the layers are written it locks the open cases and notes the chief each
 * is routed to now; after, it locates each again in the live layers. A case now in another cell
 * takes its new cell, street and community with a `case.relocated` event (the earlier events and
 * their codes stay as they were); a dispatched or in-progress case whose routed chief changed gets
 * one `reroute-case` job through the outbox, and the dispatcher hands it over (CaseRoutingService).
 * An open case that no live cell covers refuses the import.
 */
@Injectable()
export class CaseRelocationService {
  constructor(
    @Inject(LocateService) private readonly locator: LocateService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async prepare(m: EntityManager): Promise<(m: EntityManager) => Promise<CaseRelocation>> {
    // Locked for the import: no transition may move a case between the two looks.
    const open: OpenCase[] = await m.query(
      `SELECT c.id, c.code, c.status, ST_X(c.location) AS lng, ST_Y(c.location) AS lat, c.grid_cell_code, c.street_code,
              c.community_code, c.road_id, c.segment_id,
              ${RETURNED_CHIEFS_SQL} AS returned
         FROM case_file c WHERE c.status = ANY($1::text[]) ORDER BY c.id FOR UPDATE OF c`,
      [OPEN_STATUSES],
    );
    const before = new Map<string, number | null>();
    for (const c of open) {
      if (!REROUTED_STATUSES.includes(c.status)) continue;
      const located = await this.locator.locate(Number(c.lng), Number(c.lat), m, new Set(c.returned));
      before.set(c.id, located?.assignee?.id ?? null);
    }
    return (after: EntityManager) => this.relocate(after, open, before);
  }

  private async relocate(m: EntityManager, open: OpenCase[], before: Map<string, number | null>): Promise<CaseRelocation> {
    const outcome: CaseRelocation = { relocated: 0, rerouted: 0, problems: [] };
    const now = this.clock.now();
    for (const c of open) {
      const lng = Number(c.lng);
      const lat = Number(c.lat);
      const located = await this.locator.locate(lng, lat, m, new Set(c.returned));
      if (!located) {
        outcome.problems.push({
          feature: `case ${c.code} (${c.status}) at ${lng.toFixed(6)}, ${lat.toFixed(6)}`,
          problem:
            'lies in no live grid cell of the new layer: cover it, or close or cancel the case first ' +
            '(未办结案卷不在新网格内：请覆盖该位置，或先办结或作废该案卷)',
        });
        continue;
      }
      const jobs: JobRequest[] = [];
      const chiefBefore = before.get(c.id);
      if (chiefBefore !== undefined && located.assignee && located.assignee.id !== chiefBefore) {
        jobs.push({ name: JobName.RerouteCase, data: { caseId: c.id } });
        outcome.rerouted++;
      }
      const moved = located.gridCell.code !== c.grid_cell_code || located.street.code !== c.street_code || located.community.code !== c.community_code;
      const roadMoved = (located.road?.id ?? null) !== c.road_id || (located.road?.segment.id ?? null) !== c.segment_id;
      if (moved || roadMoved) await this.place(m, c.id, located);
      if (moved) {
        outcome.relocated++;
        const from = { gridCell: c.grid_cell_code, street: c.street_code, community: c.community_code };
        const to = { gridCell: located.gridCell.code, street: located.street.code, community: located.community.code };
        await appendCaseEvent(
          m,
          await loadCase(m, c.id),
          {
            type: 'case.relocated',
            from: c.status,
            to: c.status,
            reason: `re-zoned: grid cell ${from.gridCell} → ${to.gridCell}`,
            note: `调整网格：单元网格 ${from.gridCell} → ${to.gridCell}`,
            evidence: { from, to },
          },
          SYSTEM_ACTOR,
          now,
          { jobs },
        );
      } else {
        await addJobs(m, jobs);
      }
    }
    return outcome;
  }

  /** The case's cell, street, community and nearest segment, as the live layers have them now. */
  private async place(m: EntityManager, caseId: string, at: Location): Promise<void> {
    await m.query(
      `UPDATE case_file SET grid_cell_code = $2, street_code = $3, community_code = $4, road_id = $5, segment_id = $6,
                            road_distance_m = $7, updated_at = now()
        WHERE id = $1`,
      [caseId, at.gridCell.code, at.street.code, at.community.code, at.road?.id ?? null, at.road?.segment.id ?? null, at.distanceM],
    );
  }
}
