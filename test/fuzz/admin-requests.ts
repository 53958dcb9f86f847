import { jsonRequest, structuralRequest, unknownChiefId, type FuzzWorld, type Who } from './case-requests';
import type { FuzzRequest } from './fuzz-harness';
import {
  deepCopy,
  defect,
  missing,
  notUuid,
  overLong,
  plainText,
  prototypeDefect,
  RawJson,
  spoil,
  textDefect,
  unknownFieldDefect,
  withHtml,
  wrongTypeDefect,
  type Defect,
} from './json-defects';
import type { SeededRandom } from './seeded-random';

/** A client address of its own per request, so the per-address throttles let the request reach its checks. */
export function addresses(): () => string {
  let n = 0;
  return () => {
    n++;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  };
}

// ─── POST /api/v1/auth/login ─────────────────────────────────────────────────────────────────────

function loginDefect(rng: SeededRandom): Defect {
  switch (rng.pick(['username', 'username', 'password', 'password', 'unknown'])) {
    case 'username':
      return textDefect(rng, 'username', { max: 64, required: true, html: false });
    case 'password':
      return textDefect(rng, 'password', { max: 256, required: true, html: false });
    default:
      return unknownFieldDefect(rng, ['username', 'password']);
  }
}

/** Bad logins; never the right password (every password here starts with `wrong-`). */
export function loginRequests(rng: SeededRandom, w: FuzzWorld, n: number): FuzzRequest[] {
  const next = addresses();
  const path = '/api/v1/auth/login';
  const out: FuzzRequest[] = [];
  while (out.length < n) {
    const body: Record<string, unknown> = { username: rng.pick(['operator', 'warden1', 'admin', 'nobody', rng.string(rng.int(1, 20))]), password: `wrong-${rng.string(rng.int(1, 30))}` };
    const roll = rng.next();
    let req: FuzzRequest;
    if (roll < 0.65) {
      const s = spoil(rng, body, () => loginDefect(rng));
      req = jsonRequest(w, 'anonymous', 'POST', path, s.label, body, { status: 400, fields: s.fields });
    } else if (roll < 0.78) {
      req = structuralRequest(rng, w, 'anonymous', 'POST', path, body, true);
    } else if (roll < 0.85) {
      const d = prototypeDefect(rng);
      d.apply(body);
      req = jsonRequest(w, 'anonymous', 'POST', path, `${d.label} (with a wrong password)`, body, { status: 400, fields: d.names });
    } else if (roll < 0.93) {
      req = jsonRequest(w, 'anonymous', 'POST', path, 'wrong password or unknown user', body, { status: 401 });
    } else {
      // From one address: the login throttle (10 a minute) answers 429 after a few.
      req = jsonRequest(w, 'anonymous', 'POST', path, 'wrong password, all from one address', body, { status: [400, 401, 429] });
      out.push(req);
      continue;
    }
    req.headers = { ...req.headers, 'x-forwarded-for': next() };
    out.push(req);
  }
  return out;
}

// ─── PATCH /api/v1/chiefs/:id ────────────────────────────────────────────────────────────────────

function chiefDefect(rng: SeededRandom): Defect {
  switch (rng.pick(['available', 'unavailableReason', 'deputyId', 'unknown'])) {
    case 'available':
      return defect('available', 'not a boolean', rng.pick<unknown>(['true', 'false', 1, 0, 'yes', [], {}, 'null']));
    case 'unavailableReason':
      return rng.chance(0.5) ? wrongTypeDefect(rng, 'unavailableReason', 'string', false) : defect('unavailableReason', 'over 200 characters', overLong(rng, 200));
    case 'deputyId': {
      const v = rng.pick<unknown>([0, -1, 1.5, '2', true, [], {}, new RawJson('1e400'), 'abc']);
      return defect('deputyId', `not a chief id: ${v instanceof RawJson ? v.text : JSON.stringify(v)}`, v);
    }
    default:
      return unknownFieldDefect(rng, ['available', 'unavailableReason', 'deputyId']);
  }
}

function validChiefChange(rng: SeededRandom): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (rng.chance(0.5)) body.available = rng.chance(0.5);
  if (rng.chance(0.4)) body.unavailableReason = rng.chance(0.8) ? plainText(rng, 1, 100) : null;
  if (rng.chance(0.3)) body.deputyId = null;
  return body;
}

