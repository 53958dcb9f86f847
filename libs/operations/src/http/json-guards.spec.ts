import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds, takePrototypeKeys, verifyJsonDepth } from './json-guards';

describe('JSON guards', () => {
  it('measures nesting outside strings only', () => {
    expect(jsonDepthExceeds(Buffer.from('{"a":[[1]]}'), 3)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('{"a":[[[1]]]}'), 3)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('{"a":"[[[[[[\\"[[["}'), 1)).toBe(false);
  });
  it('refuses a deep body with a 400', () => {
    const deep = Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(() => verifyJsonDepth(null, null, deep)).toThrow(expect.objectContaining({ status: 400 }));
  });
  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])('takes out the key %s, naming its path', (key) => {
    const body = JSON.parse(`{"a":[{"b":{"${key}":1,"c":2}}]}`);
    expect(takePrototypeKeys(body)).toEqual([`a[0].b.${key}`]);
    expect(body).toEqual({ a: [{ b: { c: 2 } }] });
  });
  it('finds nothing in an ordinary body', () => {
    expect(takePrototypeKeys(JSON.parse('{"description":"x","location":{"lng":1},"mediaIds":["a"]}'))).toEqual([]);
  });
});
