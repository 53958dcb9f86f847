import { join } from 'node:path';
import { spawnTsProcess, type TsProcess } from '../../support/ts-process';

/** A dispatcher running as a child process of the test (see test/support/app-process.ts). */
export type DispatcherProcess = TsProcess;

/**
 * Starts a dispatcher process on the current sources with `env` as its configuration, and waits
 * until it runs its workers.
 */
export function spawnDispatcher(env: Record<string, string>, timeoutMs = 30_000): Promise<DispatcherProcess> {
  return spawnTsProcess('dispatcher', join(__dirname, '../../support/app-process.ts'), { DISPATCHER_PORT: '0', ...env }, timeoutMs, ['dispatcher']);
}
