import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable';

/** pg's errors as they reach a request handler: a server message carries its SQLSTATE as `code`. */
function serverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' })],
    ['a connection the server closed', new Error('Connection terminated unexpectedly')],
    ['the pool waited too long for a connection', Object.assign(new Error('timeout exceeded when trying to connect'), { cause: new Error('Connection terminated due to connection timeout') })],
    ['a client that lost its connection', new Error('Client has encountered a connection error and is not queryable')],
    ['the server shutting down (57P01, as a failed query)', new QueryFailedError('SELECT 1', [], serverError('57P01', 'terminating connection due to administrator command'))],
    ['a crash of another backend (57P02)', serverError('57P02', 'terminating connection because of crash of another server process')],
    ['the server starting up (57P03)', serverError('57P03', 'the database system is starting up')],
    ['a connection failure (08006)', serverError('08006', 'connection failure')],
  ])('%s: yes', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], serverError('23505', 'duplicate key value violates unique constraint'))],
    ['a statement timeout (57014)', serverError('57014', 'canceling statement due to statement timeout')],
    ['a syntax error', serverError('42601', 'syntax error at or near "x"')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'Connection terminated'],
  ])('%s: no', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
