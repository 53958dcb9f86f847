import type { FuzzRequest } from './fuzz-harness';
import { deepCopy, setPath, toJsonText } from './json-defects';

/**
 * The abuse corpus (issue 16): a fixed list of hostile inputs, the same for every write endpoint —
 * oversized bodies, deep nesting, wrong types, unicode tricks (RTL override, zero-width, NUL, lone
 * surrogates, overlong and invalid UTF-8) and path tricks in ids (`../`, `%2e%2e`, encoded
 * slashes, very long ids, numbers where UUIDs go). Unlike the seeded fuzzing it is exhaustive: every
 * trick at every place of every endpoint. Each request is certain to be refused: a trick goes where
 * it makes the value invalid (codes, ids, enums, dates, numbers), and the body also carries one
 * certain defect elsewhere (an unknown field, refused by the whitelist), so nothing may be written
 * even where a trick could pass (free text, an empty optional value). Oversized and nested bodies
 * are invalid by themselves; path tricks carry a valid body to an id no record has.
 */

/** What a field holds: decides which tricks make it invalid. */
export type FieldKind = 'text' | 'code' | 'uuid' | 'int' | 'number' | 'bool' | 'enum' | 'date' | 'array' | 'object';

/** A write endpoint as the corpus sees it. */
export interface AbuseEndpoint {
  /** Shown in the table, e.g. `POST /api/v1/cases`. */
  name: string;
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The path with a valid (or plausible) id; `id` places path tricks. */
  path: (id: string) => string;
  /** The id the path normally carries (a UUID, a number, a code, a year…); absent: no id in the path. */
  id?: string;
  headers: Record<string, string>;
  /** A body that would be accepted (or refused only for the state of the data), as JSON. */
  body?: unknown;
  /** The dotted paths of `body` and their kinds. */
  fields?: Record<string, FieldKind>;
  /**
   * Where a value makes the body certainly invalid whatever the trick elsewhere (default: an unknown
   * top-level field, refused by the whitelist); not applied when the trick is at that very path.
   */
  spoil?: { path: string; value: unknown };
  /** Open311: errors come in the spec's format. */
  open311?: boolean;
  /** Form-encoded (Open311) instead of JSON. */
  form?: boolean;
}

const MIB = 1024 * 1024;

/** Strings that look alike to a person and differ to a machine, or that break naive handling. */
export const UNICODE_TRICKS: readonly { label: string; text: string }[] = [
  { label: 'RTL override', text: '\u202E' },
  { label: 'LTR/RTL embedding and isolate', text: '\u202A\u202B\u2066\u2069' },
  { label: 'zero-width space, joiner, non-joiner', text: '\u200B\u200D\u200C' },
  { label: 'BOM (zero-width no-break space)', text: '\uFEFF' },
  { label: 'NUL', text: '\u0000' },
  { label: 'C0 and C1 controls', text: '\u0001\u001B[31m\u0085\u009B' },
  { label: 'lone high surrogate', text: '\uD800' },
  { label: 'lone low surrogate', text: '\uDFFF' },
  { label: 'reversed surrogate pair', text: '\uDC00\uD800' },
  { label: 'non-character U+FFFF and U+FFFE', text: '\uFFFF\uFFFE' },
  { label: 'fullwidth digits and letters', text: 'Ｅ０１０２' },
  { label: 'Cyrillic homoglyphs', text: 'аdmіn' },
  { label: 'combining marks x200', text: 'a' + '\u0301'.repeat(200) },
  { label: 'line and paragraph separators', text: '\u2028\u2029' },
  { label: 'emoji with ZWJ sequence', text: '👨‍👩‍👧‍👦' },
];