/** A change the DTO lets through but the roster must refuse before writing (or the database would). */
function chiefSemantic(rng: SeededRandom, w: FuzzWorld, who: Who): FuzzRequest {
  const own = `/api/v1/chiefs/${w.chiefId}`;
  switch (rng.int(0, 5)) {
    case 0: {
      const id = unknownChiefId(rng, w);
      return jsonRequest(w, who, 'PATCH', `/api/v1/chiefs/${id}`, `unknown chief ${id}`, { available: rng.chance(0.5), ...validChiefChange(rng) }, { status: 404 });
    }
    case 1:
      return jsonRequest(w, who, 'PATCH', own, 'a chief as their own deputy', { deputyId: w.chiefId, ...(rng.chance(0.5) ? { available: false } : {}) }, { status: 400, fields: ['deputyId'] });
    case 2: {
      const id = unknownChiefId(rng, w);
      return jsonRequest(w, who, 'PATCH', own, `unknown deputy ${id}`, { deputyId: id }, { status: 422, fields: ['deputyId'] });
    }
    case 3: {
      const id = rng.pick([2147483648, 1e15, Number.MAX_SAFE_INTEGER, 99999999999]);
      return jsonRequest(w, who, 'PATCH', own, `deputy id ${id} beyond a 32-bit integer`, { deputyId: id }, { status: [400, 422], fields: ['deputyId'] });
    }
    case 4: {
      const body = { available: null, ...(rng.chance(0.5) ? { unavailableReason: plainText(rng, 1, 40) } : {}) };
      return jsonRequest(w, who, 'PATCH', own, 'available: null (only the reason and the deputy may be null)', body, { status: 400, fields: ['available'] });
    }
    default: {
      const id = rng.pick(['2147483648', '99999999999', '9'.repeat(30), '-2147483649']);
      return jsonRequest(w, who, 'PATCH', `/api/v1/chiefs/${id}`, `chief id ${id} beyond a 32-bit integer`, { available: false }, { status: [400, 404] });
    }
  }
}

export function chiefRequests(rng: SeededRandom, w: FuzzWorld, n: number): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  while (out.length < n) {
    const who = rng.pick<Who>(['operator', 'admin']);
    const path = `/api/v1/chiefs/${w.chiefId}`;
    const roll = rng.next();
    if (roll < 0.55) {
      const body = validChiefChange(rng);
      const s = spoil(rng, body, () => chiefDefect(rng));
      out.push(jsonRequest(w, who, 'PATCH', path, s.label, body, { status: 400, fields: s.fields }));
    } else if (roll < 0.65) {
      out.push(structuralRequest(rng, w, who, 'PATCH', `/api/v1/chiefs/${unknownChiefId(rng, w)}`, validChiefChange(rng), false));
    } else if (roll < 0.7) {
      // With a deputy the roster refuses before writing: a correct server names the key instead.
      const body: Record<string, unknown> = { deputyId: w.chiefId };
      const d = prototypeDefect(rng);
      d.apply(body);
      out.push(jsonRequest(w, who, 'PATCH', path, `${d.label} (with deputyId = own id)`, body, { status: 400, fields: d.names }));
    } else if (roll < 0.8) {
      const id = rng.pick(['abc', '1.5', '1e3', '0x10', '%20', 'null', '%31%2C2', '١', '3abc', ' 3', 'Infinity', '-', '+', '3 ']);
      const path = `/api/v1/chiefs/${id.startsWith('%') ? id : encodeURIComponent(id)}`;
      out.push(jsonRequest(w, who, 'PATCH', path, `chief id ${JSON.stringify(id)} is not an integer`, validChiefChange(rng), { status: 400, fields: ['id'] }));
    } else {
      out.push(chiefSemantic(rng, w, who));
    }
  }
  return out;
}

// ─── POST /api/v1/admin/import ───────────────────────────────────────────────────────────────────

