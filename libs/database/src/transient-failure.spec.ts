import { describe, expect, it } from 'vitest';
import { QueryFailedError } from 'typeorm';
import { isTransientFailure, retryTransient, TRANSIENT_ATTEMPTS } from './transient-failure';

/** A failure as TypeORM gives it for a statement the server refused with `code`. */
const failure = (code: string) => new QueryFailedError('UPDATE …', [], Object.assign(new Error(`refused ${code}`), { code }));
const noPause = () => Promise.resolve();

describe('transactions that lost a race', () => {
  it('knows deadlocks and serialization failures, and nothing else', () => {
    expect(isTransientFailure(failure('40P01'))).toBe(true);
    expect(isTransientFailure(failure('40001'))).toBe(true);
    expect(isTransientFailure({ driverError: { code: '40P01' } })).toBe(true);
    expect(isTransientFailure(failure('23505'))).toBe(false);
    expect(isTransientFailure(new Error('connection terminated'))).toBe(false);
    expect(isTransientFailure(null)).toBe(false);
  });

  it('runs a transaction again after a deadlock, and answers what the next attempt gives', async () => {
    let runs = 0;
    const result = await retryTransient(async () => {
      runs += 1;
      if (runs === 1) throw failure('40P01');
      return 'written';
    }, noPause);
    expect(result).toBe('written');
    expect(runs).toBe(2);
  });

  it('gives up after the last attempt with its failure', async () => {
    let runs = 0;
    await expect(
      retryTransient(async () => {
        runs += 1;
        throw failure('40001');
      }, noPause),
    ).rejects.toThrow('refused 40001');
    expect(runs).toBe(TRANSIENT_ATTEMPTS);
  });

  it('never runs again after any other failure', async () => {
    let runs = 0;
    await expect(
      retryTransient(async () => {
        runs += 1;
        throw failure('23505');
      }, noPause),
    ).rejects.toThrow('refused 23505');
    expect(runs).toBe(1);
  });
});
