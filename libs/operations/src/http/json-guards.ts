/** Keys of Object.prototype (and `prototype`): never a field of ours, refused rather than dropped. */
const FORBIDDEN_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Deeper JSON than any request of ours: refused before parsing, so nothing recurses on it. */
export const MAX_JSON_DEPTH = 32;

/**
 * Removes prototype-like keys from a parsed body, in place, and returns their paths
 * (`location.__proto__`). class-transformer would drop them silently; we refuse them, naming them.
 */
export function takePrototypeKeys(value: unknown, path = '', found: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return found;
  for (const key of Object.keys(value)) {
    const here = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) {
      found.push(here);
      delete (value as Record<string, unknown>)[key];
    } else {
      takePrototypeKeys((value as Record<string, unknown>)[key], here, found);
    }
  }
  return found;
}

/** Nesting depth of a JSON text (brackets outside strings), stopping as soon as it passes `max`. */
export function jsonDepthExceeds(buf: Buffer, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** body-parser `verify`: too deep a body is a 400 before it is parsed. */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonDepthExceeds(buf)) {
    throw Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels / 请求体嵌套过深`), { status: 400, type: 'entity.verify.failed' });
  }
}
