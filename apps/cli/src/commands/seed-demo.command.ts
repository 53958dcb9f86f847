import { runMigrations } from '@wangge/database';
import { AlreadySeededError, demoRefusal, isDatabaseEmpty, seedDemo, type SeedSummary } from '@wangge/demo';
import { withDatabase, type CliCommand } from './cli-command';

function summaryText(summary: SeedSummary, password: string): string {
  const counts: [string, number][] = [
    ['streets 街道', summary.streets],
    ['communities 社区', summary.communities],
    ['grid cells 单元网格', summary.cells],
    ['roads 道路', summary.roads],
    ['road segments 路段', summary.segments],
    ['road chiefs 路长', summary.chiefs],
    ['wardens 网格员', summary.wardens],
    ['categories 部件事件小类', summary.categories],
    ['calendar days 节假日', summary.holidays],
  ];
  const header = ['username', 'role', 'password', 'name'];
  const rows = summary.users.map((u) => [u.username, u.role, password, u.name]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]) : c)).join('  ')}`;
  return [
    ...counts.map(([label, n]) => `  ${String(n).padStart(6)}  ${label}`),
    '',
    'demo logins 演示账号:',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ].join('\n');
}

export const seedDemoCommand: CliCommand = {
  name: 'seed-demo',
  summary: 'build the demo district on an empty database (DATABASE_URL; migrates first)',
  async run(args, ctx) {
    if (args.length > 0) {
      process.stderr.write('seed-demo takes no arguments (DISTRICT_CODE and DEMO_PASSWORD come from the environment)\n');
      return 2;
    }
    const config = ctx.loadConfig();
    const refusal = demoRefusal(config.env);
    if (refusal) {
      process.stderr.write(`seed-demo: ${refusal}\n`);
      return 2;
    }
    return withDatabase('seed-demo', config, 2, async (ds) => {
      try {
        const applied = await runMigrations(ds);
        if (applied.length) process.stdout.write(`migrations applied: ${applied.join(', ')}\n`);
        if (!(await isDatabaseEmpty(ds))) {
          process.stderr.write('already seeded: the database already has a district; the demo seed only fills an empty database\n');
          return 1;
        }
        const started = Date.now();
        const summary = await seedDemo(ds, {
          districtCode: config.districtCode,
          demoPassword: config.demoPassword,
          log: (line) => process.stdout.write(`  ${line}\n`),
        });
        process.stdout.write(`demo district ${config.districtCode} seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        process.stdout.write(summaryText(summary, config.demoPassword));
        return 0;
      } catch (err) {
        if (!(err instanceof AlreadySeededError)) throw err;
        process.stderr.write(`${err.message}\n`);
        return 1;
      }
    });
  },
};
