import { gzipSync } from 'node:zlib';
import type { FuzzWorld } from './case-requests';
import type { FuzzRequest } from './fuzz-harness';
import { overLong, plainText, withHtml } from './json-defects';
import type { SeededRandom } from './seeded-random';

type Form = [string, string][];

const encode = (form: Form) => form.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

const FORM_CT = { 'content-type': 'application/x-www-form-urlencoded' };

function validForm(rng: SeededRandom, w: FuzzWorld, apiKey: string | null): Form {
  const p = rng.pick(w.points);
  const form: Form = [
    ['service_code', rng.pick(w.categories)],
    ['lat', String(p.lat)],
    ['long', String(p.lng)],
    ['description', plainText(rng, 1, 200)],
  ];
  if (apiKey) form.push(['api_key', apiKey]);
  if (rng.chance(0.3)) form.push(['first_name', plainText(rng, 1, 10)]);
  if (rng.chance(0.3)) form.push(['email', 'li@example.cn']);
  if (rng.chance(0.2)) form.push(['jurisdiction_id', '410104']);
  if (rng.chance(0.2)) form.push(['device_id', rng.string(16)]);
  return rng.sample(form, form.length);
}

const without = (form: Form, ...keys: string[]) => form.filter(([k]) => !keys.includes(k));
const replace = (form: Form, key: string, value: string): Form => [...without(form, key), [key, value]];

/**
 * A defect and how far a request carrying it gets: the format and jurisdiction check (404), the
 * API key (403), the form's validation (400), or the report itself (refused, status not fixed).
 */
interface FormDefect {
  label: string;
  form: Form;
  stage: 0 | 1 | 2 | 3;
  headers?: Record<string, string>;
  format?: string;
}

const STAGE_STATUS = [404, 403, 400, undefined] as const;

/**
 * One certain defect of a GeoReport v2 `POST requests` form. Not defects here: fields the
 * implementation ignores by design (unknown ones, repeats: the first value counts).
 */
function formDefect(rng: SeededRandom, w: FuzzWorld, form: Form): FormDefect {
  switch (rng.int(0, 16)) {
    case 0:
      return { label: 'no service_code', form: without(form, 'service_code'), stage: 2 };
    case 1: {
      const code = rng.pick(['E01', 'E010203', '<script>', 'e0102', 'X0102', 'E0102 ', '１２３']);
      // Not a format error: a code that names no service is 404 (GeoReport v2), refused by the report itself.
      return { label: `service_code ${JSON.stringify(code)} is not a code`, form: replace(form, 'service_code', code), stage: 3 };
    }
    case 2: {
      let code = `${rng.pick(['C', 'E'])}${rng.string(4, '0123456789')}`;
      while (w.categories.includes(code)) code = `E${rng.string(4, '0123456789')}`;
      return { label: `unknown service_code ${code}`, form: replace(form, 'service_code', code), stage: 3 };
    }
    case 3:
      return rng.chance(0.5)
        ? { label: 'no location at all', form: without(form, 'lat', 'long'), stage: 2 }
        : // An address alone locates a request (an operator places it); an empty one is no address.
          { label: 'no lat/long and an empty address_string', form: [...without(form, 'lat', 'long'), ['address_string', '']], stage: 2 };
    case 4: {
      const drop = rng.pick(['lat', 'long']);
      return { label: `no ${drop}`, form: without(form, drop), stage: 2 };
    }
    case 5: {
      const key = rng.pick(['lat', 'long']);
      const v = rng.pick(['abc', 'NaN', 'Infinity', '-Infinity', ' ', '1e400', '0x1F', '34,74', '34.74.1', '[]', '1e2']);
      return { label: `${key} ${JSON.stringify(v)} is not a number`, form: replace(form, key, v), stage: 2 };
    }
    case 6: {
      const [key, v] = rng.pick<[string, string]>([
        ['lat', '90.5'],
        ['lat', '-91'],
        ['long', '180.01'],
        ['long', '-200'],
        ['lat', '100000'],
      ]);
      return { label: `${key} ${v} out of range`, form: replace(form, key, v), stage: 2 };
    }
    case 7: {
      const [lat, long] = rng.pick([
        ['30', '120'],
        ['0', '0'],
        ['39.9', '116.4'],
        ['34.74', '113.2'],
      ]);
      return { label: `point outside the district (${lat}, ${long})`, form: replace(replace(form, 'lat', lat), 'long', long), stage: 3 };
    }
    case 8: {
      const key = rng.pick(['description', 'first_name', 'last_name', 'address_string']);
      return { label: `${key} with markup`, form: replace(form, key, withHtml(rng, 50)), stage: 2 };
    }
    case 9: {
      const [key, max] = rng.pick<[string, number]>([
        ['description', 4000],
        ['first_name', 50],
        ['last_name', 50],
        ['address_string', 200],
        ['address_id', 100],
        ['device_id', 100],
        ['account_id', 100],
      ]);
      const v = overLong(rng, max);
      return { label: `${key} of ${v.length} characters (max ${max})`, form: replace(form, key, v), stage: 2 };
    }
    case 10: {
      const [key, v] = rng.pick<[string, string]>([
        ['email', 'not-an-email'],
        ['email', 'a@'],
        ['email', '<script>@x.cn'],
        ['phone', 'abc<script>'],
        ['phone', '1'.repeat(60)],
        ['media_url', 'javascript:alert(1)'],
        ['media_url', 'not a url'],
        ['media_url', 'data:text/html,<script>alert(1)</script>'],
        ['media_url', 'file:///etc/passwd'],
        ['attribute[condition]', '0'],
        ['attribute[condition]', '100'],
        ['attribute[condition]', 'first'],
        ['attribute[zz_unknown]', 'x'],
      ]);
      return { label: `${key} ${JSON.stringify(v)}`, form: replace(form, key, v), stage: 2 };
    }
    case 11:
      // A description is optional (GeoReport v2), up to 4,000 characters.
      return { label: 'description of 4001 characters', form: replace(form, 'description', 'x'.repeat(4001)), stage: 2 };
    case 12: {
      const v = rng.pick(['', 'x', rng.string(32), rng.uuid(), "' OR '1'='1"]);
      return { label: v === '' ? 'api_key empty' : `api_key ${JSON.stringify(v)} is not a key`, form: replace(form, 'api_key', v), stage: 1 };
    }
    case 13:
      return { label: 'no api_key', form: without(form, 'api_key'), stage: 1 };
    case 14: {
      const j = rng.pick(['410105', '110101', 'x', '<script>']);
      return { label: `jurisdiction_id ${j} is not this district`, form: replace(form, 'jurisdiction_id', j), stage: 0 };
    }
    case 15: {
      const format = rng.pick(['yaml', 'html', 'JSON', 'csv', 'json.xml']);
      return { label: `format .${format}`, form, stage: 0, format };
    }
    default: {
      const key = rng.pick(['', ' ', 'a b', '"quoted"', 'x'.repeat(201), 'a,b', '<script>', '%20', `${rng.uuid()}, ${rng.uuid()}`]);
      return { label: `Idempotency-Key ${JSON.stringify(key.slice(0, 30))}`, form, stage: 2, headers: { 'idempotency-key': key } };
    }
  }
}

