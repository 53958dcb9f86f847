import { readdir } from 'node:fs/promises';
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { join, relative } from 'node:path';
import type { Client } from 'pg';

/** One generated bad request, sent byte for byte as described. */
export interface FuzzRequest {
  /** What is wrong with it, in words (printed, with the request, when the answer is wrong). */
  label: string;
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path and query, already percent-encoded where it must be. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body in chunks without a Content-Length (the server cannot refuse it up front). */
  chunked?: boolean;
  /** What a correct server answers, when we know it: a status, and fields `details[].field` must name. */
  expect?: { status?: number | readonly number[]; fields?: readonly string[]; fieldsMatch?: RegExp };
  /** Open311 errors come in the spec's format (`[{code, description}]`, or XML). */
  open311?: boolean;
}

export interface Answer {
  /** 0 when no answer came (connection reset before a response). */
  status: number;
  contentType: string;
  text: string;
  error?: string;
}

/** The first bytes of a request, to print in a failure. */
export function describeRequest(req: FuzzRequest): string {
  const body = req.body === undefined ? '' : typeof req.body === 'string' ? req.body : req.body.toString('latin1');
  const shown = body.length > 300 ? `${JSON.stringify(body.slice(0, 300))}… (${body.length} bytes)` : JSON.stringify(body);
  const headers = Object.entries(req.headers ?? {})
    .filter(([k]) => k.toLowerCase() !== 'authorization')
    .map(([k, v]) => `${k}: ${v.length > 120 ? `${v.slice(0, 120)}…` : v}`)
    .join('; ');
  const auth = req.headers && Object.keys(req.headers).some((k) => k.toLowerCase() === 'authorization') ? ' [signed in]' : '';
  return `${req.method} ${req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path}${auth} {${headers}} ${shown}`;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** Sends one request with node:http (fetch would refuse or rewrite many of the malformed ones). Never rejects. */
export function send(baseUrl: string, req: FuzzRequest): Promise<Answer> {
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const big = (body?.length ?? 0) > 1024 * 1024;
  const headers: Record<string, string> = { ...req.headers };
  if (body && !req.chunked && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
  // A large body gets a keep-alive connection of its own: the server answers 413 at once and reads
  // and drops the rest, so the answer is read whole (a closing connection could reset first).
  const own = big ? new Agent({ keepAlive: true, maxSockets: 1 }) : null;
  return new Promise((resolve) => {
    let answered = false;
    const answer = (a: Answer) => {
      if (!answered) resolve(a);
      answered = true;
      own?.destroy();
    };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      const contentType = String(res.headers['content-type'] ?? '');
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => answer({ status: res.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => answer({ status: res.statusCode ?? 0, contentType, text: '', error: err.message }));
    };
    let r: ClientRequest;
    try {
      r = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: own ?? agent }, onResponse);
    } catch (err) {
      // Something node:http will not send (a fault of the generator), reported as such.
      return answer({ status: 0, contentType: '', text: '', error: `not sent: ${err instanceof Error ? err.message : String(err)}` });
    }
    r.setTimeout(30_000, () => r.destroy(new Error('no answer within 30 s')));
    // The server may answer (413) and close before it has read all of a large body: that answer counts.
    r.on('error', (err) => setTimeout(() => answer({ status: 0, contentType: '', text: '', error: err.message }), 50));
    if (!body) r.end();
    else if (!req.chunked) r.end(body);
    else {
      const size = 256 * 1024;
      let at = 0;
      const pump = () => {
        while (at < body.length) {
          const more = r.write(body.subarray(at, at + size));
          at += size;
          if (!more) return void r.once('drain', pump);
        }
        r.end();
      };
      pump();
    }
  });
}

interface ErrorBody {
  statusCode?: unknown;
  error?: unknown;
  message?: unknown;
  details?: { field?: unknown; problem?: unknown }[];
}

