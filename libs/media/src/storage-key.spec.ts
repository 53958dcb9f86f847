import { describe, expect, it } from 'vitest';
import { assertSafeStorageKey, isSafeStorageKey, mediaStorageKey } from './storage-key';

describe('mediaStorageKey', () => {
  it('dates the key in UTC and names the file by id and type', () => {
    const id = '0b6f6c1e-2f55-4a55-9a43-5d1c7f3f0c8e';
    expect(mediaStorageKey(id, 'image/jpeg', new Date('2026-11-29T23:30:00+08:00'))).toBe(`2026/11/29/${id}.jpg`);
    expect(mediaStorageKey(id, 'image/png', new Date('2026-01-05T00:00:00Z'))).toBe(`2026/01/05/${id}.png`);
    expect(mediaStorageKey(id, 'image/webp', new Date('2026-12-31T23:59:59Z'))).toBe(`2026/12/31/${id}.webp`);
  });
});

describe('isSafeStorageKey', () => {
  it.each(['2026/11/29/a.jpg', 'a', 'x/y_z-1.2.webp', 'a..b/c'])('accepts %s', (key) => {
    expect(isSafeStorageKey(key)).toBe(true);
  });

  it.each(['', '../etc/passwd', '2026/../../x.jpg', '/abs.jpg', 'a//b', 'a/', '.tmp/x', 'a/./b', 'a\\b', 'a/b c', 'ä.jpg', `${'a'.repeat(513)}`])(
    'refuses %j',
    (key) => {
      expect(isSafeStorageKey(key)).toBe(false);
      expect(() => assertSafeStorageKey(key)).toThrow(/unsafe media storage key/);
    },
  );
});