function importDefect(rng: SeededRandom): Defect {
  switch (rng.pick(['files', 'file', 'file', 'file', 'skipInvalid', 'coord', 'replace', 'dryRun', 'unknown'])) {
    case 'files':
      switch (rng.int(0, 3)) {
        case 0:
          return missing('files');
        case 1:
          return wrongTypeDefect(rng, 'files', 'array', true);
        case 2:
          return defect('files', 'empty array', []);
        default: {
          const files = Array.from({ length: rng.int(21, 30) }, (_, i) => ({ name: `f${i}.csv`, content: 'username,name,phone,level,scope\n' }));
          return defect('files', `${files.length} files (max 20)`, files);
        }
      }
    case 'file':
      switch (rng.pick(['name', 'name', 'kind', 'content', 'content', 'unknown'])) {
        case 'name':
          return textDefect(rng, 'files.0.name', { max: 255, required: true, html: false });
        case 'kind':
          return rng.chance(0.7) ? defect('files.0.kind', 'unknown kind', rng.pick(['cell', 'road', 'Cells', 'csv', '', 'geojson', 'users'])) : wrongTypeDefect(rng, 'files.0.kind', 'string', false);
        case 'content':
          return rng.chance(0.3)
            ? missing('files.0.content')
            : rng.chance(0.5)
              ? defect('files.0.content', 'a GeoJSON object instead of its text', { type: 'FeatureCollection', features: [] })
              : wrongTypeDefect(rng, 'files.0.content', 'string', true);
        default: {
          const key = rng.pick(['encoding', 'path', 'size', 'url']);
          return defect(`files.0.${key}`, 'unknown field', 'x');
        }
      }
    case 'skipInvalid':
      return defect('skipInvalid', 'not a boolean', rng.pick<unknown>(['true', 1, 'yes', [], {}]));
    case 'coord':
      return rng.chance(0.7) ? defect('coord', 'unknown system', rng.pick(['WGS84', 'gps', 'epsg:4326', '', 'cgcs2000'])) : wrongTypeDefect(rng, 'coord', 'string', false);
    case 'replace':
      return rng.chance(0.7) ? defect('replace', 'unknown layer', rng.pick(['chiefs', 'Cells', 'all', '', 'grid'])) : wrongTypeDefect(rng, 'replace', 'string', false);
    case 'dryRun':
      return defect('dryRun', 'not a boolean', rng.pick<unknown>(['true', 1, 'yes', [], {}]));
    default:
      return unknownFieldDefect(rng, ['files', 'skipInvalid', 'coord', 'replace', 'dryRun']);
  }
}

const HEADER = 'username,name,phone,level,scope';

/** One chiefs CSV line with a certain defect. */
function badChiefLine(rng: SeededRandom): string {
  const user = `fz_${rng.string(8).toLowerCase()}`;
  return rng.pick([
    `a b,张三,13800000000,3,${user}-road`,
    `,张三,13800000000,3,410104001001`,
    `${user},张三,13800000000,${rng.pick(['0', '4', 'x', '', '1.5', '-1'])},410104001001`,
    `${user},张三,13800000000,3,`,
    `${user},,13800000000,3,410104001001`,
    `${user},张三,abc,3,410104001001`,
    `${user},张三,13800000000,3,NoSuchRoad-${rng.string(6)}`,
    `${rng.pick(['warden1', 'operator', 'admin', 'leader'])},王五,13800000000,3,410104999999`,
    `${user},张三,13800000000,2,410104999`,
    `${user},${'名'.repeat(300)},13800000000,3,410104001001`,
  ]);
}

function ring(lng: number, lat: number, d = 0.0005): number[][] {
  return [
    [lng, lat],
    [lng + d, lat],
    [lng + d, lat + d],
    [lng, lat + d],
    [lng, lat],
  ];
}

/** One cell feature with a certain defect. */
function badCell(rng: SeededRandom): unknown {
  const lng = 113.6 + rng.next() * 0.1;
  const lat = 34.7 + rng.next() * 0.05;
  const polygon = { type: 'Polygon', coordinates: [ring(lng, lat)] };
  return rng.pick<unknown>([
    { type: 'Feature', properties: {}, geometry: polygon },
    { type: 'Feature', properties: { code: rng.pick(['123', 'abc', '4101040010010010', '410104001001000', '']) }, geometry: polygon },
    { type: 'Feature', properties: { code: `110101001001${rng.string(3, '123456789')}` }, geometry: polygon },
    { type: 'Feature', properties: { code: `410104999999${rng.string(3, '123456789')}` }, geometry: polygon },
    { type: 'Feature', properties: { code: '410104001001001' }, geometry: { type: 'Polygon', coordinates: [ring(lng, lat).slice(0, 4)] } },
    { type: 'Feature', properties: { code: '410104001001001' }, geometry: { type: 'Polygon', coordinates: [[[lng, lat], [lng, lat + 1], [lng, lat]]] } },
    { type: 'Feature', properties: { code: '410104001001001' }, geometry: { type: 'Polygon', coordinates: [ring(lng + 200, lat)] } },
    { type: 'Feature', properties: { code: '410104001001001' }, geometry: { type: 'Polygon', coordinates: [[['a', 'b'], [1, 2], [3, 4], ['a', 'b']]] } },
    { type: 'Feature', properties: { code: '410104001001001' }, geometry: { type: 'Polygon', coordinates: [] } },
    { type: 'Feature', properties: { code: { nested: true } }, geometry: polygon },
    { type: 'NotAFeature' },
    null,
    1,
  ]);
}

