import type { EntityManager } from 'typeorm';
import { User } from '@wangge/domain';

/** The name the first admin has until someone changes it. */
export const FIRST_ADMIN_NAME = '系统管理员';

/**
 * Creates the first admin of a new district (`npm run setup`) inside the caller's transaction, with
 * a password hashed beforehand (hashPassword). Returns the new account's id.
 */
export async function createFirstAdmin(tx: EntityManager, admin: { username: string; passwordHash: string }): Promise<string> {
  const result = await tx.getRepository(User).insert({
    username: admin.username,
    name: FIRST_ADMIN_NAME,
    role: 'admin',
    passwordHash: admin.passwordHash,
    streetCode: null,
    active: true,
  });
  return (result.identifiers[0] as { id: string }).id;
}
