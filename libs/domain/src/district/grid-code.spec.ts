import { describe, expect, it } from 'vitest';
import { formatGridCode, parseGridCode } from './grid-code';

describe('grid codes', () => {
  it('splits a 15-digit code into district, street, community and sequence', () => {
    expect(parseGridCode('410104001002013')).toEqual({
      districtCode: '410104',
      streetCode: '410104001',
      communityCode: '410104001002',
      sequence: 13,
    });
  });

  it.each(['41010400100201', '4101040010020130', '41010400100201a', '410104001002000', ''])('refuses %j', (code) => {
    expect(parseGridCode(code)).toBeNull();
  });

  it('formats the n-th cell of a community', () => {
    expect(formatGridCode('410104001002', 7)).toBe('410104001002007');
    expect(() => formatGridCode('410104001002', 1000)).toThrow(RangeError);
    expect(() => formatGridCode('4101040010', 1)).toThrow(RangeError);
  });
});
