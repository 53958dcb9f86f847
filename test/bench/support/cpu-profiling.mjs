// The benchmarks' one way to profile the processes they measure: with CPU_PROFILE_DIR=<dir>, each
// process started with `env(name)` preloads support/cpu-profile.cjs, which profiles it for the
// measured phase only (from `begin()` for `seconds`) and writes `<dir>/<name>-<pid>.cpuprofile`;
// `node test/bench/cpu-profile-summary.mjs <dir>` sums them. The folder is emptied first, so its
// profiles are this run's. A benchmark that stops its processes soon after the measured phase awaits
// `written(n)` first: a profile is written when its time is up, not when the process is stopped.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./cpu-profile.cjs', import.meta.url));

/**
 * @param {number} seconds how long the measured phase lasts
 * @returns {{ dir: string | null, env: (name: string, base?: NodeJS.ProcessEnv) => Record<string, string>, begin: () => void, written: (n: number) => Promise<void> }}
 */
export function cpuProfiling(seconds) {
  const dir = process.env.CPU_PROFILE_DIR || null;
  if (!dir) return { dir: null, env: () => ({}), begin: () => {}, written: async () => {} };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const trigger = join(dir, 'measured-phase-started');
  return {
    dir,
    env: (name, base = process.env) => ({
      NODE_OPTIONS: `${base.NODE_OPTIONS ?? ''} --require ${PRELOAD}`.trim(),
      CPU_PROFILE_DIR: dir,
      CPU_PROFILE_TRIGGER: trigger,
      CPU_PROFILE_MS: String(seconds * 1000),
      CPU_PROFILE_NAME: name,
    }),
    begin: () => writeFileSync(trigger, ''),
    /** Until `n` profiles are written (at most 15 s more), so that stopping the processes loses none. */
    written: async (n) => {
      const end = Date.now() + 15_000;
      while (readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    },
  };
}
