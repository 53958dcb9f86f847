// Summarises V8 CPU profiles (support/cpu-profile.cjs, preloaded by the benchmarks when CPU_PROFILE_DIR
// is set, profiles a process over the measured phase only): where a process spent its busy time, by
// package and by function. `window.json` beside them (`CPU_PROFILE_DIR=<dir> npm run bench:intake`)
// names the reports of that phase, for figures per report.
//
//   usage: node test/bench/cpu-profile-summary.mjs <file.cpuprofile | dir> [top functions, default 25]
//
// Two views of self time (a sample is charged to the frame on top of the stack):
//   - by package: node_modules/<package>, our own code (dist/apps/<app>, dist/libs/<lib>), node's
//     internals (`node:*`), V8's pseudo-frames ((garbage collector), (program), native calls);
//   - charged to the caller: node's internals and native frames charged to the nearest frame of a
//     package or of our code below them (a `writev` from pg counts for pg, a JSON.parse for whoever parsed),
//     or, with none, to the first of node's modules below them (node:_http_server: Node's HTTP server);
//   - by layer: the charged view summed into intake's layers (Node's HTTP server, Express, Nest, validation…).
// Shares are of busy time ((idle) left out); ms per report when the window names the reports.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const target = process.argv[2];
const topN = Number(process.argv[3] ?? 25);
if (!target) {
  process.stderr.write('usage: node test/bench/cpu-profile-summary.mjs <file.cpuprofile | dir> [top]\n');
  process.exit(2);
}
const dir = statSync(target).isDirectory() ? target : null;
const files = dir ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f)) : [target];
let window = null;
try {
  window = JSON.parse(readFileSync(join(dir ?? join(target, '..'), 'window.json'), 'utf8'));
} catch {
  /* no window: the whole profile */
}

/** The package a frame belongs to, or null for node's internals and V8's pseudo-frames. */
function packageOf(url) {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const ours = /\/dist\/(apps|libs)\/([^/]+)\//.exec(url);
  if (ours) return `wangge ${ours[1]}/${ours[2]}`;
  return null;
}
function kindOf(frame) {
  const pkg = packageOf(frame.url);
  if (pkg) return pkg;
  if (frame.url.startsWith('node:')) return 'node internals';
  if (frame.functionName.startsWith('(')) return frame.functionName;
  return 'native (V8 builtins, C++)';
}

