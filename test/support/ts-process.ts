import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const REGISTER = join(__dirname, 'ts-register.cjs');

/** An app running as a child process of the test, on the current sources. */
export interface TsProcess {
  readonly pid: number;
  /** The port it listens on (from its `ready <port>` line). */
  readonly port: number;
  /** The last few kilobytes it wrote to stdout and stderr. */
  output(): string;
  /** Sends the signal and waits for the process to exit. SIGKILL is a crash: nothing runs after it. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts `node -r ts-register.cjs <entry>` (no build: the sources are compiled on the fly) with
 * `env` as its configuration, and waits for the line `ready <port>` it prints once it serves.
 */
export async function spawnTsProcess(name: string, entry: string, env: Record<string, string>, timeoutMs = 30_000, args: string[] = []): Promise<TsProcess> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const child of live) child.kill('SIGKILL');
    });
  }
  const child = spawn(process.execPath, ['-r', REGISTER, entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      live.delete(child);
      done();
    }),
  );
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} process did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      keep(chunk);
      const ready = /ready (\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        done(Number(ready[1]));
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`${name} process exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`));
    });
  });
  return {
    pid: child.pid!,
    port,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
