// The intake benchmark's load generator, in a process of its own (so its CPU is measured apart
// and it does not share an event loop with the measuring): C keep-alive node:http clients post
// valid reports one after another, each with its own Idempotency-Key, spread over the intake
// ports given (client k talks to port k mod n, as a load balancer with sticky connections would).
//
//   node report-load.mjs <config.json>
// config: {ports, clients, warmupMs, runMs, wardenShare, categories, citizenPoints, pointsOf, bearer}
// stdout: one JSON line {"phase":"run"} when the warm-up ends, then one with the results.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { ports, clients, warmupMs, runMs, wardenShare, categories, citizenPoints, pointsOf, bearer } = config;
const wardens = Object.keys(pointsOf);

const DESCRIPTIONS = ['路边有暴露垃圾 / garbage on the kerb', '井盖缺失 / missing manhole cover', '路灯不亮 / street light out', '占道经营 / street stall on the pavement'];
const pick = (a) => a[Math.floor(Math.random() * a.length)];
const jitter = () => (Math.random() - 0.5) * 2e-6; // ±0.1 m: stays inside the cell (points are 2 m in)

function nextReport() {
  const warden = Math.random() < wardenShare ? pick(wardens) : null;
  const p = pick(warden ? pointsOf[warden] : citizenPoints);
  const body = JSON.stringify({
    categoryCode: pick(categories),
    description: pick(DESCRIPTIONS),
    location: { lng: p.lng + jitter(), lat: p.lat + jitter() },
    source: 'app',
  });
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': randomUUID() };
  // Citizens come from many addresses (the anonymous report throttle is per address).
  if (warden) headers.authorization = bearer[warden];
  else headers['x-forwarded-for'] = `10.2.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
  return { body, headers, warden: warden !== null };
}

const agents = ports.map(() => new http.Agent({ keepAlive: true, maxSockets: clients }));
function post(k, { body, headers }) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ agent: agents[k % ports.length], host: '127.0.0.1', port: ports[k % ports.length], method: 'POST', path: '/api/v1/cases', headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => res.statusCode !== 201 && chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

let created = 0;
let createdWarden = 0;
const errors = new Map();
/** Each client posts one report after another until the deadline; returns the latencies of the 201s. */
async function load(ms) {
  const until = Date.now() + ms;
  const latencies = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, k) => {
      while (Date.now() < until) {
        const report = nextReport();
        let answer;
        try {
          answer = await post(k, report);
        } catch (err) {
          answer = { status: 0, text: String(err) };
        }
        if (answer.status === 201) {
          created++;
          if (report.warden) createdWarden++;
          latencies.push(answer.ms);
        } else {
          const key = `${answer.status} ${answer.text.slice(0, 300)}`;
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  return latencies;
}

await load(warmupMs);
const createdBeforeRun = created;
process.stdout.write(`${JSON.stringify({ phase: 'run' })}\n`);
const t0 = process.hrtime.bigint();
const latencies = await load(runMs);
const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
agents.forEach((a) => a.destroy());
const sorted = latencies.sort((a, b) => a - b);
const pct = (p) => +(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN).toFixed(1);
process.stdout.write(
  `${JSON.stringify({
    phase: 'done',
    elapsed,
    reports: created - createdBeforeRun,
    created,
    createdWarden,
    p50: pct(0.5),
    p99: pct(0.99),
    errors: Object.fromEntries(errors),
  })}\n`,
);
