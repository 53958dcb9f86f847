import type { StaffCaseAction as CaseAction } from '@wangge/domain';
import type { FuzzRequest } from './fuzz-harness';
import {
  defect,
  deepCopy,
  hugeBody,
  missing,
  notUuid,
  plainText,
  prototypeDefect,
  RawJson,
  setOwn,
  spoil,
  structuralDefect,
  textDefect,
  toJsonText,
  unknownFieldDefect,
  wrongTypeDefect,
  type Defect,
} from './json-defects';
import type { SeededRandom } from './seeded-random';

export type Who = 'anonymous' | 'warden1' | 'operator' | 'leader' | 'admin' | 'chief3';

/** What the generators need to know of the running app and its data (set up before fuzzing). */
export interface FuzzWorld {
  /** The JSON and form body limit (bytes). */
  bodyLimit: number;
  /** `Bearer …` per user. */
  auth: Record<Exclude<Who, 'anonymous'>, string>;
  /** Points inside warden1's cells (so inside the district). */
  points: { lng: number; lat: number }[];
  categories: string[];
  /** The highest registration condition number any category has. */
  maxConditionNo: number;
  /** A photo that belongs to another case. */
  otherCaseMediaId: string;
  /** An Idempotency-Key an anonymous report already used. */
  usedIdempotencyKey: string;
  /** Cases in warden1's cells, one per state, for the actions to reach their checks. */
  cases: Record<'reported' | 'registered' | 'dispatched' | 'inProgress' | 'resolved' | 'cancelled', string>;
  /** chief3, the assignee of the dispatched and later cases. */
  chiefId: number;
  /** The highest road chief id. */
  maxChiefId: number;
}

/** A road chief id no chief has (and that fits a 32-bit integer). */
export function unknownChiefId(rng: SeededRandom, w: FuzzWorld): number {
  return rng.int(w.maxChiefId + 1000, 2_147_483_647);
}

const JSON_CT = { 'content-type': 'application/json' };

function headersFor(w: FuzzWorld, who: Who, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(who === 'anonymous' ? {} : { authorization: w.auth[who] }), ...extra };
}

/** A JSON request as `who`, its body written by {@link toJsonText} (raw numbers, own `__proto__` keys). */
export function jsonRequest(w: FuzzWorld, who: Who, method: 'POST' | 'PATCH', path: string, label: string, body: unknown, expect?: FuzzRequest['expect'], extra: Record<string, string> = {}): FuzzRequest {
  return { label: `[${who}] ${label}`, method, path, headers: headersFor(w, who, { ...JSON_CT, ...extra }), body: toJsonText(body), expect };
}

/** Structural and prototype-key requests, the same for every JSON endpoint. */
export function structuralRequest(rng: SeededRandom, w: FuzzWorld, who: Who, method: 'POST' | 'PATCH', path: string, valid: Record<string, unknown>, emptyBodyInvalid: boolean): FuzzRequest {
  const s = rng.chance(0.04) ? hugeBody(rng, w.bodyLimit, valid) : structuralDefect(rng, valid, emptyBodyInvalid);
  return { label: `[${who}] ${s.label}`, method, path, headers: headersFor(w, who, s.headers), body: s.body, chunked: s.chunked, expect: s.status ? { status: s.status } : undefined };
}

// ─── POST /api/v1/cases ──────────────────────────────────────────────────────────────────────────

const NOT_CATEGORY_CODES = ['e0102', 'E010', 'E01022', 'X0102', '', ' E0102', 'E0102\n', 'E０１０２', 'E01O2', '<b>E0102</b>', "E0102' OR '1'='1", 'C-101', 'E 0102'];
const NOT_PHONES = ['abc', '123', '1'.repeat(25), '+', '13800000000<script>', '138-0000-0000x', '', ' 13800000000', '1380000000\n0', '+86 (138) 0000'];

const REPORT_FIELDS = ['categoryCode', 'description', 'location', 'coordSystem', 'address', 'source', 'mediaIds', 'reporter', 'conditionNo'];

