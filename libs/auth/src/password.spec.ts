import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from './password-policy';
import { generateOneTimePassword, hashPassword, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password only', async () => {
    const hash = await hashPassword('demo1234');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('demo1234', hash)).toBe(true);
    expect(await verifyPassword('demo12345', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it.each([null, undefined, '', 'plain', 'scrypt$1$2$3$x$y', 'bcrypt$a$b$c$d$e'])('refuses a malformed stored hash %j', async (stored) => {
    expect(await verifyPassword('demo1234', stored)).toBe(false);
  });
});

describe('one-time passwords', () => {
  it('are 14 unambiguous letters and digits, different every time, and pass the policy', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateOneTimePassword()));
    expect(seen.size).toBe(200);
    for (const p of seen) {
      expect(p).toMatch(/^[A-HJ-NP-Za-km-np-z2-9]{14}$/);
      expect(checkPasswordPolicy(p, 'warden1')).toBeNull();
    }
  });
});
