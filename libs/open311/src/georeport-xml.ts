import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { GeoReportDocument } from './georeport';

/** Root element and repeated child element of each document kind (GeoReport v2). */
const LIST_ELEMENTS = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
} as const;

/** Elements that hold a list, with the name of their repeated child. */
const NESTED_LISTS: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: true,
  format: false,
});

type XmlValue = string | XmlNode | XmlNode[] | string[];
interface XmlNode {
  [element: string]: XmlValue;
}

/** A JSON value as XML content: null is an empty element, booleans and numbers their text. */
function toXmlValue(key: string, value: unknown): XmlValue {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const child = NESTED_LISTS[key];
    if (!child) throw new Error(`no XML element name for the items of ${key}`);
    const items = value.map((v) => toXmlValue(child, v));
    return { [child]: items as XmlNode[] };
  }
  if (typeof value === 'object') {
    const node: XmlNode = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) node[k] = toXmlValue(k, v);
    }
    return node;
  }
  return String(value);
}

/** The XML of a document, built by the XML library (escaping included), with its declaration. */
export function toGeoReportXml(doc: GeoReportDocument): string {
  let root: XmlNode;
  switch (doc.kind) {
    case 'discovery':
    case 'service_definition':
      root = { [doc.kind]: toXmlValue(doc.kind, doc.body) };
      break;
    default: {
      const child = LIST_ELEMENTS[doc.kind];
      const items = (doc.body as unknown[]).map((item) => toXmlValue(child, item) as XmlNode);
      root = { [doc.kind]: items.length > 0 ? { [child]: items } : '' };
      break;
    }
  }
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' }, ...root }) as string;
}

/** Elements that repeat, so a list of one still parses as a list. */
const REPEATED = new Set(['service', 'request', 'error', 'endpoint', 'format', 'attribute', 'value']);

const parser = new XMLParser({
  ignoreDeclaration: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

/** Parses a GeoReport XML document (for clients and tests): every value a string, lists as arrays. */
export function parseGeoReportXml(xml: string): Record<string, unknown> {
  return parser.parse(xml) as Record<string, unknown>;
}
