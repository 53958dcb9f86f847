import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { AuthError } from '../auth-error';
import { verifyPassword } from '../password';

/** The demo seed's default password, refused in production whatever DEMO_PASSWORD says. */
export const DEFAULT_DEMO_PASSWORD = 'demo1234';

/** The passwords no account may have in production: demo1234 and DEMO_PASSWORD. */
export function demoPasswords(config: Pick<AppConfig, 'demoPassword'>): string[] {
  return [...new Set([DEFAULT_DEMO_PASSWORD, config.demoPassword])];
}

/** True in production for a demo password: the login refuses it before looking at the account. */
export function isRefusedDemoPassword(config: Pick<AppConfig, 'env' | 'demoPassword'>, password: string): boolean {
  return config.env === 'production' && demoPasswords(config).includes(password);
}

export const DEMO_PASSWORD_REFUSED = () =>
  new AuthError(
    'demo_password_refused',
    'demo passwords are refused in production; ask an admin to reset yours / 生产环境不能使用演示密码，请联系管理员重置',
  );

/** scrypt runs on the libuv thread pool (4 threads by default). */
const CHECK_CONCURRENCY = 4;

/**
 * The first active account found whose password is a demo password, or null. Only the accounts the
 * demo seed gave DEMO_PASSWORD (`seeded_demo_password`) are checked: one scrypt derivation per
 * account and password (~50 ms) is affordable for the demo's few hundred accounts, not for every
 * account of a district. Inactive accounts cannot log in and wait for their reactivation. Any other account could get a demo password only by choosing it, which the
 * password policy (demo1234 is a common password) and the production login refuse. Accounts found
 * clean are unmarked, so each is checked once in its life and a start stays fast.
 */
export async function findDemoPassword(manager: EntityManager, passwords: readonly string[]): Promise<string | null> {
  const rows = await manager.query<{ id: string; username: string; password_hash: string | null }[]>(
    `SELECT id, username, password_hash FROM app_user WHERE seeded_demo_password AND active ORDER BY username`,
  );
  let found: string | null = null;
  let next = 0;
  const worker = async () => {
    while (found === null && next < rows.length) {
      const row = rows[next++];
      for (const password of passwords) {
        if (found === null && (await verifyPassword(password, row.password_hash))) found = row.username;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHECK_CONCURRENCY, rows.length) }, worker));
  if (found !== null) return found;
  await manager.query(`UPDATE app_user SET seeded_demo_password = false WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
  return null;
}

/** Thrown at start in production while an account has a demo password. */
export class DemoPasswordInUseError extends Error {
  constructor(readonly username: string) {
    super(
      `refusing to start in production: account ${username} still has a demo password (demo1234 or DEMO_PASSWORD); ` +
        `give it another password or deactivate it · 生产环境拒绝启动：账号 ${username} 仍在使用演示密码，请修改密码或停用该账号`,
    );
    this.name = 'DemoPasswordInUseError';
  }
}

/** In production, stops the process at start while any account has a demo password (domain.md section 7). */
@Injectable()
export class DemoPasswordCheck implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.env !== 'production') return;
    const username = await findDemoPassword(this.db.manager, demoPasswords(this.config));
    if (username !== null) throw new DemoPasswordInUseError(username);
  }
}