/** At least `n` bad `POST /open311/v2/requests.<format>` requests (form-encoded, as the spec has them). */
export function open311Requests(rng: SeededRandom, w: FuzzWorld, format: 'json' | 'xml', apiKey: string | null, n: number): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  while (out.length < n) {
    const form = validForm(rng, w, apiKey);
    let req: Omit<FuzzRequest, 'method' | 'open311'>;
    if (rng.chance(0.85)) {
      let d = formDefect(rng, w, form);
      let combined = false;
      if (rng.chance(0.3)) {
        // A second defect may undo the first (a good value over a bad one): then only "some 4xx" is certain.
        const second = formDefect(rng, w, d.form);
        d = { ...second, label: `${d.label} + ${second.label}`, headers: { ...d.headers, ...second.headers }, format: d.format ?? second.format };
        combined = true;
      }
      const status = apiKey === null || combined ? undefined : STAGE_STATUS[d.stage];
      req = { label: d.label, path: `/open311/v2/requests.${d.format ?? format}`, headers: { ...FORM_CT, ...d.headers }, body: encode(d.form), expect: status ? { status } : undefined };
    } else {
      const broken = encode(without(form, 'service_code'));
      const [label, headers, body] = rng.pick<[string, Record<string, string>, string | Buffer]>([
        ['form over the body limit', FORM_CT, `${broken}&description=${'a'.repeat(w.bodyLimit + 10)}`],
        ['form with charset x-unknown', { 'content-type': 'application/x-www-form-urlencoded; charset=x-unknown' }, broken],
        ['gzip garbage', { ...FORM_CT, 'content-encoding': 'gzip' }, Buffer.concat([Buffer.from([0x1f, 0x8b]), rng.bytes(100)])],
        ['gzip of a form without service_code', { ...FORM_CT, 'content-encoding': 'gzip' }, gzipSync(broken)],
        ['multipart without service_code', { 'content-type': 'multipart/form-data; boundary=x' }, `--x\r\nContent-Disposition: form-data; name="lat"\r\n\r\n34.7\r\n--x--\r\n`],
        ['text/plain', { 'content-type': 'text/plain' }, encode(form)],
        ['XML body', { 'content-type': 'application/xml' }, `<?xml version="1.0"?><request><service_code>E0102</service_code></request>`],
        ['malformed JSON', { 'content-type': 'application/json' }, '{"service_code":'],
        ['JSON array', { 'content-type': 'application/json' }, '[]'],
        ['percent-encoding broken, no service_code', FORM_CT, `${broken}&%zz=%E4%B8&lat=%`],
        ['no body', {}, ''],
      ]);
      req = { label, path: `/open311/v2/requests.${format}`, headers, body };
    }
    out.push({ ...req, label: `[open311 ${format}] ${req.label}`, method: 'POST', open311: true });
  }
  return out;
}
