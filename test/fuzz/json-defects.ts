import { gzipSync } from 'node:zlib';
import { PLAIN_TEXT, type SeededRandom } from './seeded-random';

/** JSON text written as is (numbers JSON.stringify cannot write, such as `1e400`). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify, except that {@link RawJson} values are written raw and `__proto__` keys are kept as own keys. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Sets an own property, even one named `__proto__` (plain assignment would change the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export const deepCopy = <T>(value: T): T => {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) setOwn(out, k, deepCopy(v));
  return out as T;
};

/** One certain defect of a JSON body: what it does and which fields the refusal must name. */
export interface Defect {
  label: string;
  /** The field it spoils (two defects of one request never spoil the same field or a parent and child). */
  field: string;
  /** Fields `details[].field` must name (default: `field`). */
  names?: string[];
  apply(body: Record<string, unknown>): void;
}

/** Sets a value at a dotted path, creating objects on the way. */
export function setPath(body: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = body;
  for (const k of keys.slice(0, -1)) {
    if (at[k] === null || typeof at[k] !== 'object' || at[k] instanceof RawJson) setOwn(at, k, {});
    at = at[k] as Record<string, unknown>;
  }
  setOwn(at, keys[keys.length - 1], value);
}

export function deletePath(body: Record<string, unknown>, path: string): void {
  const keys = path.split('.');
  let at: unknown = body;
  for (const k of keys.slice(0, -1)) {
    at = (at as Record<string, unknown> | undefined)?.[k];
    if (at === null || typeof at !== 'object') return;
  }
  delete (at as Record<string, unknown>)[keys[keys.length - 1]];
}

export const defect = (field: string, label: string, value: unknown, names?: string[]): Defect => ({
  field,
  label: `${field}: ${label}`,
  names,
  apply: (body) => setPath(body, field, value),
});

export const missing = (field: string): Defect => ({ field, label: `${field}: missing`, apply: (body) => deletePath(body, field) });