/** What is wrong with the answer to a bad request, or null when it is the refusal it should be. */
export function judge(req: FuzzRequest, ans: Answer): string | null {
  if (ans.status === 0) return `no answer (${ans.error})`;
  if (ans.status >= 500) return `${ans.status} server error: ${ans.text.slice(0, 300)}`;
  if (ans.status < 400) return `${ans.status}: accepted an invalid request: ${ans.text.slice(0, 300)}`;
  if (req.open311 && isOpen311Error(ans)) return checkStatus(req, ans);
  if (!/^application\/json\b/i.test(ans.contentType)) return `${ans.status} not JSON (${ans.contentType || 'no content type'}): ${ans.text.slice(0, 200)}`;
  let body: ErrorBody;
  try {
    body = JSON.parse(ans.text) as ErrorBody;
  } catch {
    return `${ans.status} unparsable JSON: ${ans.text.slice(0, 200)}`;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `${ans.status} error body is not an object: ${ans.text.slice(0, 200)}`;
  if (body.statusCode !== ans.status || typeof body.error !== 'string' || typeof body.message !== 'string') {
    return `${ans.status} error body is not {statusCode, error, message}: ${ans.text.slice(0, 300)}`;
  }
  const wrongStatus = checkStatus(req, ans);
  if (wrongStatus) return `${wrongStatus}: ${ans.text.slice(0, 300)}`;
  const fields = req.expect?.fields ?? [];
  if (fields.length > 0) {
    const named = (body.details ?? []).map((d) => d.field);
    const missing = fields.filter((f) => !named.includes(f));
    if (missing.length > 0) return `${ans.status} does not name ${missing.join(', ')} in details[].field (named: ${named.join(', ') || 'none'}): ${ans.text.slice(0, 300)}`;
  }
  const pattern = req.expect?.fieldsMatch;
  if (pattern) {
    const named = (body.details ?? []).map((d) => String(d.field));
    if (named.length === 0 || !named.every((f) => pattern.test(f))) {
      return `${ans.status} details[].field should all match ${pattern} (named: ${named.join(', ') || 'none'}): ${ans.text.slice(0, 300)}`;
    }
  }
  return null;
}

function checkStatus(req: FuzzRequest, ans: Answer): string | null {
  const want = req.expect?.status;
  if (want === undefined) return null;
  const allowed = typeof want === 'number' ? [want] : want;
  return allowed.includes(ans.status) ? null : `${ans.status}, expected ${allowed.join(' or ')}`;
}

/** GeoReport v2 errors: `[{code, description}]` in JSON, `<errors><error><code/><description/></error></errors>` in XML. */
function isOpen311Error(ans: Answer): boolean {
  if (/json/i.test(ans.contentType)) {
    try {
      const body = JSON.parse(ans.text) as unknown;
      return Array.isArray(body) && body.length > 0 && body.every((e) => e && typeof e === 'object' && 'code' in e && typeof (e as { description?: unknown }).description === 'string');
    } catch {
      return false;
    }
  }
  return /xml/i.test(ans.contentType) && /<errors>\s*<error>[\s\S]*<code>[\s\S]*<description>[\s\S]*<\/errors>/.test(ans.text);
}

export interface FuzzOutcome {
  sent: number;
  /** Status code → how many answers had it. */
  statuses: Record<number, number>;
  /** One line per wrong answer: the request, then what was wrong. */
  failures: string[];
  /** The slowest answers, `ms label`. */
  slowest: string[];
}

/** Sends every request, `concurrency` at a time, and judges each answer (with {@link judge} unless told). */
export async function fuzz(baseUrl: string, requests: readonly FuzzRequest[], concurrency = 10, judgeAnswer: typeof judge = judge): Promise<FuzzOutcome> {
  const outcome: FuzzOutcome = { sent: 0, statuses: {}, failures: [], slowest: [] };
  const times: [number, string][] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const req = requests[i];
      const began = Date.now();
      const ans = await send(baseUrl, req);
      times.push([Date.now() - began, req.label]);
      outcome.sent++;
      outcome.statuses[ans.status] = (outcome.statuses[ans.status] ?? 0) + 1;
      const wrong = judgeAnswer(req, ans);
      if (wrong) outcome.failures.push(`#${i} ${req.label}\n    request: ${describeRequest(req)}\n    answer:  ${wrong}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  outcome.slowest = times
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3)
    .map(([ms, label]) => `${ms} ms ${label.slice(0, 80)}`);
  return outcome;
}

/** Per table its row count and the newest row version's transaction id; the files under the media folder. */
export interface Snapshot {
  tables: Record<string, string>;
  files: string[];
}

/**
 * Columns a refused request may still touch, by design: the Open311 key guard records the key's
 * last use before the body is judged.
 */
const BOOKKEEPING: Record<string, string[]> = { api_key: ['last_used_at'] };

/**
 * Every INSERT or UPDATE leaves a row version stamped with a new transaction id (xmin) and every
 * DELETE lowers the count, so count and max(xmin) change with any committed write, and with none
 * else (row locks and rolled-back work leave them as they were). Tables with bookkeeping columns
 * are compared by content without those columns instead.
 */
export async function snapshot(db: Client, mediaDir: string): Promise<Snapshot> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const version = (name: string) => {
    const skip = BOOKKEEPING[name];
    if (!skip) return `'newest written by transaction ' || coalesce(max(xmin::text::bigint)::text, '-')`;
    const row = `(to_jsonb(t) ${skip.map((c) => `- '${c}'`).join(' ')})::text`;
    return `'content ' || coalesce(sum(('x' || substr(md5(${row}), 1, 15))::bit(60)::bigint), 0)::text`;
  };
  const counts = await db.query<{ name: string; n: number; version: string }>(
    rows.map(({ name }) => `SELECT '${name}' AS name, count(*)::int AS n, ${version(name)} AS version FROM "${name}" t`).join(' UNION ALL '),
  );
  const tables: Record<string, string> = {};
  for (const r of counts.rows) tables[r.name] = `${r.n} rows, ${r.version}`;
  return { tables, files: await filesUnder(mediaDir) };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

/** What changed between two snapshots, one line per table or file. */
export function changes(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(before.tables), ...Object.keys(after.tables)])) {
    if (before.tables[name] !== after.tables[name]) out.push(`table ${name}: ${before.tables[name]} → ${after.tables[name]}`);
  }
  for (const f of after.files.filter((f) => !before.files.includes(f))) out.push(`new file in MEDIA_DIR: ${f}`);
  for (const f of before.files.filter((f) => !after.files.includes(f))) out.push(`file removed from MEDIA_DIR: ${f}`);
  return out;
}

/** Requests per status, e.g. `400×512 404×40`. */
export function statusSummary(outcome: FuzzOutcome): string {
  return Object.entries(outcome.statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
}
