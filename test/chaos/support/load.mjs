// The steady load of a failure scenario: reports sent open loop (each leaves at its time whatever the
// earlier answers did) to the intake, three of four by wardens (they register themselves, so each is
// routed and dispatched), one of four anonymous (a citizen's report, not routed). Each report has
// an Idempotency-Key of its own and is sent again, with the SAME key and body, as a real client
// would: after a transport failure or a 503 (after its Retry-After),
// until it is answered or the give-up time passes. Accepted = distinct reports answered 201.
import http from 'node:http';
import { sleep } from '../../bench/support/processes.mjs';

const DESCRIPTIONS = ['路边有暴露垃圾 / garbage on the kerb', '井盖缺失 / missing manhole cover', '路灯不亮 / street light out', '占道经营 / street stall on the pavement'];

/**
 * Warden cells (a point inside each) of the first WARDENS wardens, and the categories that register
 * themselves. The demo watches every cell (177 wardens): logging all of them in at the password
 * hash's cost took most of a minute of every run, and a few wardens spread the load as well.
 */
const WARDENS = 16;

export async function loadTargets(db) {
  const { rows: cells } = await db.query(
    `SELECT u.username, gc.code, ST_X(p) lng, ST_Y(p) lat
       FROM app_user u JOIN warden_cell w ON w.user_id = u.id JOIN grid_cell gc ON gc.code = w.cell_code,
            ST_PointOnSurface(gc.geom) p
      WHERE u.username ~ '^warden[0-9]+$' AND substring(u.username FROM 7)::int <= $1 ORDER BY md5(gc.code)`,
    [WARDENS],
  );
  const { rows: categories } = await db.query(
    `SELECT code FROM category c WHERE active AND auto_register AND EXISTS (SELECT 1 FROM category_standard s WHERE s.category_code = c.code) ORDER BY code`,
  );
  return { cells, categories: categories.map((r) => r.code) };
}

/** The description every report of a scenario carries: the tally finds the scenario's cases by it. */
export const descriptionTag = (tag, i) => `混沌 chaos ${tag} #${i}`;

export class ReportLoad {
  /**
   * @param {{ baseUrl: string, tag: string, rate: number, targets: {cells: object[], categories: string[]}, tokens: Record<string, string>, requestTimeoutMs?: number }} options
   */
  constructor(options) {
    this.options = options;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    this.reports = []; // { i, key, warden, attempts, status, caseId, caseStatus, done, answers: Map<status, n> }
    this.stats = { sent: 0, attempts: 0, transportErrors: 0, unavailable: 0, unavailableWithoutRetryAfter: 0, unexpected: new Map() };
    this.stopped = false;
    this.giveUpAt = Infinity;
  }

  /** Sends `rate` reports a second until stop(). */
  start() {
    const begin = Date.now();
    const { rate } = this.options;
    let i = 0;
    const tick = () => {
      if (this.stopped) return;
      while (begin + (i * 1000) / rate <= Date.now()) this.send(i++);
      this.timer = setTimeout(tick, Math.max(1, begin + (i * 1000) / rate - Date.now()));
    };
    tick();
  }

  /** No new reports; those sent are still retried until answered or `giveUpMs` from now. */
  stop(giveUpMs) {
    this.stopped = true;
    clearTimeout(this.timer);
    this.giveUpAt = Date.now() + giveUpMs;
  }

  /** Resolves once every report is answered (201 or a final error) or given up. */
  async settled() {
    while (this.reports.some((r) => !r.done)) await sleep(50);
    this.agent.destroy();
  }

  accepted() {
    return this.reports.filter((r) => r.status === 201);
  }

  send(i) {
    const { tag, targets, tokens } = this.options;
    const cell = targets.cells[i % targets.cells.length];
    const warden = i % 4 !== 3;
    const jitter = () => (Math.random() - 0.5) * 2e-5; // ~1 m: stays inside the ~100 m cell
    const body = JSON.stringify({
      categoryCode: targets.categories[Math.floor(i / targets.cells.length) % targets.categories.length],
      description: `${descriptionTag(tag, i)} ${DESCRIPTIONS[i % DESCRIPTIONS.length]}`,
      location: { lng: cell.lng + jitter(), lat: cell.lat + jitter() },
    });
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'idempotency-key': `chaos-${tag}-${i}`,
      // Anonymous clients are told apart by their address (the key's scope): one address each.
      'x-forwarded-for': `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
      ...(warden ? { authorization: `Bearer ${tokens[cell.username]}` } : {}),
    };
    const report = { i, key: headers['idempotency-key'], warden, attempts: 0, status: 0, caseId: null, caseStatus: null, done: false, lastError: null };
    this.reports.push(report);
    this.stats.sent++;
    this.attempt(report, body, headers);
  }

  attempt(report, body, headers) {
    report.attempts++;
    this.stats.attempts++;
    const { baseUrl, requestTimeoutMs = 30_000 } = this.options;
    const url = new URL(baseUrl);
    const retry = (ms, why) => {
      report.lastError = why;
      if (Date.now() + ms > this.giveUpAt) {
        report.done = true;
        return;
      }
      setTimeout(() => this.attempt(report, body, headers), ms);
    };
    const backoff = () => Math.min(5000, 250 * 2 ** Math.min(report.attempts - 1, 5));
    // One outcome per attempt, whichever of the request's and the response's events comes first.
    let finished = false;
    const finish = () => !finished && (finished = true);
    const transportError = (err) => {
      if (!finish()) return;
      this.stats.transportErrors++;
      retry(backoff(), String(err?.message ?? err));
    };
    const req = http.request({ agent: this.agent, host: url.hostname, port: url.port, method: 'POST', path: '/api/v1/cases', headers, timeout: requestTimeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', transportError);
      res.on('aborted', () => transportError(new Error('answer cut off')));
      res.on('end', () => {
        if (!finish()) return;
        const text = Buffer.concat(chunks).toString();
        let answer = {};
        try {
          answer = JSON.parse(text);
        } catch {
          /* not JSON: counted below */
        }
        if (res.statusCode === 201) {
          report.status = 201;
          report.caseId = answer.id;
          report.caseStatus = answer.status;
          report.done = true;
          return;
        }
        if (res.statusCode === 503) {
          this.stats.unavailable++;
          const after = Number(res.headers['retry-after']);
          if (!Number.isFinite(after) || after <= 0 || answer.error !== 'unavailable') this.stats.unavailableWithoutRetryAfter++;
          return retry((Number.isFinite(after) && after > 0 ? after : 1) * 1000, `503 ${text.slice(0, 200)}`);
        }
        // Anything else is an answer the platform should not give to a good report.
        const key = `${res.statusCode} ${text.slice(0, 200)}`;
        this.stats.unexpected.set(key, (this.stats.unexpected.get(key) ?? 0) + 1);
        report.status = res.statusCode;
        report.lastError = key;
        report.done = true;
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${requestTimeoutMs} ms`)));
    req.on('error', transportError);
    req.end(body);
  }
}
