import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { acceptIfValid } from './compiled-validation';
import { takePrototypeKeys } from './json-guards';
import type { FieldProblem } from '../errors/app-error';
import { ApiError } from './api-error';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Refuses prototype-like keys (which class-transformer would drop silently) before validating. */
class PlatformValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const taken = metadata.type === 'body' || metadata.type === 'query' ? takePrototypeKeys(value) : [];
    if (taken.length === 0) {
      // A valid body is built and checked by its DTO's rules read once (compiled-validation.ts); anything else takes the usual path.
      const accepted = metadata.type === 'body' ? acceptIfValid(metadata.metatype, value) : undefined;
      return accepted ?? super.transform(value, metadata);
    }
    const refused: FieldProblem[] = taken.map((field) => ({ field, problem: `${field} is not a field of this request / 不允许的字段` }));
    let details = refused;
    try {
      await super.transform(value, metadata);
    } catch (err) {
      if (!(err instanceof ApiError) || !err.details) throw err;
      details = [...refused, ...err.details];
    }
    throw ApiError.badInput(details, `invalid input: ${[...new Set(details.map((d) => d.field))].join(', ')}`);
  }
}

/** DTO validation for every endpoint: unknown fields refused, every bad field named in `details`. */
export function createValidationPipe(): ValidationPipe {
  return new PlatformValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return ApiError.badInput(details, `invalid input: ${details.map((d) => d.field).filter((f, i, a) => a.indexOf(f) === i).join(', ')}`);
    },
  });
}
