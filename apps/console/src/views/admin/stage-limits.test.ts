import { describe, expect, it } from 'vitest';
import { badLimits } from './stage-limits';

describe('the stage limits tab', () => {
  it('sends only whole minutes from 1 to a week', () => {
    expect(badLimits({ register: '10', dispatch: '15', check: '30' })).toEqual([]);
    expect(badLimits({ register: '1', dispatch: '10080', check: ' 45 ' })).toEqual([]);
    expect(badLimits({ register: '0', dispatch: '1.5', check: '' })).toEqual(['register', 'dispatch', 'check']);
    expect(badLimits({ register: '-3', dispatch: '10081', check: 'abc' })).toEqual(['register', 'dispatch', 'check']);
  });
});
