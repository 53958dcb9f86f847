import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { ConfigurationError, loadAppConfig, processEnvironment } from '@wangge/config';
import type { CliCommand } from './commands/cli-command';
import { importCommand } from './commands/import.command';
import { migrateCommand } from './commands/migrate.command';
import { seedDemoCommand } from './commands/seed-demo.command';
import { setupCommand } from './commands/setup.command';
import { startCommand } from './commands/start.command';

const COMMANDS: CliCommand[] = [startCommand, migrateCommand, setupCommand, seedDemoCommand, importCommand];

function usage(): string {
  return [
    'usage: node dist/apps/cli/src/main.js <command> [args]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`${name ? `unknown command "${name}"\n\n` : ''}${usage()}\n`);
    return 2;
  }
  // Only `start` (and the apps it runs) sign tokens; the other commands never use JWT_SECRET or
  // TRACKING_TOKEN_SECRET, so an unset one is replaced by a throwaway random value instead of stopping `npm run import`.
  const loadConfig =
    command === startCommand
      ? loadAppConfig
      : (overrides: Record<string, string | undefined> = {}) =>
          loadAppConfig({
            JWT_SECRET: processEnvironment().JWT_SECRET || randomBytes(32).toString('hex'),
            TRACKING_TOKEN_SECRET: processEnvironment().TRACKING_TOKEN_SECRET || randomBytes(32).toString('hex'),
            ...overrides,
          });
  return command.run(args, { loadConfig });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigurationError) {
      process.stderr.write(`${err.message}\n`);
    } else {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = 1;
  },
);
