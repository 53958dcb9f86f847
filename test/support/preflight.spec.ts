import { describe, expect, it } from 'vitest';
import { decide, type MachineFacts, preflight } from './preflight.mjs';

/** A machine of our kind with everything in place; each case below takes one piece away. */
function ready(): MachineFacts {
  return {
    debian: true,
    root: true,
    postgres: { host: '127.0.0.1', port: 5432, local: true, fromEnv: false, reachable: true, clusters: ['15'], major: '15', postgis: true },
    redis: { host: '127.0.0.1', port: 6379, local: true, fromEnv: false, reachable: true, serverInstalled: true },
    chromium: { path: '/usr/bin/chromium', custom: false, present: true },
    cjkFont: true,
  };
}
type Change = (f: MachineFacts) => void;
const pgStopped: Change = (f) => void Object.assign(f.postgres, { reachable: false, down: true, error: 'connect ECONNREFUSED 127.0.0.1:5432', major: undefined, postgis: undefined });
const noPostgis: Change = (f) => void (f.postgres.postgis = false);
const redisStopped: Change = (f) => void Object.assign(f.redis, { reachable: false, down: true, error: 'connect ECONNREFUSED' });
const noRedisServer: Change = (f) => void Object.assign(f.redis, { reachable: false, down: true, error: 'connect ECONNREFUSED', serverInstalled: false });
const noChromium: Change = (f) => void (f.chromium.present = false);
const noFont: Change = (f) => void (f.cjkFont = false);
const notRoot: Change = (f) => void (f.root = false);
const otherOs: Change = (f) => void Object.assign(f, { debian: false, root: true });
const remotePg: Change = (f) => void Object.assign(f.postgres, { host: 'db.example', local: false, fromEnv: true });
const remoteRedis: Change = (f) => void Object.assign(f.redis, { host: 'cache.example', local: false, fromEnv: true });

function facts(...changes: Change[]): MachineFacts {
  const f = ready();
  for (const change of changes) change(f);
  return f;
}

