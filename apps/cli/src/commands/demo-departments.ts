import { hashPassword, UserDirectory, type AuthUser } from '@wangge/auth';
import { CatalogueService } from '@wangge/catalogue';
import { DepartmentDirectory } from '@wangge/chiefs';
import type { AppConfig } from '@wangge/config';
import type { Role } from '@wangge/domain';
import { demoRefusal, planDemoDepartments, type SeedSummary } from '@wangge/demo';
import { GridDirectory } from '@wangge/geo';
import { DepartmentAdminService, PeopleAdminService } from '@wangge/people';
import type { OutboxRelay } from '@wangge/workflow';
import type { DataSource } from 'typeorm';

/** Creating accounts without a chief post ends no session: the relay is never woken (and the demo writes without Redis). */
const IDLE_RELAY = { wake: () => undefined } as Pick<OutboxRelay, 'wake'> as OutboxRelay;

/**
 * The demo's departments (libs/demo's plan: 燃气公司, 市政局, 环保局, 执法局), written through people's
 * administration as the demo admin — the department, its members (role department) with the demo
 * password, its leader — so they are checked and audited as an admin's would be. Returns the seed's
 * summary with the members among its logins. Never in production (the callers refuse before; this
 * refuses again).
 */
export async function seedDemoDepartments(ds: DataSource, config: AppConfig, seeded: SeedSummary, log: (line: string) => void): Promise<SeedSummary> {
  const refusal = demoRefusal(config.env);
  if (refusal) throw new Error(refusal);
  const users = new UserDirectory(ds);
  const directory = new DepartmentDirectory(ds);
  const grid = new GridDirectory(ds);
  const departments = new DepartmentAdminService(ds, directory, new CatalogueService(ds, config), grid);
  const people = new PeopleAdminService(ds, users, grid, IDLE_RELAY, directory);
  const adminRecord = await users.byUsername('admin');
  if (!adminRecord) throw new Error('demo login admin is missing');
  const admin: AuthUser = { id: adminRecord.id, username: adminRecord.username, name: adminRecord.name, role: adminRecord.role as Role, streetCode: null, chiefId: null };
  const hash = await hashPassword(config.demoPassword);

  const logins: SeedSummary['users'] = [];
  const plan = planDemoDepartments();
  for (const d of plan) {
    await departments.create(admin, { code: d.code, name: d.name, categoryCodes: d.categoryCodes, streetCodes: d.streetCodes });
    for (const m of d.members) {
      const made = await people.create(admin, { username: m.username, name: m.name, role: 'department', departmentCode: d.code });
      await ds.transaction((tx) => users.setDemoPassword(tx, made.id, hash));
      if (m.leader) await departments.update(admin, d.code, { leaderId: made.id });
      logins.push({ username: m.username, role: 'department', name: m.name });
    }
  }
  log(`departments: ${plan.map((d) => `${d.name} (${d.categoryCodes.length} categories)`).join(', ')}; ${logins.length} members`);
  return { ...seeded, users: [...seeded.users, ...logins] };
}