/** Byte sequences no valid UTF-8 decoder accepts, spliced raw into the JSON text. */
export const RAW_BYTE_TRICKS: readonly { label: string; bytes: number[] }[] = [
  { label: 'overlong "/" (C0 AF)', bytes: [0xc0, 0xaf] },
  { label: 'overlong NUL (C0 80)', bytes: [0xc0, 0x80] },
  { label: 'overlong "." (E0 80 AE)', bytes: [0xe0, 0x80, 0xae] },
  { label: 'invalid bytes FF FE', bytes: [0xff, 0xfe] },
  { label: 'truncated 3-byte sequence', bytes: [0xe4, 0xb8] },
  { label: 'CESU-8 surrogate (ED A0 80)', bytes: [0xed, 0xa0, 0x80] },
  { label: 'lone continuation bytes', bytes: [0x80, 0xbf] },
  { label: 'code point past U+10FFFF (F4 90 80 80)', bytes: [0xf4, 0x90, 0x80, 0x80] },
];

/** Ids no route may resolve to a record, already percent-encoded for the path. */
export const PATH_TRICKS: readonly { label: string; id: string }[] = [
  { label: '..', id: '..' },
  { label: '../', id: '../' },
  { label: '../../etc/passwd', id: '../../etc/passwd' },
  { label: '%2e%2e', id: '%2e%2e' },
  { label: '%2e%2e%2f%2e%2e%2fetc%2fpasswd', id: '%2e%2e%2f%2e%2e%2fetc%2fpasswd' },
  { label: 'double-encoded %252e%252e%252f', id: '%252e%252e%252f' },
  { label: 'encoded slash a%2Fb', id: 'a%2Fb' },
  { label: 'encoded backslash ..%5C..%5C', id: '..%5C..%5C' },
  { label: 'overlong slash %C0%AF', id: '%C0%AF' },
  { label: 'NUL %00', id: '%00' },
  { label: 'id then NUL', id: '00000000-0000-4000-8000-000000000000%00' },
  { label: 'RTL override %E2%80%AE', id: '%E2%80%AE' },
  { label: 'zero-width in a UUID', id: '00000000-0000-4000-8000-%E2%80%8B00000000000' },
  { label: 'lone surrogate %ED%A0%80', id: '%ED%A0%80' },
  { label: 'invalid percent %ZZ', id: '%ZZ' },
  { label: 'truncated percent %', id: '%' },
  { label: 'very long id (10,000 chars)', id: 'a'.repeat(10_000) },
  { label: 'very long digits (400)', id: '9'.repeat(400) },
  { label: 'number 0', id: '0' },
  { label: 'number -1', id: '-1' },
  { label: '2^31', id: '2147483648' },
  { label: '1e3', id: '1e3' },
  { label: 'NaN', id: 'NaN' },
  { label: 'Infinity', id: 'Infinity' },
  { label: 'hex 0x7fffffff', id: '0x7fffffff' },
  { label: 'nil UUID', id: '00000000-0000-0000-0000-000000000000' },
  { label: 'unknown UUID (upper case)', id: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' },
  { label: 'UUID with braces', id: '%7B00000000-0000-4000-8000-000000000000%7D' },
  { label: 'SQL', id: "1'%20OR%20'1'%3D'1" },
  { label: 'dot', id: '.' },
  { label: 'query in id', id: 'x%3Fadmin%3Dtrue' },
];

/** Values of the wrong type (or unparsable) per kind of field. */
const WRONG: Record<FieldKind, readonly unknown[]> = {
  text: [12345, true, [], {}, [['nested']], { $gt: '' }],
  code: [12345, true, [], {}, ['E0102'], { $ne: null }, '', ' '],
  uuid: [1, -1, 1.5, true, [], {}, ['00000000-0000-4000-8000-000000000000'], '../x', 'g0000000-0000-4000-8000-000000000000'],
  int: ['abc', '1e999', 'NaN', '0x10', '１２', true, [], {}, 1.5, -1, 2 ** 53, 1e308],
  number: ['abc', 'NaN', 'Infinity', '1,5', true, [], {}, [1, 2]],
  bool: ['yes', 'true ', 1, 0, [], {}, 'null'],
  enum: [1, true, [], {}, '', 'ADMIN', 'admin ', '__proto__'],
  date: [20260101, true, [], {}, '2026-13-45', '2026-02-30', '9999999-01-01', 'yesterday', '2026-01-01T25:00:00Z'],
  array: ['x', 1, true, {}, [[[[]]]], [null], Array.from({ length: 5000 }, (_, i) => i)],
  object: ['x', 1, true, [], [{}]],
};

/** Kinds where a unicode trick makes any value invalid (fixed alphabets and formats). */
const STRICT: readonly FieldKind[] = ['code', 'uuid', 'int', 'enum', 'date'];

const DEFAULT_SPOIL = { path: '\u202Eabuse', value: true };

/** The body with its certain defect added (unless `at` is the spoiled path itself). */
function spoiled(ep: AbuseEndpoint, body: unknown, at?: string): unknown {
  const copy = deepCopy(body) as Record<string, unknown>;
  const spoil = ep.spoil ?? DEFAULT_SPOIL;
  if (spoil.path !== at && copy !== null && typeof copy === 'object') setPath(copy, spoil.path, spoil.value);
  return copy;
}

function valueAt(body: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((at, k) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined), body);
}

