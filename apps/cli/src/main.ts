import 'reflect-metadata';
import { ConfigurationError, loadAppConfig } from '@wangge/config';
import type { CliCommand } from './commands/cli-command';
import { importCommand } from './commands/import.command';
import { migrateCommand } from './commands/migrate.command';
import { seedDemoCommand } from './commands/seed-demo.command';
import { startCommand } from './commands/start.command';

const COMMANDS: CliCommand[] = [startCommand, migrateCommand, seedDemoCommand, importCommand];

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
  return command.run(args, { loadConfig: loadAppConfig });
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
