// Child processes of a benchmark: started in their own process group, output tail kept, stopped
// (with whatever they started) on the way out.
import { spawn } from 'node:child_process';

/** Every child started here, for the benchmark's cleanup. */
export const children = [];

/** Stops a child and whatever it started (each child leads its own process group). */
export function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      /* already gone */
    }
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => signal('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    signal('SIGTERM');
  });
}

/** Starts a child whose output is kept (the last 8 KB) to explain a failure. */
export function start(command, args, env) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.tail = '';
  const keep = (chunk) => (child.tail = (child.tail + chunk).slice(-8192));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.push(child);
  return child;
}

export function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = start(command, args, env);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(child.tail) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${child.tail}`))));
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The run's cleanup: `fn` runs once however often the returned function is called (the run's
 * `finally` and Ctrl-C both call it), and on SIGINT or SIGTERM before the process exits 130.
 */
export function cleanupOnExit(fn) {
  let cleaning = null;
  const cleanup = () => (cleaning ??= fn());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up\n`);
      cleanup().finally(() => process.exit(130));
    });
  }
  return cleanup;
}