/** Percent-encodes a string; a lone surrogate (which has no UTF-8) as its 3 bytes (CESU-8), as a careless client would. */
function percent(text: string): string {
  let out = '';
  for (const ch of text) {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** `a=1&b[c]=2` from a flat or nested object (qs style), for Open311. */
function formText(value: Record<string, unknown>): string {
  const out: string[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) walk(prefix ? `${prefix}[${k}]` : k, inner);
    } else out.push(`${percent(prefix)}=${percent(String(v))}`);
  };
  walk('', value);
  return out.join('&');
}

/** The id body abuse is sent to on endpoints that take no body (their own id would let the request act). */
const UNKNOWN_ID = 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE';

function request(ep: AbuseEndpoint, label: string, body: string | Buffer | undefined, opts: { id?: string; headers?: Record<string, string>; chunked?: boolean } = {}): FuzzRequest {
  const contentType = ep.form ? 'application/x-www-form-urlencoded' : 'application/json';
  return {
    label: `${ep.name}: ${label}`,
    method: ep.method,
    path: ep.path(opts.id ?? (ep.body === undefined ? UNKNOWN_ID : (ep.id ?? ''))),
    headers: { ...ep.headers, ...(body !== undefined ? { 'content-type': contentType } : {}), ...(opts.chunked ? { 'transfer-encoding': 'chunked' } : {}), ...opts.headers },
    body,
    chunked: opts.chunked,
    open311: ep.open311,
  };
}

const encode = (ep: AbuseEndpoint, body: unknown): string => (ep.form ? formText(body as Record<string, unknown>) : toJsonText(body));

/** A JSON (or form) text with raw bytes where the marker string was. */
function withRawBytes(text: string, marker: string, bytes: number[]): Buffer {
  const at = text.indexOf(marker);
  return Buffer.concat([Buffer.from(text.slice(0, at), 'utf8'), Buffer.from(bytes), Buffer.from(text.slice(at + marker.length), 'utf8')]);
}

