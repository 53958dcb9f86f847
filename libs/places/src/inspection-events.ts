import type { EntityManager } from 'typeorm';
import type { PlaceShape } from '@wangge/auth';
import type { InspectionEventNotice, InspectionEventPayload } from '@wangge/events';
import { addFeedNotices } from '@wangge/workflow';
import type { PlaceKind } from './place.types';

/** A place as an inspection event names it and as the feed scopes it. */
export type EventPlace = PlaceShape & { name: string; kind: PlaceKind };

/** The columns of {@link EventPlace} from `place` (alias `pl`). */
export const EVENT_PLACE_COLUMNS = `pl.id, pl.name, pl.kind, pl.street_code, pl.grid_cell_code, pl.chief_id, pl.responsible_id`;

export interface EventPlaceRow {
  id: string;
  name: string;
  kind: string;
  street_code: string;
  grid_cell_code: string;
  chief_id: number | null;
  responsible_id: string | null;
}

export function eventPlaceOf(r: EventPlaceRow): EventPlace {
  return { id: r.id, name: r.name, kind: r.kind as PlaceKind, streetCode: r.street_code, gridCellCode: r.grid_cell_code, chiefId: r.chief_id, responsibleId: r.responsible_id };
}

/** The places of these ids, by id. */
export async function eventPlaces(m: EntityManager, ids: readonly string[]): Promise<Map<string, EventPlace>> {
  if (ids.length === 0) return new Map();
  const rows: EventPlaceRow[] = await m.query(`SELECT ${EVENT_PLACE_COLUMNS} FROM place pl WHERE pl.id = ANY($1::uuid[])`, [[...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id, eventPlaceOf(r)]));
}

/**
 * Puts `inspection.event`s for the live feed into the outbox in the caller's transaction (sent once
 * it commits); the feed sends each to the rooms of its place (the access model's placeRooms).
 */
export async function announce(m: EntityManager, events: readonly { place: EventPlace; event: Omit<InspectionEventPayload, 'place'> }[]): Promise<void> {
  const notices = events.map(({ place, event }): InspectionEventNotice => ({
    name: 'inspection.event',
    at: event.at,
    data: {
      ...event,
      place: { id: place.id, name: place.name, kind: place.kind, streetCode: place.streetCode, gridCode: place.gridCellCode },
      scope: { chiefId: place.chiefId, responsibleId: place.responsibleId },
    },
  }));
  await addFeedNotices(m, notices);
}
