import { runMigrations } from '@wangge/database';
import { AlreadySeededError, demoRefusal, isDatabaseEmpty, MAX_HISTORY_DAYS, type SeedSummary } from '@wangge/demo';
import { withDatabase, type CliCommand } from './cli-command';
import { seedDemoDistrict, type DemoHistoryRequest } from './demo-history';

/** The seed used when `--seed` is not given: the same demo history every time. */
export const DEFAULT_HISTORY_SEED = 1;

/** `--history-days N` (default DEMO_HISTORY_DAYS) and `--seed N`; a string naming the bad flag otherwise. */
export function parseSeedArgs(args: readonly string[], defaultDays: number): Omit<DemoHistoryRequest, 'end'> | string {
  const request = { days: defaultDays, seed: DEFAULT_HISTORY_SEED };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const [name, inline] = flag.includes('=') ? flag.split('=', 2) : [flag, undefined];
    if (name !== '--history-days' && name !== '--seed') return `unknown argument ${flag} (seed-demo takes --history-days N and --seed N)`;
    const raw = inline ?? args[++i];
    const value = Number(raw);
    if (raw === undefined || !/^\d+$/.test(raw) || !Number.isSafeInteger(value)) return `${name} needs a whole number, got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}`;
    if (name === '--history-days') {
      if (value > MAX_HISTORY_DAYS) return `--history-days must be 0 to ${MAX_HISTORY_DAYS}, got ${value}`;
      request.days = value;
    } else request.seed = value;
  }
  return request;
}

function historyText(summary: SeedSummary & { bulletins: { daily: number; weekly: number } }): string[] {
  const h = summary.history;
  if (!h || h.cases === 0) return [];
  const statuses = Object.entries(h.byStatus).sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `${status} ${n}`).join(', ');
  return [
    '',
    `history 历史案卷 (${h.from} … ${h.to}):`,
    `  ${String(h.cases).padStart(6)}  cases 案卷 (${statuses})`,
    `  ${String(h.events).padStart(6)}  case events 案卷事件`,
    `  ${String(h.overdue).padStart(6)}  overdue 超期, ${h.escalated} escalated 升级, ${h.returned} returned 回退, ${h.reworked} reworked 返工, ${h.extended} extended 延期, ${h.merged} merged 合并, ${h.appeals} appeals 申诉`,
    `  ${String(summary.bulletins.daily).padStart(6)}  daily summaries 每日汇总, ${summary.bulletins.weekly} weekly bulletins 每周通报`,
  ];
}

function summaryText(summary: SeedSummary & { bulletins: { daily: number; weekly: number } }, password: string): string {
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
    ...historyText(summary),
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
  summary: 'build the demo district with a month of history on an empty database (DATABASE_URL; migrates first; --history-days N, --seed N)',
  async run(args, ctx) {
    const config = ctx.loadConfig();
    const request = parseSeedArgs(args, config.demoHistoryDays);
    if (typeof request === 'string') {
      process.stderr.write(`seed-demo: ${request} (DISTRICT_CODE and DEMO_PASSWORD come from the environment)\n`);
      return 2;
    }
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
        const summary = await seedDemoDistrict(ds, config, request, (line) => process.stdout.write(`  ${line}\n`));
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
