import { HttpStatus } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { describe, expect, it } from 'vitest';
import { AuthError } from '@wangge/auth';
import { Open311Error } from '@wangge/open311';
import { ApiError } from '@wangge/operations';
import { CaseError } from '@wangge/workflow';
import { isOpen311Path, open311ErrorsOf } from './open311-error-format';

describe('errors under /open311 in GeoReport terms', () => {
  it('takes the paths of /open311 and nothing else', () => {
    expect(['/open311', '/open311/v2/requests.xml', '/open311/anything'].map(isOpen311Path)).toEqual([true, true, true]);
    expect(['/open3110', '/api/v1/open311', '/'].map(isOpen311Path)).toEqual([false, false, false]);
  });

  it('an Open311Error as it is', () => {
    expect(open311ErrorsOf(Open311Error.notFound('no such request'))).toEqual({ status: 404, items: [{ code: 404, description: 'no such request' }] });
  });

  it('a case error by the one status mapping, 422 narrowed to 400, fields by their Open311 names; an unknown service_code 404', () => {
    expect(open311ErrorsOf(new CaseError('out_of_jurisdiction', 'outside the district', 'location'))).toEqual({
      status: 400,
      items: [{ code: 400, description: 'lat/long: outside the district' }],
    });
    expect(open311ErrorsOf(new CaseError('unknown_category', 'no category X', 'categoryCode'))).toEqual({
      status: 404,
      items: [{ code: 404, description: 'service_code: no category X' }],
    });
    expect(open311ErrorsOf(new CaseError('idempotency_key_reused', 'used before', 'Idempotency-Key')).status).toBe(409);
  });

  it('other errors as the platform reads them: an AppError of a lib, an ApiError with details, throttling', () => {
    expect(open311ErrorsOf(new AuthError('invalid_token', 'bad token'))).toEqual({ status: 401, items: [{ code: 401, description: 'bad token' }] });
    const bad = new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'bad_input', 'invalid input', [{ field: 'lat', problem: 'lat must be a number' }]);
    expect(open311ErrorsOf(bad)).toEqual({ status: 400, items: [{ code: 400, description: 'lat must be a number' }] });
    expect(open311ErrorsOf(new ThrottlerException()).status).toBe(429);
  });
});