/** The layers of intake's HTTP path, by package (charged view), for "how much is Express itself". */
const LAYERS = [
  ["Node's HTTP server (node:_http_*, net, streams)", /^node:(_http|net|http|internal\/(streams|stream_base|http))/],
  ['the HTTP framework and its middleware (fastify, find-my-way, body parsing, helmet, proxy-addr…)', /^(fastify$|find-my-way|avvio|@fastify\/|fast-json-stringify|fast-querystring|fast-uri|secure-json-parse|light-my-request|process-warning|toad-cache|abstract-logging|rfdc|express$|router$|body-parser|raw-body|iconv-lite|type-is|on-finished|proxy-addr|ipaddr\.js|forwarded|etag|fresh|parseurl|content-type|content-disposition|media-typer|mime-types|finalhandler|bytes|depd|http-errors|statuses|send|serve-static|path-to-regexp|helmet|encodeurl|escape-html|qs|vary|cookie|@nestjs\/platform-express|@nestjs\/platform-fastify)/],
  ['Nest pipeline (core, common, rxjs, reflect-metadata)', /^(@nestjs\/(core|common)|rxjs|reflect-metadata|tslib)$/],
  ['validation (class-validator, class-transformer, validator)', /^(class-validator|class-transformer|validator|libphonenumber-js)$/],
  ['logging (pino-http, pino, nestjs-pino, redaction, serialisers)', /^(pino|pino-http|nestjs-pino|pino-std-serializers|@pinojs\/redact|fast-redact|sonic-boom|thread-stream|quick-format-unescaped|on-exit-leak-free|atomic-sleep|safe-stable-stringify)$/],
  ['throttler', /^@nestjs\/throttler$/],
  ['metrics (prom-client)', /^(prom-client|@willsoto\/nestjs-prometheus|tdigest|bintrees)$/],
  ['auth (jsonwebtoken…)', /^(jsonwebtoken|jws|jwa|@nestjs\/jwt|ecdsa-sig-formatter|safe-buffer|wangge libs\/auth)$/],
  ['PostgreSQL client (pg, typeorm)', /^(pg|pg-protocol|pg-pool|pg-types|postgres-.*|pgpass|pg-connection-string|typeorm|@nestjs\/typeorm|wangge libs\/database)$/],
  ['Redis and queues (ioredis, bullmq)', /^(ioredis|bullmq|redis-parser|redis-errors|denque|cluster-key-slot|msgpackr|standard-as-callback|@ioredis\/.*|cron-parser|luxon)$/],
  ['our code (apps, libs)', /^wangge /],
  ['garbage collector', /^\(garbage collector\)$/],
];
const layerOf = (charged) => LAYERS.find(([, re]) => re.test(charged))?.[0] ?? 'other (node internals without a package, V8)';
const byLayer = new Map();
const bySelf = new Map();
const byCaller = new Map();
const byFunction = new Map();
let busyUs = 0;
let idleUs = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // The nearest frame at or below a node that belongs to a package or to our code.
  const callerOf = new Map();
  const caller = (id) => {
    if (callerOf.has(id)) return callerOf.get(id);
    const n = nodes.get(id);
    const pkg = packageOf(n.callFrame.url);
    const up = parent.get(id);
    // No package below it: charged to the first of node's own modules met (node:_http_server, node:net…).
    const found = pkg ?? (up === undefined ? null : caller(up)) ?? (n.callFrame.url.startsWith('node:') ? n.callFrame.url : null);
    callerOf.set(id, found);
    return found;
  };
  for (let i = 0; i < profile.samples.length; i++) {
    // A sample stands for the time until the next one.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const n = nodes.get(profile.samples[i]);
    const frame = n.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const kind = kindOf(frame);
    const charged = kind === '(garbage collector)' || kind === '(program)' ? kind : (caller(n.id) ?? kind);
    bySelf.set(kind, (bySelf.get(kind) ?? 0) + us);
    byCaller.set(charged, (byCaller.get(charged) ?? 0) + us);
    byLayer.set(layerOf(charged), (byLayer.get(layerOf(charged)) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'}  [${kind}${frame.url && !packageOf(frame.url) ? ` ${frame.url.replace(/^.*\//, '')}` : ''}${frame.lineNumber >= 0 ? `:${frame.lineNumber + 1}` : ''}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
}

const seconds = (busyUs + idleUs) / 1e6;
const perReport = window?.reports ? (us) => ` ${(us / 1000 / window.reports).toFixed(3).padStart(7)} ms/report` : () => '';
const line = (label, us) => `${((100 * us) / busyUs).toFixed(1).padStart(5)} %  ${(us / 1e6).toFixed(2).padStart(6)} s${perReport(us)}  ${label}`;
const table = (title, map, n = Infinity) => {
  const rows = [...map].sort((a, b) => b[1] - a[1]);
  const shown = rows.slice(0, n);
  const rest = rows.slice(n).reduce((s, [, us]) => s + us, 0);
  return [`\n${title}`, ...shown.map(([k, us]) => line(k, us)), ...(rest > 0 ? [line(`(${rows.length - n} more)`, rest)] : [])].join('\n');
};
console.log(
  `${files.length} profile(s)${window?.seconds ? ` of the ${window.seconds} s measured` : ''}: ` +
    `busy ${(busyUs / 1e6).toFixed(2)} s of ${seconds.toFixed(2)} s (${((100 * busyUs) / Math.max(1, busyUs + idleUs)).toFixed(0)} % of the main thread)` +
    (window?.reports ? `, ${window.reports} reports: ${(busyUs / 1000 / window.reports).toFixed(3)} ms of main-thread CPU per report` : ''),
);
console.log(table('by layer (self time charged to the calling package)', byLayer));
console.log(table('self time by package', bySelf));
console.log(table("self time, node internals and native frames charged to the calling package", byCaller));
console.log(table(`self time by function (top ${topN})`, byFunction, topN));
