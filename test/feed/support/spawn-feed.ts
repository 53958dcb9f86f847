import { join } from 'node:path';
import { spawnTsProcess, type TsProcess } from '../../support/ts-process';

export interface FeedProcess extends TsProcess {
  readonly url: string;
}

/** Starts a feed node as a child process on the current sources, with `env` as its configuration. */
export async function spawnFeed(env: Record<string, string>, timeoutMs = 30_000): Promise<FeedProcess> {
  const p = await spawnTsProcess('feed', join(__dirname, '../../support/app-process.ts'), { FEED_PORT: '0', ...env }, timeoutMs, ['feed']);
  return Object.assign(p, { url: `http://127.0.0.1:${p.port}` });
}
