import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiError } from './api-error';

const INT4_MAX = 2_147_483_647;

/**
 * A database id in the path: digits only, 1..2^31-1. Anything else ("0x10", " 3", "1e3", a
 * number too big for the column) is refused naming the parameter, never coerced.
 */
@Injectable()
export class IdParamPipe implements PipeTransform<unknown, number> {
  constructor(private readonly field = 'id') {}

  transform(value: unknown): number {
    const raw = typeof value === 'string' ? value : String(value);
    const n = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= 1 && n <= INT4_MAX)) {
      throw ApiError.badInput([{ field: this.field, problem: `${this.field} must be a whole number from 1 to ${INT4_MAX}` }]);
    }
    return n;
  }
}
