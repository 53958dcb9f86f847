import { chmod, readFile, writeFile } from 'node:fs/promises';

/**
 * The JWT secret kept in `<DATA_DIR>/jwt-secret` (mode 0600): read when it exists, else `candidate`
 * is written there (`created`), so tokens stay valid across restarts without a secret in any file
 * of the code.
 */
export async function loadOrCreateSecret(path: string, candidate: string): Promise<{ secret: string; created: boolean }> {
  try {
    await writeFile(path, `${candidate}\n`, { flag: 'wx', mode: 0o600 });
    return { secret: candidate, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await chmod(path, 0o600);
  return { secret: (await readFile(path, 'utf8')).trim(), created: false };
}