describe('preflight decide: the one next step for what this machine lacks', () => {
  it('goes ahead when nothing is missing, whoever runs it on whatever OS', () => {
    expect(decide(ready())).toEqual({ ok: true });
    expect(decide(facts(notRoot))).toEqual({ ok: true });
    expect(decide(facts(otherOs))).toEqual({ ok: true });
  });

  // As root on Debian it fixes each piece itself; apt-get update runs once before the first install.
  it.each([
    ['PostgreSQL stopped', pgStopped, 'postgres', [['pg_ctlcluster', '--skip-systemctl-redirect', '15', 'main', 'start']]],
    ['PostGIS missing', noPostgis, 'postgis', [['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'postgresql-15-postgis-3']]],
    ['redis-server not installed', noRedisServer, 'redis-server', [['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'redis-server']]],
    ['Chromium missing', noChromium, 'chromium', [['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'chromium']]],
    ['CJK font missing', noFont, 'cjkFont', [['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'fonts-wqy-microhei']]],
  ] as const)('as root on Debian, %s: fixes it', (_, change, cures, commands) => {
    const next = decide(facts(change));
    expect(next.step?.cures).toBe(cures);
    expect(next.step?.commands).toEqual(commands);
  });

  it('as root on Debian, Redis stopped: starts it on the port of the URL, without persistence', () => {
    const next = decide(facts(redisStopped));
    expect(next.step?.commands).toEqual([
      ['mkdir', '-p', '/var/lib/redis', '/var/log/redis'],
      ['redis-server', '--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log'],
    ]);
    expect(next.step?.waitSeconds).toBe(30);
  });

  // Without root, or on another OS: one line that names exactly what to install or start.
  it.each([
    ['PostgreSQL stopped', pgStopped, /^PostgreSQL is stopped .*: as root run `pg_ctlcluster --skip-systemctl-redirect 15 main start`/],
    ['PostGIS missing', noPostgis, /^PostGIS is missing for PostgreSQL 15 .*: as root run `apt-get install -y postgresql-15-postgis-3`/],
    ['Redis stopped', redisStopped, /^Redis is stopped .*: as root run `redis-server --daemonize yes .*--port 6379 --save "" /],
    ['redis-server not installed', noRedisServer, /^Redis is not installed .*: as root run `apt-get install -y redis-server`/],
    ['Chromium missing', noChromium, /^Chromium is missing .*: as root run `apt-get install -y chromium`/],
    ['CJK font missing', noFont, /^no CJK font .*: as root run `apt-get install -y fonts-wqy-microhei`/],
  ] as const)('not root, %s: stops with the command to run', (_, change, line) => {
    const next = decide(facts(notRoot, change));
    expect(next.stop).toMatch(line);
    expect(next.stop).not.toContain('\n');
  });

  it.each([
    ['PostGIS missing', noPostgis, /^PostGIS is missing for PostgreSQL 15 .*: install PostGIS 3 for PostgreSQL 15 \(on Debian: apt-get install -y postgresql-15-postgis-3\)/],
    ['Chromium missing', noChromium, /^Chromium is missing .*: install Chromium and set CHROMIUM_PATH to it/],
    ['CJK font missing', noFont, /^no CJK font .*: install a CJK font such as WenQuanYi Micro Hei/],
  ] as const)('another OS, %s: stops and names what to install', (_, change, line) => {
    expect(decide(facts(otherOs, change)).stop).toMatch(line);
  });

  it('never installs or starts for servers on another machine (TEST_PG_URL, TEST_REDIS_URL): it names what they lack', () => {
    expect(decide(facts(remotePg, noPostgis)).stop).toBe(
      'PostgreSQL 15 at db.example:5432 (TEST_PG_URL) has no PostGIS: install postgresql-15-postgis-3 (PostGIS 3 for PostgreSQL 15) on that server',
    );
    expect(decide(facts(remotePg, pgStopped)).stop).toMatch(/^cannot reach PostgreSQL at db.example:5432 \(TEST_PG_URL\): connect ECONNREFUSED/);
    expect(decide(facts(remoteRedis, redisStopped)).stop).toMatch(/^cannot reach Redis at cache.example:6379 \(TEST_REDIS_URL\)/);
  });

  it('a server that answers but refuses (a password, a role) is reported, not restarted', () => {
    const refused = facts((f) => void Object.assign(f.postgres, { reachable: false, down: false, error: 'role "postgres" does not exist' }));
    expect(decide(refused).stop).toMatch(/refused the tests: role "postgres" does not exist/);
  });

  it('a custom CHROMIUM_PATH that is missing is reported, not installed over', () => {
    const custom = facts((f) => void (f.chromium = { path: '/opt/chrome/chrome', custom: true, present: false }));
    expect(decide(custom).stop).toMatch(/^CHROMIUM_PATH=\/opt\/chrome\/chrome is not an executable/);
  });
});

describe('preflight loop', () => {
  function machine(...missing: Change[]) {
    const current = facts(...missing);
    const ran: string[] = [];
    const lines: string[] = [];
    return {
      ran,
      lines,
      cure: (fix: Change) => void fix(current),
      deps: (onRun: (command: string[]) => void = () => undefined) => ({
        probe: () => Promise.resolve(structuredClone(current)),
        run: (command: string[]) => {
          ran.push(command.join(' '));
          onRun(command);
          return Promise.resolve(undefined);
        },
        log: (line: string) => void lines.push(line),
        sleep: () => Promise.resolve(),
      }),
    };
  }

  it('fixes one piece after another, runs apt-get update once, then goes ahead', async () => {
    const m = machine(noPostgis, noChromium, noFont);
    const code = await preflight(
      m.deps((command) => {
        const pkg = command.at(-1);
        if (pkg === 'postgresql-15-postgis-3') m.cure((f) => void (f.postgres.postgis = true));
        if (pkg === 'chromium') m.cure((f) => void (f.chromium.present = true));
        if (pkg === 'fonts-wqy-microhei') m.cure((f) => void (f.cjkFont = true));
      }),
    );
    expect(code).toBe(0);
    expect(m.ran).toEqual([
      'apt-get update -qq',
      'env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-postgis-3',
      'env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium',
      'env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei',
    ]);
    expect(m.lines).toEqual(['preflight: installing PostGIS for PostgreSQL 15', 'preflight: installing Chromium', 'preflight: installing a CJK font']);
  });

  it('waits for a server it started to answer', async () => {
    const m = machine(pgStopped);
    let probes = 0;
    const deps = m.deps();
    const code = await preflight({
      ...deps,
      probe: () => {
        // PostgreSQL answers on the third probe after the start.
        if (++probes === 3) m.cure((f) => void Object.assign(f.postgres, { reachable: true, major: '15', postgis: true }));
        return deps.probe();
      },
    });
    expect(code).toBe(0);
    expect(m.ran).toEqual(['pg_ctlcluster --skip-systemctl-redirect 15 main start']);
  });

  it('stops with one line when a step does not cure what it was for, instead of repeating it', async () => {
    const m = machine(noFont);
    expect(await preflight(m.deps())).toBe(1);
    expect(m.ran).toHaveLength(2);
    expect(m.lines.at(-1)).toMatch(/^npm test cannot run here: installing a CJK font did not help/);
  });

  it('stops with one line when a command fails', async () => {
    const m = machine(noChromium);
    const deps = m.deps();
    const code = await preflight({ ...deps, run: (command) => Promise.resolve(command[0] === 'env' ? 'exit 100' : undefined) });
    expect(code).toBe(1);
    expect(m.lines.at(-1)).toBe('npm test cannot run here: `env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium` failed (exit 100) while installing Chromium');
  });

  it('without root changes nothing and says exactly what to run', async () => {
    const m = machine(notRoot, noPostgis);
    expect(await preflight(m.deps())).toBe(1);
    expect(m.ran).toEqual([]);
    expect(m.lines).toEqual([
      'npm test cannot run here: PostGIS is missing for PostgreSQL 15 on 127.0.0.1:5432: as root run `apt-get install -y postgresql-15-postgis-3`, then run npm test again',
    ]);
  });
});
