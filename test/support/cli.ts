import { vi } from 'vitest';
import { loadAppConfig } from '@wangge/config';
import type { CliCommand } from '../../apps/cli/src/commands/cli-command';
import { TEST_JWT_SECRET, TEST_TRACKING_TOKEN_SECRET } from './database';

/**
 * Runs a CLI command in this process as main.ts does, on the database at `databaseUrl` with `env`
 * on top of the test environment; returns its exit code and what it printed.
 */
export async function runCliCommand(
  command: CliCommand,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = {
    loadConfig: (overrides: Record<string, string | undefined> = {}) =>
      loadAppConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        JWT_SECRET: TEST_JWT_SECRET,
        TRACKING_TOKEN_SECRET: TEST_TRACKING_TOKEN_SECRET,
        ADMIN_PASSWORD: undefined,
        ...env,
        ...overrides,
      }),
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  try {
    const code = await command.run(args, ctx);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
