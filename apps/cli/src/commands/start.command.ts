import type { CliCommand } from './cli-command';
import { Launcher } from './start/launcher';

export const startCommand: CliCommand = {
  name: 'start',
  summary: 'run everything: embedded PostgreSQL and Redis unless configured, migrations, demo data, the three apps',
  async run(args, ctx) {
    if (args.length > 0) {
      process.stderr.write(`start takes no arguments (configure it with environment variables)\n`);
      return 2;
    }
    return new Launcher(ctx).run();
  },
};