const short = (v: unknown) => {
  const s = v instanceof RawJson ? v.text : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…(${s.length})` : s;
};

/** Values of the wrong JSON type for a field of type `want`; `null` only where the field is required. */
export function wrongType(rng: SeededRandom, want: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array', required: boolean): unknown {
  const candidates: unknown[] = [
    ...(want !== 'string' ? ['', 'x', '113.68', '1', 'true', 'NaN', 'Infinity', '-Infinity', ' ', '[]', '{}'] : []),
    ...(want !== 'number' && want !== 'integer' ? [0, 1, -1, 3.14, 1e21] : []),
    ...(want !== 'boolean' ? [true, false] : []),
    ...(want !== 'array' ? [[], ['x'], [1, 2], [[]]] : []),
    ...(want !== 'object' ? [{}, { a: 1 }, { $ne: null }, { $gt: '' }] : []),
    ...(required ? [null] : []),
  ];
  return rng.pick(candidates);
}

export function wrongTypeDefect(rng: SeededRandom, field: string, want: Parameters<typeof wrongType>[1], required: boolean): Defect {
  const value = wrongType(rng, want, required);
  return defect(field, `${want} expected, got ${short(value)}`, value);
}

export function plainText(rng: SeededRandom, min: number, max: number): string {
  return rng.string(rng.int(min, max), PLAIN_TEXT).trim() || '文';
}

/** Longer than `max` characters (BMP characters only, so every counting agrees). */
export function overLong(rng: SeededRandom, max: number): string {
  return rng.string(max + rng.int(1, Math.max(2, max)), PLAIN_TEXT.replace(/ /g, ''));
}

const TAGS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<a href="javascript:alert(1)">点击</a>',
  'javascript:alert(document.cookie)',
  '<iframe src="//evil.example"></iframe>',
  '<b>加粗</b>',
  '</textarea><script>',
  '<!-- comment -->',
  '<?php echo 1; ?>',
  '< script >x</ script >',
  '<div style="x">',
  '<body onload=alert(1)>',
  '<style>*{}</style>',
  '<ScRiPt>alert(1)</sCrIpT>',
];

/** Plain text with markup somewhere in it. */
export function withHtml(rng: SeededRandom, maxLength: number): string {
  const tag = rng.pick(TAGS);
  const room = Math.max(0, maxLength - tag.length);
  const before = rng.string(rng.int(0, Math.min(20, Math.floor(room / 2))), PLAIN_TEXT);
  const after = rng.string(rng.int(0, Math.min(20, Math.floor(room / 2))), PLAIN_TEXT);
  return `${before}${tag}${after}`;
}

/** A text field's defects: wrong type, missing (if required), empty, too long, markup. */
export function textDefect(rng: SeededRandom, field: string, opts: { max: number; required: boolean; html: boolean; emptyInvalid?: boolean }): Defect {
  const kinds = ['type', 'long', ...(opts.required ? ['missing'] : []), ...(opts.emptyInvalid !== false ? ['empty'] : []), ...(opts.html ? ['html', 'html'] : [])];
  switch (rng.pick(kinds)) {
    case 'missing':
      return missing(field);
    case 'empty':
      return defect(field, 'empty string', '');
    case 'long': {
      const value = overLong(rng, opts.max);
      return defect(field, `${value.length} characters (max ${opts.max})`, value);
    }
    case 'html': {
      const value = withHtml(rng, opts.max);
      return defect(field, `markup ${short(value)}`, value);
    }
    default:
      return wrongTypeDefect(rng, field, 'string', opts.required);
  }
}

const NOT_UUIDS = [
  'abc',
  '1',
  '0',
  'null',
  'undefined',
  '00000000-0000-0000-0000-00000000000',
  '00000000-0000-0000-0000-0000000000000',
  'g0000000-0000-4000-8000-000000000000',
  '{00000000-0000-4000-8000-000000000000}',
  '00000000000040008000000000000000',
  '00000000-0000-4000-8000-000000000000 ',
  ' 00000000-0000-4000-8000-000000000000',
  '00000000_0000_4000_8000_000000000000',
  "' OR 1=1 --",
  '../../etc/passwd',
  '<script>',
  '案卷',
];

export function notUuid(rng: SeededRandom): unknown {
  return rng.chance(0.8) ? rng.pick(NOT_UUIDS) : rng.pick([1, true, {}, [], 1.5]);
}

/** Unknown fields a client might try (privileged columns, operators, prototype keys are elsewhere). */
export const UNKNOWN_FIELDS = [
  ...['status', 'id', 'code', 'caseId', 'assignee', 'deadlineAt', 'reporterId', 'role', 'admin', 'isAdmin', 'trackingToken', 'createdAt'],
  ...['$where', 'a.b', '', ' ', '0', 'lng', 'LAT', 'Description', 'category_code'],
];

export function unknownFieldDefect(rng: SeededRandom, known: readonly string[]): Defect {
  const candidates = [...UNKNOWN_FIELDS, `zz_${rng.string(6)}`, rng.string(rng.int(1, 12))].filter((f) => !known.includes(f));
  const field = rng.pick(candidates);
  const value = rng.pick<unknown>(['x', 1, true, null, {}, [], { nested: 1 }, '<script>']);
  return { field: `unknown:${field}`, names: [field], label: `unknown field ${JSON.stringify(field)} = ${short(value)}`, apply: (body) => setOwn(body, field, value) };
}

/** Keys that reach for an object's prototype: a correct server refuses them as unknown fields. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

export function prototypeDefect(rng: SeededRandom): Defect {
  const key = rng.pick(PROTOTYPE_KEYS);
  const value = rng.pick<unknown>([{ polluted: true }, { isAdmin: true, role: 'admin' }, { prototype: { polluted: true } }, 'x', 1, null, []]);
  return { field: `unknown:${key}`, names: [key], label: `prototype key ${key} = ${short(value)}`, apply: (body) => setOwn(body, key, value) };
}

/** Applies 1 to `max` defects on distinct fields; returns their labels and the fields to be named. */
export function spoil(rng: SeededRandom, body: Record<string, unknown>, make: () => Defect, max = 3): { label: string; fields: string[] } {
  const chosen: Defect[] = [];
  const want = rng.int(1, max);
  for (let tries = 0; chosen.length < want && tries < 20; tries++) {
    const d = make();
    const clash = chosen.some((c) => c.field === d.field || c.field.startsWith(`${d.field}.`) || d.field.startsWith(`${c.field}.`));
    if (!clash) chosen.push(d);
  }
  for (const d of chosen) d.apply(body);
  return { label: chosen.map((d) => d.label).join(' + '), fields: chosen.flatMap((d) => d.names ?? [d.field]) };
}

/** A request body and headers that are not a usable JSON object, whatever the endpoint. */
export interface StructuralDefect {
  label: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  chunked?: boolean;
  /** Set when we know the answer: 400 for unreadable JSON, 413 too large, 415 unsupported encoding. */
  status?: number | number[];
}

const JSON_CT = { 'content-type': 'application/json' };

/**
 * Malformed JSON, JSON that is not an object, encodings and charsets the server cannot read. The
 * body the server would see after parsing is never a valid one. Wrong content types (which leave
 * the body empty) only where `emptyBodyInvalid`.
 */
export function structuralDefect(rng: SeededRandom, valid: Record<string, unknown>, emptyBodyInvalid: boolean): StructuralDefect {
  const text = toJsonText(valid);
  const kinds = ['malformed', 'malformed', 'malformed', 'primitive', 'array', 'charset', 'encoding', 'deep', ...(emptyBodyInvalid ? ['content-type', 'content-type', 'empty'] : [])];
  switch (rng.pick(kinds)) {
    case 'malformed': {
      const cut = rng.int(1, Math.max(1, text.length - 1));
      const rest = text === '{}' ? '}' : `,${text.slice(1)}`;
      const variants: [string, string][] = [
        ['truncated', text.slice(0, cut)],
        ['trailing comma', `${text.slice(0, -1)}${text === '{}' ? '"a":1' : ''},}`],
        ['single quotes', `{'zz':1${rest}`.replace(/"/g, "'")],
        ['unquoted key', `{zz:1${rest}`],
        ['NaN literal', `{"x":NaN${rest}`],
        ['Infinity literal', `{"x":-Infinity${rest}`],
        ['comment', `/* c */${text}`],
        ['two objects', `${text}${text}`],
        ['extra brace', `${text}}`],
        ['missing value', `{"a":${rest}`],
        ['equals for colon', `{"a"=1${rest}`],
        ['undefined', 'undefined'],
        ['garbage', rng.string(rng.int(1, 200), '{}[]:,"\'\\/ abc123\n\t')],
        ['raw newline in a string', `{"a":"line\nbreak"${rest}`],
        ['bad escape', `{"a":"\\x41"${rest}`],
        ['bad unicode escape', `{"a":"\\uZZZZ"${rest}`],
        ['XML', `<?xml version="1.0"?><case><categoryCode>E0102</categoryCode></case>`],
        ['only whitespace', ' \n\t '],
        ['byte order mark then garbage', `\uFEFF{${text}`],
      ];
      let [name, body] = rng.pick(variants);
      // Never send what happens to parse, nor (where an empty body is valid) what a lenient parser might take as empty.
      while (parses(body) || (!emptyBodyInvalid && body.trim() === '')) [name, body] = rng.pick(variants);
      return { label: `malformed JSON (${name})`, headers: JSON_CT, body, status: 400 };
    }
    case 'primitive': {
      const body = rng.pick(['"text"', '1', '-1.5', 'null', 'true', 'false', '"{}"', JSON.stringify(text)]);
      return { label: `JSON ${body.slice(0, 20)} instead of an object`, headers: JSON_CT, body, status: 400 };
    }
    case 'array': {
      const body = rng.pick([`[${text}]`, '[]', `[${text},${text}]`, '[[]]', '[1,2,3]', `[[${text}]]`]);
      return { label: 'JSON array instead of an object', headers: JSON_CT, body, status: 400 };
    }
    case 'charset': {
      // (utf-7 is left out: body-parser reads it, and the ASCII of a JSON body means the same in it.)
      const charset = rng.pick(['latin1', 'iso-8859-1', 'gbk', 'x-unknown', 'ebcdic', 'utf-9']);
      return { label: `charset ${charset}`, headers: { 'content-type': `application/json; charset=${charset}` }, body: text, status: 415 };
    }
    case 'encoding': {
      const which = rng.pick(['gzip-garbage', 'deflate-garbage', 'br', 'zstd', 'compress', 'gzip-truncated']);
      if (which === 'gzip-garbage' || which === 'deflate-garbage') {
        const enc = which.split('-')[0];
        // Half of them start like the real thing (a gzip header, a zlib header), so the inflater gets past the first bytes.
        const magic = rng.chance(0.5) ? Buffer.from(enc === 'gzip' ? [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03] : [0x78, 0x9c]) : Buffer.alloc(0);
        return {
          label: `Content-Encoding ${enc}, ${magic.length ? 'a valid header then ' : ''}bytes that do not inflate`,
          headers: { ...JSON_CT, 'content-encoding': enc },
          body: Buffer.concat([magic, rng.bytes(rng.int(1, 300))]),
          status: 400,
        };
      }
      if (which === 'gzip-truncated') {
        const gz = gzipSync(Buffer.from(text));
        return { label: 'Content-Encoding gzip, truncated stream', headers: { ...JSON_CT, 'content-encoding': 'gzip' }, body: gz.subarray(0, Math.max(1, gz.length - rng.int(5, 15))), status: 400 };
      }
      // Plain JSON declared as compressed: an encoding the server reads fails to inflate (400), another is unsupported (415).
      return { label: `Content-Encoding ${which} on uncompressed JSON`, headers: { ...JSON_CT, 'content-encoding': which }, body: text, status: [400, 415] };
    }
    case 'deep': {
      const depth = rng.pick([1000, 5000, 20000, 100000]);
      const key = rng.pick(['zz_deep', ...Object.keys(valid)]);
      const nested = rng.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      // After the valid fields, so that this value is the one a parser keeps.
      const body = `${text === '{}' ? '{' : `${text.slice(0, -1)},`}${JSON.stringify(key)}:${nested}}`;
      return { label: `${key}: ${nested.startsWith('[') ? 'arrays' : 'objects'} nested ${depth} deep`, headers: JSON_CT, body };
    }
    case 'empty':
      return { label: 'empty body', headers: rng.chance(0.5) ? JSON_CT : {}, body: rng.chance(0.5) ? '' : undefined, status: 400 };
    default: {
      const [ct, body] = rng.pick<[string | null, string]>([
        ['text/plain', text],
        ['application/xml', `<?xml version="1.0"?><body>${text}</body>`],
        ['text/xml', '<case><categoryCode>E0102</categoryCode><description>x</description></case>'],
        ['text/html', `<html><body>${text}</body></html>`],
        ['application/octet-stream', text],
        ['application/json-patch+json', text],
        ['multipart/form-data; boundary=x', text],
        ['application/x-www-form-urlencoded', text],
        [null, text],
        ['application/jsonx', text],
        ['image/jpeg', text],
      ]);
      return { label: `Content-Type ${ct ?? '(none)'}`, headers: ct ? { 'content-type': ct } : {}, body };
    }
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Bodies over the body limit: declared (Content-Length), streamed (chunked), or compressed. */
export function hugeBody(rng: SeededRandom, limit: number, valid: Record<string, unknown>): StructuralDefect {
  const pad = limit + rng.int(1, 64 * 1024);
  const text = toJsonText(valid);
  const filler = (n: number) => Buffer.concat([Buffer.from(`${text === '{}' ? '{' : `${text.slice(0, -1)},`}"zz_pad":"`), Buffer.alloc(n, 'a'), Buffer.from('"}')]);
  switch (rng.int(0, 2)) {
    case 0:
      return { label: `${pad} bytes with Content-Length (limit ${limit})`, headers: JSON_CT, body: filler(pad), status: 413 };
    case 1:
      return { label: `${pad} bytes chunked (limit ${limit})`, headers: JSON_CT, body: filler(pad), chunked: true, status: 413 };
    default:
      return { label: `${pad} bytes gzipped to a few KiB (limit ${limit})`, headers: { ...JSON_CT, 'content-encoding': 'gzip' }, body: gzipSync(filler(pad)), status: 413 };
  }
}
