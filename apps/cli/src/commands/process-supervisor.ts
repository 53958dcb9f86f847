import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  /** Shown before every line the process writes to stderr (its log lines on stdout carry it). */
  name: string;
  /** The JavaScript entry point, run with this Node binary. */
  script: string;
  /** Node's own flags for it (heap sizes). */
  nodeArgs?: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Answers 200 once the process is ready. */
  healthUrl: string;
}

export interface SupervisorOptions {
  /** Writes one line of the launcher's own output. */
  log: (source: string, level: 'info' | 'warn' | 'error', message: string) => void;
  /** Restarts allowed after unexpected exits before giving up (default 5). */
  maxRestarts?: number;
  /** How long a process may take to stop after SIGTERM before it is killed (default 10 s). */
  stopTimeoutMs?: number;
  /** Called once when a process keeps dying and will not be restarted again. */
  onGiveUp: (name: string) => void;
}

/** A process did not get ready or keeps exiting: the message says which and why. */
export class SupervisorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SupervisorError';
  }
}

/** A process that stayed up this long has its restart count reset. */
const STABLE_AFTER_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

class SupervisedChild {
  process: ChildProcess | undefined;
  restarts = 0;
  gaveUp = false;
  stopping = false;
  startedAt = 0;
  restartTimer: NodeJS.Timeout | undefined;

  constructor(readonly spec: ChildSpec) {}

  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }
}

function pipeLines(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WriteStream): void {
  if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix}${line}\n`));
}

/**
 * Runs the apps as child processes: their log lines passed through (each names its process), other
 * output on stderr prefixed with the app's name, readiness by GET /health,
 * restarts with exponential backoff after an unexpected exit, and an orderly stop (SIGTERM, then
 * SIGKILL after a timeout). The children run in their own process group, so a Ctrl-C in the
 * terminal reaches only the launcher, which stops them before the database and Redis they use.
 */
export class ProcessSupervisor {
  private readonly children: SupervisedChild[];
  private readonly width: number;
  private stopping = false;

  constructor(specs: ChildSpec[], private readonly options: SupervisorOptions) {
    this.children = specs.map((spec) => new SupervisedChild(spec));
    this.width = Math.max(...specs.map((s) => s.name.length));
  }

  start(): void {
    for (const child of this.children) this.spawn(child);
  }

  /** Resolves when every process answers 200 on its health URL; rejects after `timeoutMs` or when one gives up. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await Promise.all(
      this.children.map(async (child) => {
        for (;;) {
          if (this.stopping) throw new SupervisorError('stopping');
          if (child.gaveUp) throw new SupervisorError(`${child.spec.name} keeps exiting`);
          if (child.running && (await this.isHealthy(child.spec.healthUrl))) return;
          if (Date.now() > deadline) throw new SupervisorError(`${child.spec.name} did not answer ${child.spec.healthUrl} within ${Math.round(timeoutMs / 1000)} s`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }),
    );
  }

  /** Stops every process: SIGTERM, then SIGKILL after the stop timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    const timeoutMs = this.options.stopTimeoutMs ?? 10_000;
    await Promise.all(
      this.children.map(async (child) => {
        child.stopping = true;
        clearTimeout(child.restartTimer);
        const proc = child.process;
        if (!proc || !child.running) return;
        const exited = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => {
          this.options.log(child.spec.name, 'warn', `did not stop within ${timeoutMs / 1000} s: killing it`);
          proc.kill('SIGKILL');
        }, timeoutMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  /** Kills every process at once (the second Ctrl-C). */
  kill(): void {
    this.stopping = true;
    for (const child of this.children) {
      child.stopping = true;
      clearTimeout(child.restartTimer);
      if (child.running) child.process?.kill('SIGKILL');
    }
  }

  private async isHealthy(url: string): Promise<boolean> {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  private spawn(child: SupervisedChild): void {
    const { spec } = child;
    const proc = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.script], { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.process = proc;
    child.startedAt = Date.now();
    const prefix = `${spec.name.padEnd(this.width)} | `;
    pipeLines(proc.stdout, '', process.stdout);
    pipeLines(proc.stderr, prefix, process.stderr);
    proc.once('error', (err) => this.options.log(spec.name, 'error', `could not start: ${err.message}`));
    proc.once('exit', (code, signal) => this.onExit(child, proc, code, signal));
  }

  private onExit(child: SupervisedChild, proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child.process !== proc || child.stopping || this.stopping) return;
    const { name } = child.spec;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (Date.now() - child.startedAt > STABLE_AFTER_MS) child.restarts = 0;
    if (child.restarts >= (this.options.maxRestarts ?? 5)) {
      child.gaveUp = true;
      this.options.log(name, 'error', `exited (${how}) after ${child.restarts} restarts: giving up`);
      this.options.onGiveUp(name);
      return;
    }
    const delay = Math.min(1000 * 2 ** child.restarts, MAX_BACKOFF_MS);
    child.restarts++;
    this.options.log(name, 'warn', `exited unexpectedly (${how}); restart ${child.restarts} in ${delay / 1000} s`);
    child.restartTimer = setTimeout(() => {
      if (!child.stopping && !this.stopping) this.spawn(child);
    }, delay);
  }
}
