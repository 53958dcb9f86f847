import { describe, expect, it } from 'vitest';
import { afterFailure } from './delivery-policy';

describe('afterFailure', () => {
  const policy = { attempts: 4, backoffMs: 500 };

  it('waits twice as long after each failed attempt, then gives up', () => {
    expect(afterFailure(policy, 1, 0)).toEqual({ dead: false, waitMs: 500 });
    expect(afterFailure(policy, 2, 0)).toEqual({ dead: false, waitMs: 1000 });
    expect(afterFailure(policy, 3, 0)).toEqual({ dead: false, waitMs: 2000 });
    expect(afterFailure(policy, 4, 0)).toEqual({ dead: true });
  });

  it("counts again from an admin's retry", () => {
    expect(afterFailure(policy, 5, 4)).toEqual({ dead: false, waitMs: 500 });
    expect(afterFailure(policy, 8, 4)).toEqual({ dead: true });
  });

  it('never waits more than an hour', () => {
    expect(afterFailure({ attempts: 50, backoffMs: 60_000 }, 20, 0)).toEqual({ dead: false, waitMs: 3_600_000 });
  });
});