export function validReport(rng: SeededRandom, w: FuzzWorld): Record<string, unknown> {
  const p = rng.pick(w.points);
  const body: Record<string, unknown> = {
    categoryCode: rng.pick(w.categories),
    description: plainText(rng, 1, 300),
    location: { lng: p.lng, lat: p.lat },
  };
  if (rng.chance(0.3)) body.coordSystem = 'wgs84';
  if (rng.chance(0.3)) body.address = plainText(rng, 1, 100);
  if (rng.chance(0.3)) body.source = rng.pick(['app', 'wechat', 'web', '12345', 'hot-line_2']);
  if (rng.chance(0.3)) body.reporter = { name: plainText(rng, 1, 20), ...(rng.chance(0.5) ? { phone: '13800000000' } : {}), ...(rng.chance(0.3) ? { email: 'zhang@example.cn' } : {}) };
  if (rng.chance(0.2)) body.conditionNo = 1;
  if (rng.chance(0.1)) body.mediaIds = [];
  return body;
}

function coordinateDefect(rng: SeededRandom, field: 'location.lng' | 'location.lat'): Defect {
  const bound = field === 'location.lng' ? 180 : 90;
  switch (rng.int(0, 3)) {
    case 0:
      return missing(field);
    case 1:
      return wrongTypeDefect(rng, field, 'number', true);
    case 2: {
      const v = rng.pick([bound + 0.0001, -bound - 0.5, bound * 2, 1e10, -1e300, Number.MAX_VALUE]);
      return defect(field, `out of range ${v}`, v);
    }
    default: {
      const raw = rng.pick(['1e400', '-1e400']);
      return defect(field, `${raw} (parses as ±Infinity)`, new RawJson(raw));
    }
  }
}

function reportDefect(rng: SeededRandom): Defect {
  switch (rng.pick(['categoryCode', 'description', 'description', 'location', 'coord', 'coord', 'coordSystem', 'address', 'source', 'mediaIds', 'reporter', 'reporter.x', 'conditionNo', 'unknown'])) {
    case 'categoryCode':
      return rng.chance(0.6)
        ? defect('categoryCode', 'not a category code', rng.pick(NOT_CATEGORY_CODES))
        : rng.chance(0.5)
          ? missing('categoryCode')
          : wrongTypeDefect(rng, 'categoryCode', 'string', true);
    case 'description':
      return textDefect(rng, 'description', { max: 2000, required: true, html: true });
    case 'location':
      switch (rng.int(0, 3)) {
        case 0:
          return missing('location');
        case 1:
          return wrongTypeDefect(rng, 'location', 'object', true);
        case 2:
          return defect('location', 'empty object', {}, ['location.lng', 'location.lat']);
        default: {
          const key = rng.pick(['alt', 'accuracy', 'x', 'srid', '__proto__']);
          return { field: `location.${key}`, label: `unknown field location.${key}`, apply: (b) => setOwn(b.location as Record<string, unknown>, key, rng.pick([1, 'x', { a: 1 }])) };
        }
      }
    case 'coord':
      return coordinateDefect(rng, rng.pick(['location.lng', 'location.lat'] as const));
    case 'coordSystem':
      return rng.chance(0.7)
        ? defect('coordSystem', 'unknown system', rng.pick(['WGS84', 'gps', 'wgs-84', '', 'GCJ02', 'baidu', 'epsg:4326', 'cgcs2000', 'bd-09']))
        : wrongTypeDefect(rng, 'coordSystem', 'string', false);
    case 'address':
      return textDefect(rng, 'address', { max: 200, required: false, html: true });
    case 'source':
      return rng.chance(0.7)
        ? defect('source', 'not a short lowercase label', rng.pick(['WeChat', 'has space', 'a'.repeat(33), '', '<b>', 'app!', 'äpp', 'app\n', '../app', "app';--"]))
        : wrongTypeDefect(rng, 'source', 'string', false);
    case 'mediaIds':
      return mediaIdsDefect(rng);
    case 'reporter':
      return wrongTypeDefect(rng, 'reporter', 'object', false);
    case 'reporter.x':
      switch (rng.int(0, 3)) {
        case 0:
          return textDefect(rng, 'reporter.name', { max: 50, required: false, html: true });
        case 1:
          return rng.chance(0.7)
            ? defect('reporter.phone', 'not a phone number', rng.pick(NOT_PHONES))
            : wrongTypeDefect(rng, 'reporter.phone', 'string', false);
        case 2:
          return rng.chance(0.7)
            ? defect('reporter.email', 'not an e-mail address', rng.pick(['not-an-email', 'a@', '@b.cn', 'a b@c.cn', `${'x'.repeat(250)}@a.cn`, '<script>@a.cn', '', 'a@b@c.cn']))
            : wrongTypeDefect(rng, 'reporter.email', 'string', false);
        default: {
          const key = rng.pick(['id', 'address', 'idCard', 'role']);
          return { field: `reporter.${key}`, label: `unknown field reporter.${key}`, apply: (b) => setOwn((b.reporter ??= {}) as Record<string, unknown>, key, 'x') };
        }
      }
    case 'conditionNo': {
      const v = rng.pick<unknown>([0, -1, 100, 1.5, '1', true, 1e10, new RawJson('1e400'), [], {}]);
      return defect('conditionNo', `not 1-99: ${v instanceof RawJson ? v.text : JSON.stringify(v)}`, v);
    }
    default:
      return unknownFieldDefect(rng, REPORT_FIELDS);
  }
}

