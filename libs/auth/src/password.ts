import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;

/** scrypt's cost: N (CPU and memory), r (block size), p (parallelism). */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's current scrypt cost (Password Storage Cheat Sheet: N = 2^17, r = 8, p = 1): 128 MiB and
 * about half a second of one core per derivation. Every hash carries its own cost, so hashes made
 * at an older cost (N = 2^14 before 2026-12) still verify and are rehashed at the next login.
 */
export const SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

/** The most a stored hash may ask for (2^18 x 8 = 256 MiB): a corrupt or hostile row cannot exhaust memory. */
const MAX_MEM = 2 * 128 * SCRYPT_COST.N * SCRYPT_COST.r;
const maxMemOf = (cost: ScryptCost) => 128 * cost.N * cost.r * (cost.p + 1) + 1024 * 1024;

/**
 * Derivations at once, per process. Each holds 128 MiB and a thread of libuv's pool (4 threads, which
 * zlib, file reads and DNS share): a burst of logins then waits here, in a queue, instead of taking
 * every thread and that much memory. The rest of the pool keeps serving everything else.
 */
const MAX_CONCURRENT_DERIVATIONS = 2;
let running = 0;
const waiting: (() => void)[] = [];

/** Derivations running and waiting now (the limit's effect, for tests and metrics). */
export function passwordDerivations(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

async function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  if (running >= MAX_CONCURRENT_DERIVATIONS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...cost, maxmem: maxMemOf(cost) }, (err, key) => (err ? reject(err) : resolve(key))),
    );
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Hashes a password with scrypt at {@link SCRYPT_COST}: `scrypt$N$r$p$<salt b64>$<key b64>`. */
export function hashPassword(password: string): Promise<string> {
  return hashAt(password, SCRYPT_COST);
}

/**
 * The cost for a generated one-time password ({@link generateOneTimePassword}: about 80 bits drawn
 * at random, which no guessing reaches whatever the cost), so that creating or importing many
 * people stays quick; it must be changed at the first login, and the chosen one gets {@link SCRYPT_COST}.
 */
const ONE_TIME_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };

/** Hashes a generated one-time password (never one a person chose). */
export function hashOneTimePassword(password: string): Promise<string> {
  return hashAt(password, ONE_TIME_COST);
}

async function hashAt(password: string, cost: ScryptCost): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface StoredHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

/** A stored hash taken apart; null when it is not one this module wrote or asks for more than {@link MAX_MEM}. */
function parse(stored: string | null | undefined): StoredHash | null {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt' || !parts.slice(1, 4).every((n) => /^\d{1,7}$/.test(n))) return null;
  const cost = { N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  const powerOfTwo = cost.N > 1 && (cost.N & (cost.N - 1)) === 0;
  if (!powerOfTwo || cost.r < 1 || cost.p < 1 || cost.p > 16 || 128 * cost.N * cost.r > MAX_MEM) return null;
  const key = Buffer.from(parts[5], 'base64');
  return key.length === KEY_LENGTH ? { cost, salt: Buffer.from(parts[4], 'base64'), key } : null;
}

/** Checks a password against a stored hash in constant time; false for a malformed or missing hash. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const hash = parse(stored);
  if (!hash) return false;
  return timingSafeEqual(await derive(password, hash.salt, hash.cost), hash.key);
}

/** Whether a stored hash was made at another cost than {@link SCRYPT_COST} (the login then rehashes the password). */
export function needsRehash(stored: string | null | undefined): boolean {
  const hash = parse(stored);
  return hash !== null && (hash.cost.N !== SCRYPT_COST.N || hash.cost.r !== SCRYPT_COST.r || hash.cost.p !== SCRYPT_COST.p);
}

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const ONE_TIME_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/**
 * A one-time password: 14 characters drawn uniformly (crypto-random) from a 55-letter alphabet
 * (about 80 bits). Shown once; only its hash is stored, and it must be changed at the first login.
 */
export function generateOneTimePassword(length = 14): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)];
  return out;
}
