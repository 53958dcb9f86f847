import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { isGeoReportFormat, Open311Error } from '@wangge/open311';

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Every Open311 route: the format is `.json` or `.xml`, and `jurisdiction_id`, when given, is
 * this district's code (a deployment serves one jurisdiction); 404 otherwise.
 */
@Injectable()
export class Open311RequestGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const format: unknown = (req.params as Record<string, unknown> | undefined)?.format;
    if (format !== undefined && !isGeoReportFormat(format)) {
      throw Open311Error.notFound(`format ${String(format)} is not offered: use .json or .xml`);
    }
    const body: unknown = req.body;
    const jurisdiction =
      first((req.query as Record<string, unknown>).jurisdiction_id) ??
      (body !== null && typeof body === 'object' ? first((body as Record<string, unknown>).jurisdiction_id) : undefined);
    if (jurisdiction !== undefined && jurisdiction !== '' && jurisdiction !== this.config.districtCode) {
      throw Open311Error.notFound(`jurisdiction_id ${String(jurisdiction)} is not served here; this endpoint serves ${this.config.districtCode}`);
    }
    return true;
  }
}