function mediaIdsDefect(rng: SeededRandom): Defect {
  switch (rng.int(0, 2)) {
    case 0:
      return wrongTypeDefect(rng, 'mediaIds', 'array', false);
    case 1: {
      const ids = Array.from({ length: rng.int(10, 15) }, () => rng.uuid());
      return defect('mediaIds', `${ids.length} ids (max 9)`, ids);
    }
    default: {
      const ids = [rng.uuid(), notUuid(rng), rng.uuid()].slice(rng.int(0, 1), rng.int(2, 3));
      return defect('mediaIds', 'an element is not a UUID', ids);
    }
  }
}

function unknownMedia(rng: SeededRandom, w: FuzzWorld): { ids: string[]; label: string } {
  const ids = Array.from({ length: rng.int(1, 9) }, () => rng.uuid());
  if (rng.chance(0.3)) {
    ids[0] = w.otherCaseMediaId;
    return { ids, label: 'mediaIds[0] belongs to another case' };
  }
  return { ids, label: `${ids.length} unknown media ids` };
}

const OUTSIDE = [
  { lng: 120, lat: 30 },
  { lng: 0, lat: 0 },
  { lng: -179.9, lat: -89.9 },
  { lng: 179.99, lat: 89.99 },
  { lng: 113.2, lat: 34.74 },
  { lng: 113.68, lat: 35.5 },
  { lng: 116.4, lat: 39.9 },
  { lng: -74, lat: 40.7 },
];

