import { Inject, Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { CatalogueModule } from '@wangge/catalogue';
import { GeoModule } from '@wangge/geo';
import { ApiKeyService, Open311RequestsService, Open311ServicesService } from '@wangge/open311';
import { Open311Controller } from './open311.controller';
import { open311ErrorsOf, writeOpen311Errors } from './open311-error-format';
import { Open311NotFoundController } from './open311-not-found.controller';

/**
 * Open311 GeoReport v2 under /open311/v2, and the API keys it checks. Reports go through the one
 * intake path, so this module imports the intake's own WorkflowModule and ReportsModule (the same
 * module objects, hence the same services, report batches and outbox relay):
 * `imports: [workflow, reports, Open311Module.forRoot(workflow, reports)]`.
 */
@Module({})
export class Open311Module implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  static forRoot(workflow: DynamicModule, reports: DynamicModule): DynamicModule {
    return {
      module: Open311Module,
      imports: [workflow, reports, CatalogueModule, GeoModule],
      providers: [ApiKeyService, Open311ServicesService, Open311RequestsService],
      // The not-found controller last: its catch-all must not shadow the real routes.
      controllers: [Open311Controller, Open311NotFoundController],
      exports: [ApiKeyService],
    };
  }

  /**
   * A body that cannot be parsed never reaches a controller (the parsers run first); under
   * /open311 it is answered in the GeoReport error format too. Registered after the routes and
   * before Nest's own error handler.
   */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    const logger = new Logger('open311');
    adapter.use('/open311', (err: unknown, req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(err);
      const errors = open311ErrorsOf(err);
      if (errors.status >= 500) logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      writeOpen311Errors(req, res, errors);
    });
  }
}