/** One road feature with a certain defect. */
function badRoad(rng: SeededRandom): unknown {
  const lng = 113.6 + rng.next() * 0.1;
  const lat = 34.7 + rng.next() * 0.05;
  const line = { type: 'LineString', coordinates: [[lng, lat], [lng + 0.001, lat]] };
  return rng.pick<unknown>([
    { type: 'Feature', properties: {}, geometry: line },
    { type: 'Feature', properties: { name: '' }, geometry: line },
    { type: 'Feature', properties: { name: ['路'] }, geometry: line },
    { type: 'Feature', properties: { name: '测试路', roadId: { id: 1 } }, geometry: line },
    { type: 'Feature', properties: { name: '测试路' }, geometry: { type: 'LineString', coordinates: [[lng, lat]] } },
    { type: 'Feature', properties: { name: '测试路' }, geometry: { type: 'LineString', coordinates: [[lng, 95], [lng, lat]] } },
    { type: 'Feature', properties: { name: '测试路' }, geometry: { type: 'LineString', coordinates: [['x', lat], [lng, lat]] } },
    { type: 'Feature', properties: { name: '测试路' }, geometry: { type: 'MultiLineString', coordinates: [] } },
    { type: 'Feature', properties: { name: '测试路' }, geometry: null },
    { type: 'Feature', properties: { name: '测试路', segmentId: [] }, geometry: line },
  ]);
}

/** A file the importer must refuse whole (with skipInvalid unset every record of it is bad). */
function badImportFile(rng: SeededRandom, index: number): { name: string; kind?: string; content: string } {
  const id = `${index}-${rng.string(4)}`;
  switch (rng.int(0, 7)) {
    case 0: {
      const lines = Array.from({ length: rng.int(1, 5) }, () => badChiefLine(rng));
      return { name: `chiefs-${id}.csv`, ...(rng.chance(0.5) ? { kind: 'chiefs' } : {}), content: [HEADER, ...lines].join(rng.pick(['\n', '\r\n'])) };
    }
    case 1:
      return { name: `chiefs-${id}.csv`, content: rng.pick(['user,name\nx,y', 'a;b;c\n1;2;3', '', '"unclosed,quote\nx', `${HEADER},username\nx,y,1,3,z,x`, '\uFEFF\u0000\u0001']) };
    case 2:
      return { name: `cells-${id}.geojson`, content: JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: rng.int(1, 5) }, () => badCell(rng)) }) };
    case 3:
      return { name: `roads-${id}.geojson`, content: JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: rng.int(1, 5) }, () => badRoad(rng)) }) };
    case 4:
      return {
        name: `bad-${id}.geojson`,
        content: rng.pick([
          '{',
          '[]',
          '1',
          '{"type":"Feature"}',
          '{"type":"FeatureCollection"}',
          '{"type":"FeatureCollection","features":[]}',
          '{"type":"FeatureCollection","features":{}}',
          '{"elements":[]}',
          '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[]}',
          'not json at all',
        ]),
      };
    case 5: {
      const lng = 113.65;
      const lat = 34.75;
      return {
        name: `mixed-${id}.geojson`,
        content: JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { code: '410104001001001' }, geometry: { type: 'Polygon', coordinates: [ring(lng, lat)] } },
            { type: 'Feature', properties: { name: '测试路' }, geometry: { type: 'LineString', coordinates: [[lng, lat], [lng + 0.001, lat]] } },
          ],
        }),
      };
    }
    case 6:
      return { name: `cells-${id}.geojson`, kind: 'cells', content: [HEADER, badChiefLine(rng)].join('\n') };
    default:
      return { name: `chiefs-${id}.csv`, kind: 'chiefs', content: JSON.stringify({ type: 'FeatureCollection', features: [badRoad(rng)] }) };
  }
}

