import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogueModule } from '@wangge/catalogue';
import { GeoModule } from '@wangge/geo';
import { ApiKeyService, Open311RequestsService, Open311ServicesService } from '@wangge/open311';
import { Open311Controller } from './open311.controller';
import { Open311NotFoundController } from './open311-not-found.controller';

/**
 * Open311 GeoReport v2 under /open311/v2, and the API keys it checks. Reports go through the one
 * intake path, so this module imports the intake's own WorkflowModule and ReportsModule (the same
 * module objects, hence the same services, report batches and outbox relay):
 * `imports: [workflow, reports, Open311Module.forRoot(workflow, reports)]`.
 */
@Module({})
export class Open311Module {
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
}
