import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

export class PidLockError extends Error {
  constructor(readonly path: string, readonly ownerPid: number) {
    super(`${path} is held by process ${ownerPid}: another \`npm start\` uses the same DATA_DIR (if none does, delete the file)`);
    this.name = 'PidLockError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes a lock file holding this process's id, so two launchers never open the same data directory.
 * A lock left by a process that no longer runs is taken over. Returns the function that releases it.
 */
export function acquirePidLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isInteger(owner) && isAlive(owner)) throw new PidLockError(path, owner);
      unlinkSync(path);
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