/** A report whose body passes the DTO but that the service must refuse (and write nothing). */
function reportSemantic(rng: SeededRandom, w: FuzzWorld, body: Record<string, unknown>, who: Who): FuzzRequest {
  const path = '/api/v1/cases';
  const kinds = ['category', 'outside', 'condition', 'media', 'media', 'key', 'chief', 'token', ...(who === 'anonymous' ? ['reused', 'reused'] : [])];
  switch (rng.pick(kinds)) {
    case 'category': {
      let code = `${rng.pick(['C', 'E'])}${rng.string(4, '0123456789')}`;
      while (w.categories.includes(code)) code = `${rng.pick(['C', 'E'])}${rng.string(4, '0123456789')}`;
      body.categoryCode = code;
      return jsonRequest(w, who, 'POST', path, `unknown category ${code}`, body, { status: 422, fields: ['categoryCode'] });
    }
    case 'outside': {
      body.location = rng.pick(OUTSIDE);
      if (rng.chance(0.3)) body.coordSystem = rng.pick(['gcj02', 'bd09']);
      return jsonRequest(w, who, 'POST', path, `point outside the district ${JSON.stringify(body.location)}`, body, { status: 422, fields: ['location'] });
    }
    case 'condition':
      body.conditionNo = rng.int(w.maxConditionNo + 1, 99);
      return jsonRequest(w, who, 'POST', path, `no registration condition ${body.conditionNo}`, body, { status: 400, fields: ['conditionNo'] });
    case 'media': {
      const m = unknownMedia(rng, w);
      body.mediaIds = m.ids;
      return jsonRequest(w, who, 'POST', path, m.label, body, { status: 422, fields: ['mediaIds[0]'] });
    }
    case 'key': {
      const key = rng.pick(['', ' ', 'a b', 'key!', '"quoted"', 'x'.repeat(201), 'a,b', 'a;b', '<script>', 'ключ', '%20', '{uuid}', 'tab\there', `${rng.uuid()}, ${rng.uuid()}`]);
      // (Header values are Latin-1 on the wire: the Cyrillic key goes as é and è.)
      const header = { 'idempotency-key': key.replace('ключ', '\u00e9\u00e8') };
      return jsonRequest(w, who, 'POST', path, `Idempotency-Key ${JSON.stringify(key.slice(0, 30))}`, body, { status: 400, fields: ['Idempotency-Key'] }, header);
    }
    case 'reused':
      return jsonRequest(w, who, 'POST', path, 'Idempotency-Key already used for another report', body, { status: 409, fields: ['Idempotency-Key'] }, { 'idempotency-key': w.usedIdempotencyKey });
    case 'chief':
      return jsonRequest(w, 'chief3', 'POST', path, 'a road chief reports', body, { status: 403 });
    default: {
      const token = rng.pick([rng.string(40), 'null', 'undefined', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.', `${w.auth.admin.slice(7, -3)}abc`, 'a.b.c']);
      return { label: `[forged token] ${token.slice(0, 30)}`, method: 'POST', path, headers: { ...JSON_CT, authorization: `Bearer ${token}` }, body: toJsonText(body), expect: { status: 401 } };
    }
  }
}

/** At least `n` bad `POST /api/v1/cases` requests, anonymous and signed in. */
export function reportRequests(rng: SeededRandom, w: FuzzWorld, n: number): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  while (out.length < n) {
    const who = rng.pick<Who>(['anonymous', 'anonymous', 'warden1', 'operator']);
    const body = validReport(rng, w);
    const roll = rng.next();
    if (roll < 0.6) {
      const s = spoil(rng, body, () => reportDefect(rng));
      out.push(jsonRequest(w, who, 'POST', '/api/v1/cases', s.label, body, { status: 400, fields: s.fields }));
    } else if (roll < 0.7) {
      out.push(structuralRequest(rng, w, who, 'POST', '/api/v1/cases', body, true));
    } else if (roll < 0.75) {
      const d = prototypeDefect(rng);
      d.apply(body);
      out.push(jsonRequest(w, who, 'POST', '/api/v1/cases', `${d.label} (otherwise valid)`, body, { status: 400, fields: d.names }));
    } else {
      out.push(reportSemantic(rng, w, body, who));
    }
  }
  return out;
}

// ─── POST /api/v1/cases/:id/:action ─────────────────────────────────────────────────────────────

const ACTION_FIELDS = ['reason', 'note', 'mediaIds', 'assigneeId', 'passed', 'hours', 'targetId', 'conditionNo'];
/** Actions an empty body is enough for: requests that would reach them with no body are not invalid. */
const EMPTY_BODY_ENOUGH: readonly CaseAction[] = ['register', 'verify-request', 'accept', 'resolve', 'resume'];

function validActionFields(rng: SeededRandom, w: FuzzWorld): Record<string, unknown> {
  const all: Record<string, () => unknown> = {
    reason: () => plainText(rng, 1, 100),
    note: () => plainText(rng, 1, 200),
    mediaIds: () => [],
    assigneeId: () => w.chiefId,
    passed: () => rng.chance(0.5),
    hours: () => rng.pick([0.5, 1, 8, 24, 72, 720]),
    targetId: () => rng.uuid(),
    conditionNo: () => rng.int(1, 99),
  };
  const body: Record<string, unknown> = {};
  for (const k of rng.sample(Object.keys(all), rng.int(0, 3))) body[k] = all[k]();
  return body;
}

function actionDefect(rng: SeededRandom): Defect {
  switch (rng.pick(['reason', 'reason', 'note', 'note', 'mediaIds', 'assigneeId', 'passed', 'hours', 'hours', 'targetId', 'conditionNo', 'unknown'])) {
    case 'reason':
      return textDefect(rng, 'reason', { max: 1000, required: false, html: true });
    case 'note':
      return textDefect(rng, 'note', { max: 2000, required: false, html: true });
    case 'mediaIds':
      return mediaIdsDefect(rng);
    case 'assigneeId': {
      const v = rng.pick<unknown>([0, -1, 1.5, 2147483648, -2147483649, 1e20, '5', 'abc', true, [], {}, new RawJson('1e400'), new RawJson('9'.repeat(400))]);
      return defect('assigneeId', `not a chief id: ${v instanceof RawJson ? v.text.slice(0, 20) : JSON.stringify(v)}`, v);
    }
    case 'passed':
      return defect('passed', 'not a boolean', rng.pick<unknown>(['true', 'false', 1, 0, 'yes', [], {}, 'TRUE', '']));
    case 'hours': {
      const v = rng.pick<unknown>([0, -1, -0.5, 0.4, 0.49, 720.01, 721, 1e308, -1e308, new RawJson('1e400'), new RawJson('-1e400'), new RawJson('-0'), '24', 'NaN', 'Infinity', true, [], {}]);
      return defect('hours', `not 0.5-720: ${v instanceof RawJson ? v.text : JSON.stringify(v)}`, v);
    }
    case 'targetId':
      return defect('targetId', 'not a UUID', notUuid(rng));
    case 'conditionNo':
      return defect('conditionNo', 'not 1-99', rng.pick<unknown>([0, 100, -1, 1.5, '1', true, 1e10]));
    default:
      return unknownFieldDefect(rng, ACTION_FIELDS);
  }
}

interface Semantic {
  label: string;
  who: Who;
  caseId: string;
  body: Record<string, unknown>;
  status: number | number[];
  fields?: string[];
}

/** Text that is only white space (an ideographic space too): the workflow reads it as absent. */
const blank = (rng: SeededRandom) => rng.pick(['   ', '\t', '\n \n', '\u3000', ' \u00a0 ']);

/**
 * A body the DTO accepts but the workflow must refuse for this action, sent by a role allowed to
 * take it, on a case in a state it may start from, so the check is reached (and nothing written).
 */
function actionSemantic(rng: SeededRandom, w: FuzzWorld, action: CaseAction): Semantic {
  const c = w.cases;
  const media = () => unknownMedia(rng, w);
  const withMedia = (who: Who, caseId: string, body: Record<string, unknown>, status: number | number[] = 422): Semantic => {
    const m = media();
    const label = `${m.label}${Object.keys(body).length ? ` with ${Object.keys(body).join(', ')}` : ''}`;
    return { label, who, caseId, body: { ...body, mediaIds: m.ids }, status, fields: status === 422 ? ['mediaIds[0]'] : undefined };
  };
  const needs = (field: string, who: Who, caseId: string, body: Record<string, unknown>): Semantic => ({
    label: `without ${field}${Object.keys(body).length ? ` (only ${Object.keys(body).join(', ')})` : ''}`,
    who,
    caseId,
    body,
    status: 400,
    fields: [field],
  });
  const text = () => plainText(rng, 1, 80);
  const optional = (key: 'note' | 'reason') => (rng.chance(0.5) ? { [key]: text() } : {});

  switch (action) {
    case 'register':
      if (rng.chance(0.6)) return withMedia('operator', c.reported, optional('note'));
      return {
        label: 'no such registration condition',
        who: 'operator',
        caseId: c.reported,
        body: { conditionNo: rng.int(w.maxConditionNo + 1, 99), ...optional('note') },
        status: 400,
        fields: ['conditionNo'],
      };
    case 'reject':
      return rng.chance(0.5) ? needs('reason', 'operator', c.reported, rng.pick([{}, { note: text() }, { reason: blank(rng) }])) : withMedia('operator', c.reported, { reason: text() });
    case 'verify-request':
      return withMedia('operator', c.reported, optional('note'));
    case 'dispatch':
      switch (rng.int(0, 2)) {
        case 0:
          return needs('assigneeId', 'operator', c.registered, rng.pick([{}, { reason: text() }, { note: text() }]));
        case 1: {
          const id = unknownChiefId(rng, w);
          return { label: `unknown chief ${id}`, who: 'operator', caseId: c.registered, body: { assigneeId: id, ...optional('reason') }, status: 422, fields: ['assigneeId'] };
        }
        default:
          return withMedia('operator', c.registered, { assigneeId: w.chiefId });
      }
    case 'accept':
      return withMedia('chief3', c.dispatched, optional('note'));
    case 'return': {
      const caseId = rng.pick([c.dispatched, c.inProgress]);
      return rng.chance(0.5) ? needs('reason', 'chief3', caseId, rng.pick([{}, { note: text() }, { reason: blank(rng) }])) : withMedia('chief3', caseId, { reason: text() });
    }
    case 'resolve':
      return withMedia('chief3', c.inProgress, optional('note'));
    case 'verify': {
      const who = rng.pick<Who>(['warden1', 'warden1', 'operator']);
      switch (rng.int(0, 3)) {
        case 0:
          return needs('passed', who, rng.pick([c.resolved, c.reported]), rng.pick([{}, { note: text() }, { reason: text() }]));
        case 1:
          return needs('reason', who, c.resolved, rng.pick([{ passed: false }, { passed: false, reason: blank(rng) }, { passed: false, note: blank(rng) }]));
        case 2:
          return withMedia(who, c.resolved, rng.pick([{ passed: true }, { passed: false, reason: text() }]));
        default:
          return withMedia(who, c.reported, { passed: rng.chance(0.5) });
      }
    }
    case 'cancel': {
      const caseId = rng.pick([c.reported, c.registered, c.dispatched, c.inProgress, c.resolved]);
      return rng.chance(0.5) ? needs('reason', 'operator', caseId, rng.pick([{}, { note: text() }, { reason: blank(rng) }])) : withMedia('operator', caseId, { reason: text() });
    }
    case 'extend':
      if (rng.chance(0.7)) {
        switch (rng.int(0, 2)) {
          case 0:
            return needs('hours', 'chief3', c.inProgress, rng.pick([{}, { reason: text() }]));
          case 1:
            return needs('reason', 'chief3', c.inProgress, { hours: rng.pick([1, 8, 24]), ...rng.pick([{}, { note: text() }, { reason: blank(rng) }]) });
          default:
            return withMedia('chief3', c.inProgress, { hours: 8, reason: text() });
        }
      }
      return rng.chance(0.5) ? needs('hours', 'leader', c.inProgress, rng.pick([{}, { reason: text() }])) : withMedia('leader', c.inProgress, { hours: 8 }, [422, 409]);
    case 'refuse-extension':
      return needs('reason', 'leader', c.inProgress, rng.pick([{}, { reason: blank(rng) }, { note: text() }]));
    case 'merge': {
      const from = rng.pick([c.reported, c.registered]);
      const open = from === c.reported ? c.registered : c.reported;
      switch (rng.int(0, 4)) {
        case 0:
          return needs('targetId', 'operator', from, rng.pick([{}, { reason: text() }]));
        case 1:
          // 404, as a case outside the operator's street: which cases exist elsewhere is not revealed.
          return { label: 'merge into an unknown case', who: 'operator', caseId: from, body: { targetId: rng.uuid(), ...optional('reason') }, status: 404, fields: ['targetId'] };
        case 2:
          return { label: 'merge into itself', who: 'operator', caseId: from, body: { targetId: from }, status: 422, fields: ['targetId'] };
        case 3:
          return { label: 'merge into a cancelled case', who: 'operator', caseId: from, body: { targetId: c.cancelled }, status: 422, fields: ['targetId'] };
        default:
          return withMedia('operator', from, { targetId: open });
      }
    }
    case 'suspend': {
      const until = new Date(Date.now() + rng.int(1, 300) * 86_400_000).toISOString();
      switch (rng.int(0, 2)) {
        case 0:
          return needs('reason', 'operator', c.inProgress, rng.pick([{ until }, { until, reason: blank(rng) }, { until, note: text() }]));
        case 1:
          return needs('until', 'operator', c.inProgress, rng.pick([{ reason: text() }, { reason: text(), note: text() }]));
        default:
          return {
            label: 'until more than a year ahead',
            who: 'operator',
            caseId: c.inProgress,
            body: { reason: text(), until: new Date(Date.now() + rng.int(367, 2000) * 86_400_000).toISOString() },
            status: 400,
            fields: ['until'],
          };
      }
    }
    case 'resume':
      return { label: 'resume a case that is not suspended', who: rng.pick<Who>(['operator', 'leader']), caseId: c.inProgress, body: {}, status: 409 };
    case 'comment': {
      const [who, caseId] = rng.pick<[Who, string]>([
        ['operator', c.reported],
        ['operator', c.cancelled],
        ['leader', c.dispatched],
        ['admin', c.registered],
        ['chief3', c.inProgress],
        ['warden1', c.resolved],
      ]);
      return rng.chance(0.5) ? needs('note', who, caseId, rng.pick([{}, { note: blank(rng) }, { reason: blank(rng) }, { passed: true }])) : withMedia(who, caseId, { note: text() });
    }
    case 'place':
      // The fuzz world's cases all have their place: placing one again is refused (409), with photos or without.
      return rng.chance(0.5)
        ? { label: 'place a case that has its location', who: 'operator', caseId: c.reported, body: { location: { lng: 113.68, lat: 34.75 } }, status: 409, fields: ['location'] }
        : withMedia('operator', c.reported, { location: { lng: 113.68, lat: 34.75 } }, 409);
  }
}

/** The actor and case an action's DTO-level requests go to (the same as its checks'). */
function actorOf(action: CaseAction, w: FuzzWorld): { who: Who; caseId: string } {
  const c = w.cases;
  const table: Record<CaseAction, { who: Who; caseId: string }> = {
    register: { who: 'operator', caseId: c.reported },
    reject: { who: 'operator', caseId: c.reported },
    'verify-request': { who: 'operator', caseId: c.reported },
    dispatch: { who: 'operator', caseId: c.registered },
    accept: { who: 'chief3', caseId: c.dispatched },
    return: { who: 'chief3', caseId: c.dispatched },
    resolve: { who: 'chief3', caseId: c.inProgress },
    verify: { who: 'warden1', caseId: c.resolved },
    cancel: { who: 'operator', caseId: c.inProgress },
    extend: { who: 'chief3', caseId: c.inProgress },
    'refuse-extension': { who: 'leader', caseId: c.inProgress },
    merge: { who: 'operator', caseId: c.reported },
    comment: { who: 'operator', caseId: c.registered },
    suspend: { who: 'operator', caseId: c.inProgress },
    resume: { who: 'operator', caseId: c.inProgress },
    place: { who: 'operator', caseId: c.reported },
  };
  return table[action];
}

const BAD_ACTIONS = ['Register', 'REJECT', 'delete', 'close', 'reopen', 'approve', 'assign', 'verify_request', 'dispatch ', 'merge;', '..', 'comment.json'];
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

function pathDefect(rng: SeededRandom, w: FuzzWorld, action: CaseAction, who: Who, caseId: string, body: Record<string, unknown>): FuzzRequest {
  switch (rng.int(0, 3)) {
    case 0: {
      const id = rng.chance(0.8) ? String(notUuid(rng)) || 'x' : rng.string(rng.int(1, 3000));
      return jsonRequest(w, who, 'POST', `/api/v1/cases/${encodeURIComponent(id)}/${action}`, `id ${JSON.stringify(id.slice(0, 40))} is not a UUID`, body, { status: 400, fields: ['id'] });
    }
    case 1:
      return jsonRequest(w, who, 'POST', `/api/v1/cases/${rng.uuid()}/${action}`, 'unknown case id', body, { status: 404 });
    case 2: {
      const bad = rng.chance(0.7) ? rng.pick([...BAD_ACTIONS, ...PROTOTYPE_NAMES]) : rng.string(rng.int(1, 40));
      return jsonRequest(w, who, 'POST', `/api/v1/cases/${caseId}/${encodeURIComponent(bad)}`, `unknown action ${JSON.stringify(bad)}`, body, { status: 404 });
    }
    default: {
      const [where, seg] = rng.pick<[string, string]>([
        ['id', '%'],
        ['id', '%zz'],
        ['id', '%E6%A1'],
        ['id', '%00'],
        ['action', '%'],
        ['action', '%C0%AF'],
      ]);
      const path = where === 'id' ? `/api/v1/cases/${seg}/${action}` : `/api/v1/cases/${caseId}/${seg}`;
      return jsonRequest(w, who, 'POST', path, `malformed percent-encoding in the ${where}: ${seg}`, body, { status: [400, 404] });
    }
  }
}

/** At least `n` bad requests to one action, by the role allowed to take it, on a case it may start from. */
export function actionRequests(rng: SeededRandom, w: FuzzWorld, action: CaseAction, n: number): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const { who, caseId } = actorOf(action, w);
  const path = (id: string) => `/api/v1/cases/${id}/${action}`;
  while (out.length < n) {
    const roll = rng.next();
    if (roll < 0.5) {
      const body = validActionFields(rng, w);
      const s = spoil(rng, body, () => actionDefect(rng));
      out.push(jsonRequest(w, who, 'POST', path(caseId), s.label, body, { status: 400, fields: s.fields }));
    } else if (roll < 0.58) {
      const sem = actionSemantic(rng, w, action);
      out.push(structuralRequest(rng, w, sem.who, 'POST', path(sem.caseId), sem.body, !EMPTY_BODY_ENOUGH.includes(action)));
    } else if (roll < 0.64) {
      // A prototype key in a body that is otherwise refused further on without writing: a correct
      // server names the key; one that drops it silently answers about the other field.
      const sem = actionSemantic(rng, w, action);
      const body = deepCopy(sem.body);
      const d = prototypeDefect(rng);
      d.apply(body);
      out.push(jsonRequest(w, sem.who, 'POST', path(sem.caseId), `${d.label} (with a body refused later: ${sem.label})`, body, { status: 400, fields: d.names }));
    } else if (roll < 0.74) {
      const sem = actionSemantic(rng, w, action);
      out.push(pathDefect(rng, w, action, sem.who, sem.caseId, sem.body));
    } else {
      const sem = actionSemantic(rng, w, action);
      out.push(jsonRequest(w, sem.who, 'POST', path(sem.caseId), sem.label, sem.body, { status: sem.status, fields: sem.fields }));
    }
  }
  return out;
}
