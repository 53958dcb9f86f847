import type { CoordSystem } from '@wangge/domain';

/** The kinds of place (domain.md 8): construction site, market, checkpoint, enterprise, other. */
export const PLACE_KINDS = ['site', 'market', 'checkpoint', 'enterprise', 'other'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** A GeoJSON Point or Polygon as clients send it. */
export type PlaceGeometry = { type: 'Point'; coordinates: [number, number] } | { type: 'Polygon'; coordinates: [number, number][][] };

export interface PlaceOwner {
  name: string;
  phone?: string;
}

/** `POST /places`. */
export interface NewPlace {
  kind: PlaceKind;
  name: string;
  geometry: unknown;
  coordSystem?: CoordSystem;
  address?: string;
  owner?: PlaceOwner;
  responsibleId?: string;
  /** The district's own id of the place (unique; a places import updates the place it names). */
  code?: string;
}

/** `PATCH /places/:id`: what may change (a new geometry re-locates the place). */
export type PlaceChange = Partial<Omit<NewPlace, 'responsibleId' | 'owner' | 'address' | 'code'>> & {
  responsibleId?: string | null;
  owner?: PlaceOwner | null;
  address?: string | null;
  code?: string | null;
};

/** A place is compliant unless a case one of its inspections opened is still open. */
export type ComplianceState = 'compliant' | 'non_compliant';

export interface PlaceView {
  id: string;
  /** The district's own id of the place, when it has one. */
  code: string | null;
  kind: PlaceKind;
  name: string;
  geometry: PlaceGeometry;
  point: { lng: number; lat: number };
  address: string | null;
  owner: PlaceOwner | null;
  responsible: { id: string; name: string } | null;
  gridCell: { code: string };
  community: { code: string };
  street: { code: string; name: string };
  chief: { id: number; name: string } | null;
  compliance: ComplianceState;
  /** The cases still open that keep the place non-compliant. */
  openCaseIds: string[];
  lastInspectedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ChecklistItem {
  code: string;
  text: string;
  textEn?: string;
  categoryCode: string;
  photoRequired: boolean;
}

export interface ChecklistView {
  id: string;
  name: string;
  nameEn: string | null;
  version: number;
  items: ChecklistItem[];
  createdAt: string;
}

export interface ItemResult {
  code: string;
  passed: boolean;
  note?: string;
  mediaIds?: string[];
}

/** `POST /inspections`. */
export interface NewInspection {
  placeId: string;
  checklistId: string;
  planId?: string;
  location: { lng: number; lat: number };
  coordSystem?: CoordSystem;
  results: ItemResult[];
}

export interface InspectionView {
  id: string;
  place: { id: string; name: string; kind: PlaceKind };
  checklist: { id: string; name: string; version: number };
  planId: string | null;
  inspector: { id: string; name: string };
  location: { lng: number; lat: number };
  distanceM: number;
  offSite: boolean;
  results: (ItemResult & { caseId: string | null })[];
  failed: number;
  createdAt: string;
}
