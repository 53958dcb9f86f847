/**
 * The documents of Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), with the field
 * names and element order of the specification. JSON and XML carry the same content.
 */

export const GEOREPORT_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

/** When this endpoint's behaviour last changed (discovery `changeset`). */
export const GEOREPORT_CHANGESET = '2026-01-01T00:00:00+08:00';

export const GEOREPORT_FORMATS = ['json', 'xml'] as const;
export type GeoReportFormat = (typeof GEOREPORT_FORMATS)[number];

/**
 * Exactly these, with no parameter: clients and validators of GeoReport v2 compare the content
 * type as a whole (the bodies are UTF-8: JSON always is, the XML declares it).
 */
export const GEOREPORT_CONTENT_TYPES: Record<GeoReportFormat, string> = {
  json: 'application/json',
  xml: 'text/xml',
};

export function isGeoReportFormat(value: unknown): value is GeoReportFormat {
  return value === 'json' || value === 'xml';
}

/** The format a path asks for by its extension (`.xml`); JSON otherwise, errors included. */
export function formatOfPath(path: string): GeoReportFormat {
  return /\.xml$/i.test(path) ? 'xml' : 'json';
}

export interface DiscoveryEndpoint {
  specification: string;
  url: string;
  changeset: string;
  type: 'production' | 'test';
  formats: string[];
}

export interface Discovery {
  changeset: string;
  contact: string;
  key_service: string;
  endpoints: DiscoveryEndpoint[];
}

export interface Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface ServiceAttributeValue {
  key: string;
  name: string;
}

export interface ServiceAttribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values: ServiceAttributeValue[];
}

export interface ServiceDefinition {
  service_code: string;
  attributes: ServiceAttribute[];
}

/** One record of `GET requests` and `GET requests/{id}`. Never the reporter's contact. */
export interface ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  /** Left out (with long) while a request located by its address only waits to be placed. */
  lat?: number;
  long?: number;
  media_url: string | null;
}

/**
 * The answer to `POST requests`: the specification's `service_request_id` or `token`, one or the
 * other (a token only while the id is not yet known; ours is known at once).
 */
export interface CreatedServiceRequest {
  service_request_id: string;
  service_notice: string | null;
  account_id: string | null;
}

/** The answer to `GET tokens/{token}`. */
export interface TokenRecord {
  service_request_id: string;
  token: string;
}

export interface GeoReportErrorItem {
  /** The HTTP status, as the specification's examples use it. */
  code: number;
  description: string;
}

/** What an Open311 endpoint answers, before it is written as JSON or XML. */
export type GeoReportDocument =
  | { kind: 'discovery'; body: Discovery }
  | { kind: 'services'; body: Service[] }
  | { kind: 'service_definition'; body: ServiceDefinition }
  | { kind: 'service_requests'; body: ServiceRequest[] | CreatedServiceRequest[] | TokenRecord[] }
  | { kind: 'errors'; body: GeoReportErrorItem[] };

/** The JSON of a document: the body itself (lists are arrays, the specification's JSON shape). */
export function toGeoReportJson(doc: GeoReportDocument): unknown {
  return doc.body;
}
