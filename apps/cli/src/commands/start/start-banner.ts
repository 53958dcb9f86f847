import { resolve } from 'node:path';
import type { AppConfig } from '@wangge/config';
import type { RedisNamespace } from '@wangge/jobs';

/** The demo logins the banner shows, in this order; the other wardens follow by name. */
export const DEMO_LOGINS = ['admin', 'operator', 'leader', 'shouli1', 'paiqian1', 'zhiban1', 'chief1', 'chief2', 'chief3', 'warden1', 'dept-gas1'];
const ROLE_NAMES: Record<string, string> = {
  admin: '管理员',
  operator: '受理员',
  leader: '领导',
  chief: '路长',
  warden: '网格员',
  citizen: '市民',
};

export interface DemoLogin {
  username: string;
  role: string;
  name: string;
}

/** What the banner tells about a running platform. */
export interface BannerFacts {
  config: AppConfig;
  startedAt: number;
  dataDir: string;
  database: string;
  redis: string;
  demo: { logins: DemoLogin[]; seeded: boolean; keys: RedisNamespace };
}

/** The Redis database number a redis:// URL names (its path), 0 when it names none. */
function redisDbOf(url: string | undefined): number {
  if (!url) return 0;
  const db = Number(new URL(url).pathname.slice(1) || '0');
  return Number.isInteger(db) ? db : 0;
}

/** Columns a string takes in a terminal: CJK characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** The URL without its password, for printing. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//****@');
  }
}

/** The banner's logins first (in their order), then the rest in natural order (warden2 before warden10). */
function splitLogins(users: DemoLogin[]): { shown: DemoLogin[]; more: string[] } {
  const shown = DEMO_LOGINS.flatMap((username) => users.filter((u) => u.username === username));
  const more = users
    .filter((u) => !DEMO_LOGINS.includes(u.username))
    .map((u) => u.username)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return { shown, more };
}

/** Prints where everything runs and the demo logins there are, once the apps are healthy. */
export function printBanner({ config, startedAt, dataDir, database, redis, demo }: BannerFacts): void {
  const row = (label: string, value: string) => `  ${pad(label, 24)}${value}`;
  const { shown, more } = splitLogins(demo.logins);
  const lines = [
    '',
    '='.repeat(78),
    `  Wangge 网格 is running · 已启动  (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
    '',
    row('Console 控制台', `http://localhost:${config.ports.intake}/`),
    row('API docs 接口文档', `http://localhost:${config.ports.intake}/docs`),
    row('Live feed 实时推送', `ws://localhost:${config.ports.feed}/feed  (socket.io)`),
    row('Dispatcher 派遣服务', `http://localhost:${config.ports.dispatcher}/health`),
    '',
    row('Data 数据目录', dataDir),
    row('Media 附件', resolve(config.mediaDir)),
    row('Database 数据库', database),
    row('Redis', redis),
    row('Redis keys 键前缀', `${demo.keys.prefix}  (Redis db ${redisDbOf(config.redisUrl)}; this database's own · 本库专用)`),
    '',
  ];
  if (shown.length + more.length === 0) {
    lines.push('  No demo logins in this database · 此数据库没有演示账号');
  } else {
    const note = demo.seeded ? '' : ' (unless changed · 如未修改)';
    lines.push(`  Demo logins 演示账号 — password 密码: ${config.demoPassword}${note}`);
    for (const user of shown) {
      lines.push(`    ${user.username.padEnd(10)} ${pad(`${user.role} ${ROLE_NAMES[user.role] ?? ''}`, 16)} ${user.name}`);
    }
    if (more.length > 0) {
      const range = more.length > 2 ? `${more[0]} … ${more[more.length - 1]}` : more.join(', ');
      lines.push(`    also 另有 ${range} (${more.length})`);
    }
  }
  lines.push('', '  Stop: Ctrl-C · 停止：按 Ctrl-C', '='.repeat(78), '');
  process.stdout.write(`${lines.join('\n')}\n`);
}
