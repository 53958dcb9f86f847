// Summarises a .cpuprofile (cpu-profile.cjs): self time by package (node_modules/<pkg>, node:internal,
// the project's own dist/ code by top folder, GC, idle) and the top functions, as one JSON line.
//   usage: node test/bench/support/profile-summary.mjs <file.cpuprofile> [top=25]
import fs from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const self = new Map(profile.nodes.map((n) => [n.id, 0]));
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], self.get(profile.samples[i]) + (deltas[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function packageOf({ url, functionName }) {
  if (!url) return functionName === '(garbage collector)' ? '(gc)' : functionName === '(idle)' ? '(idle)' : functionName === '(program)' ? '(program)' : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const own = /\/dist\/((?:apps|libs)\/[^/]+)/.exec(url);
  return own ? own[1] : url;
}
const byPackage = new Map();
const byFunction = new Map();
for (const n of profile.nodes) {
  const t = self.get(n.id);
  if (!t) continue;
  const pkg = packageOf(n.callFrame);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t);
  const key = `${n.callFrame.functionName || '(anonymous)'} ${pkg}:${n.callFrame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + t);
}
const share = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, t]) => [k, `${((100 * t) / total).toFixed(1)}%`]);
const busy = total - (byPackage.get('(idle)') ?? 0);
console.log(JSON.stringify({ file, ms: Math.round(total / 1000), busyMs: Math.round(busy / 1000), byPackage: share(byPackage), byFunction: share(byFunction) }));