/** The corpus of one endpoint, grouped by kind of abuse (for the table). */
export function abuseCorpus(ep: AbuseEndpoint): Record<'oversized' | 'nesting' | 'types' | 'unicode' | 'path', FuzzRequest[]> {
  const body = ep.body ?? {};
  const fields = Object.entries(ep.fields ?? {});
  const out = { oversized: [] as FuzzRequest[], nesting: [] as FuzzRequest[], types: [] as FuzzRequest[], unicode: [] as FuzzRequest[], path: [] as FuzzRequest[] };

  // Oversized: 2 MiB and 8 MiB with Content-Length, 2 MiB chunked (no length announced).
  const firstText = fields.find(([, k]) => k === 'text')?.[0] ?? fields[0]?.[0] ?? 'filler';
  for (const [size, chunked] of [
    [2 * MIB, false],
    [8 * MIB, false],
    [2 * MIB, true],
  ] as const) {
    const big = deepCopy(body);
    if (big !== null && typeof big === 'object' && !Array.isArray(big)) setPath(big as Record<string, unknown>, firstText, 'x'.repeat(size));
    const text = Array.isArray(big) ? JSON.stringify([...big, { filler: 'x'.repeat(size) }]) : encode(ep, big);
    out.oversized.push(request(ep, `${size / MIB} MiB body${chunked ? ', chunked' : ''}`, text, { chunked }));
  }
  // Not here: a Content-Length past the limit whose bytes never come. body-parser answers its 413 only
  // after it has read off the whole announced body, so such a request holds its connection until the
  // server's request timeout; the per-route limits checked before parsing (issue 16, item 1) answer it at once.

  // Deep nesting: in a field, as the whole body, and as a form key (qs nesting).
  const deep = (depth: number, open: string, close: string, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);
  if (ep.form) {
    const base = formText(spoiled(ep, body) as Record<string, unknown>);
    out.nesting.push(request(ep, 'form key nested 5,000 deep', `${base}&a${'[a]'.repeat(5000)}=1`));
    out.nesting.push(request(ep, 'form array of 100,000 items', `${base}${'&x[]=1'.repeat(100_000)}`));
  } else {
    const target = fields[0]?.[0] ?? 'nested';
    for (const [label, value] of [
      ['arrays nested 10,000 deep', deep(10_000, '[', ']')],
      ['objects nested 10,000 deep', deep(10_000, '{"a":', '}')],
      ['arrays nested 100 deep', deep(100, '[', ']')],
    ] as const) {
      const marker = '"__NESTED__"';
      const b = deepCopy(body);
      if (b !== null && typeof b === 'object' && !Array.isArray(b)) setPath(b as Record<string, unknown>, target, '__NESTED__');
      const text = Array.isArray(b) ? `[${marker}]` : toJsonText(b);
      out.nesting.push(request(ep, `${target}: ${label}`, text.replace(marker, value)));
    }
    out.nesting.push(request(ep, 'the body: arrays nested 200,000 deep', deep(200_000, '[', ']')));
    out.nesting.push(request(ep, 'the body: 100,000 keys', `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`));
  }

  // Wrong types, per field.
  for (const [path, kind] of fields) {
    for (const value of WRONG[kind]) {
      const b = deepCopy(body) as Record<string, unknown>;
      setPath(b, path, value);
      // Spoiled too: an empty string or a null may legitimately clear an optional field.
      out.types.push(request(ep, `${path} (${kind}) = ${JSON.stringify(value)?.slice(0, 40)}`, encode(ep, spoiled(ep, b, path))));
    }
  }

  // Unicode tricks: inside strict fields (certainly invalid), and inside free text with a spoiled body.
  for (const [path, kind] of fields) {
    if (!STRICT.includes(kind) && kind !== 'text') continue;
    const base = valueAt(body, path);
    const plain = typeof base === 'string' || typeof base === 'number' ? String(base) : 'x';
    for (const trick of UNICODE_TRICKS) {
      const b = deepCopy(body) as Record<string, unknown>;
      setPath(b, path, kind === 'text' ? `${plain}${trick.text}${plain}` : `${plain.slice(0, 1)}${trick.text}${plain.slice(1)}`);
      out.unicode.push(request(ep, `${path} (${kind}): ${trick.label}`, encode(ep, spoiled(ep, b, path))));
    }
    for (const trick of RAW_BYTE_TRICKS) {
      const marker = '__RAW_BYTES__';
      const b = deepCopy(body) as Record<string, unknown>;
      setPath(b, path, `${plain.slice(0, 1)}${marker}${plain.slice(1)}`);
      const text = encode(ep, spoiled(ep, b, path));
      out.unicode.push(request(ep, `${path} (${kind}): raw ${trick.label}`, withRawBytes(text, marker, trick.bytes)));
    }
  }
  // A key made of tricks, and raw bytes in a key.
  if (!ep.form && ep.body !== undefined && !Array.isArray(body)) {
    out.unicode.push(request(ep, 'key with RTL override and zero-width', toJsonText({ ...(body as object), '\u202Ec\u200Bode': 'x' })));
    out.unicode.push(request(ep, 'key with NUL', toJsonText({ ...(body as object), 'a\u0000b': 'x' })));
  }

  // Path tricks in the id.
  if (ep.id !== undefined) {
    for (const trick of PATH_TRICKS) out.path.push(request(ep, `id ${trick.label}`, ep.body === undefined ? undefined : encode(ep, body), { id: trick.id }));
  }
  return out;
}