export function importRequests(rng: SeededRandom, w: FuzzWorld, n: number): FuzzRequest[] {
  const path = '/api/v1/admin/import';
  const out: FuzzRequest[] = [];
  while (out.length < n) {
    const files = Array.from({ length: rng.int(1, 3) }, (_, i) => badImportFile(rng, i));
    const body: Record<string, unknown> = { files, ...(rng.chance(0.3) ? { skipInvalid: false } : {}), ...(rng.chance(0.3) ? { coord: rng.pick(['wgs84', 'gcj02', 'bd09']) } : {}) };
    const roll = rng.next();
    const names = files.map((f) => f.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    if (roll < 0.45) {
      const spoiled = deepCopy(body);
      const s = spoil(rng, spoiled, () => importDefect(rng));
      out.push(jsonRequest(w, 'admin', 'POST', path, s.label, spoiled, { status: 400, fields: s.fields }));
    } else if (roll < 0.55) {
      out.push(structuralRequest(rng, w, 'admin', 'POST', path, body, true));
    } else if (roll < 0.6) {
      const d = prototypeDefect(rng);
      d.apply(body);
      out.push(jsonRequest(w, 'admin', 'POST', path, `${d.label} (with files the importer refuses)`, body, { status: 400, fields: d.names }));
    } else if (roll < 0.63) {
      out.push(jsonRequest(w, 'operator', 'POST', path, 'not an admin', body, { status: 403 }));
    } else {
      const label = `refused files: ${files.map((f) => `${f.name}${f.kind ? ` (kind ${f.kind})` : ''} ${JSON.stringify(f.content.slice(0, 60))}`).join('; ')}`;
      out.push({ ...jsonRequest(w, 'admin', 'POST', path, label, body, { status: 422 }), expect: { status: 422, fieldsMatch: new RegExp(`^(${names}):`) } });
    }
  }
  return out;
}

// ─── POST and DELETE /api/v1/admin/api-keys (when present) ──────────────────────────────────────

export function apiKeyRequests(rng: SeededRandom, w: FuzzWorld, n: number): FuzzRequest[] {
  const path = '/api/v1/admin/api-keys';
  const out: FuzzRequest[] = [];
  while (out.length < n) {
    const body: Record<string, unknown> = { name: plainText(rng, 1, 60) };
    const roll = rng.next();
    if (roll < 0.6) {
      const s = spoil(rng, body, () =>
        rng.chance(0.75) ? (rng.chance(0.4) ? defect('name', 'markup', withHtml(rng, 100)) : textDefect(rng, 'name', { max: 100, required: true, html: true })) : unknownFieldDefect(rng, ['name']),
      );
      out.push(jsonRequest(w, 'admin', 'POST', path, s.label, body, { status: 400, fields: s.fields }));
    } else if (roll < 0.75) {
      out.push(structuralRequest(rng, w, 'admin', 'POST', path, body, true));
    } else if (roll < 0.85) {
      // With an empty name as well: a correct server names the key too; none writes a key.
      body.name = '';
      const d = prototypeDefect(rng);
      d.apply(body);
      out.push(jsonRequest(w, 'admin', 'POST', path, `${d.label} (with an empty name)`, body, { status: 400, fields: [...(d.names ?? []), 'name'] }));
    } else {
      out.push(jsonRequest(w, rng.pick<Who>(['operator', 'leader', 'warden1', 'chief3', 'anonymous']), 'POST', path, 'not an admin', body, { status: [401, 403] }));
    }
  }
  return out;
}

/** Revocations of keys that do not exist, by ids that are not ids, or by someone other than the admin. */
export function apiKeyRevocations(rng: SeededRandom, w: FuzzWorld, existingKeyId: string, n: number): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  while (out.length < n) {
    const roll = rng.next();
    let req: FuzzRequest;
    if (roll < 0.45) {
      const id = rng.chance(0.8) ? String(notUuid(rng)) || 'x' : rng.string(rng.int(1, 2000));
      const path = `/api/v1/admin/api-keys/${encodeURIComponent(id)}`;
      req = { label: `[admin] id ${JSON.stringify(id.slice(0, 40))} is not a UUID`, method: 'DELETE', path, expect: { status: 400, fields: ['id'] } };
    } else if (roll < 0.8) {
      req = { label: '[admin] unknown key id', method: 'DELETE', path: `/api/v1/admin/api-keys/${rng.uuid()}`, expect: { status: 404 } };
    } else if (roll < 0.9) {
      const seg = rng.pick(['%', '%zz', '%E6%A1', '%C0%AF']);
      req = { label: `[admin] malformed percent-encoding ${seg}`, method: 'DELETE', path: `/api/v1/admin/api-keys/${seg}`, expect: { status: [400, 404] } };
    } else {
      const who = rng.pick<Who>(['operator', 'leader', 'warden1', 'chief3', 'anonymous']);
      req = { label: `[${who}] revokes the live key: not an admin`, method: 'DELETE', path: `/api/v1/admin/api-keys/${existingKeyId}`, expect: { status: [401, 403] } };
      req.headers = who === 'anonymous' ? {} : { authorization: w.auth[who] };
      out.push(req);
      continue;
    }
    req.headers = { authorization: w.auth.admin };
    if (rng.chance(0.3)) {
      req.headers['content-type'] = 'application/json';
      req.body = rng.pick(['{}', '{"id":"x"}', '[]', '{"revoke":false}']);
    }
    out.push(req);
  }
  return out;
}
