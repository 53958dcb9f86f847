import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from './password-policy';
import { scryptSync } from 'node:crypto';
import { generateOneTimePassword, hashOneTimePassword, hashPassword, needsRehash, passwordDerivations, verifyPassword } from './password';

/** A hash as written before 2026-12 (N = 2^14). */
function oldHash(password: string): string {
  const salt = Buffer.from('0123456789abcdef');
  return ['scrypt', 16384, 8, 1, salt.toString('base64'), scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')].join('$');
}

// One derivation takes half a second of a core (OWASP's cost): on a busy machine several take longer than the default 5 s.
describe('password hashing (scrypt)', { timeout: 60_000 }, () => {
  it('verifies the right password only', async () => {
    const hash = await hashPassword('demo1234');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword('demo1234', hash)).toBe(true);
    expect(await verifyPassword('demo12345', hash)).toBe(false);
  });

  it('verifies a hash of the older cost (N = 2^14) and asks for it to be rehashed; a current one not', async () => {
    const old = oldHash('demo1234');
    expect(await verifyPassword('demo1234', old)).toBe(true);
    expect(await verifyPassword('demo12345', old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('demo1234'))).toBe(false);
    expect(needsRehash('plain')).toBe(false);
  });

  it('refuses a stored hash that asks for more memory than the current cost allows twice over', async () => {
    const [, , r, p, salt, key] = oldHash('demo1234').split('$');
    expect(await verifyPassword('demo1234', ['scrypt', 2 ** 20, r, p, salt, key].join('$'))).toBe(false);
    expect(await verifyPassword('demo1234', ['scrypt', 3000, r, p, salt, key].join('$'))).toBe(false);
  });

  it('hashes a generated one-time password at the lower cost (80 random bits; replaced at the first login)', async () => {
    const otp = generateOneTimePassword();
    const hash = await hashOneTimePassword(otp);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword(otp, hash)).toBe(true);
    expect(needsRehash(hash)).toBe(true);
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

describe('password hashing under a burst', () => {
  it('runs at most two derivations at once, the others wait their turn, and every one completes', async () => {
    const hashes = Array.from({ length: 3 }, (_, i) => hashPassword(`burst-${i}`));
    expect(passwordDerivations()).toEqual({ running: 2, waiting: 1 });
    const done = await Promise.all(hashes);
    expect(new Set(done).size).toBe(3);
    expect(passwordDerivations()).toEqual({ running: 0, waiting: 0 });
  }, 60_000);
});
