import type { AppConfig } from '@wangge/config';

export interface CliContext {
  /** Validates the environment (plus overrides, e.g. the embedded DATABASE_URL) into the typed config. */
  loadConfig: (overrides?: Record<string, string | undefined>) => AppConfig;
}

/** One command of `node dist/apps/cli/src/main.js <command>`; resolves to the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
