import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from '@wangge/auth';
import { CatalogueModule } from '@wangge/catalogue';
import { ChiefsModule } from '@wangge/chiefs';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { GeoModule } from '@wangge/geo';
import { processModules } from '@wangge/operations';
import { WorkflowModule } from '@wangge/workflow';
import { JobsController } from './admin/jobs.controller';
import { UsersController } from './admin/users.controller';
import { AuthController } from './auth/auth.controller';
import { CategoriesController } from './catalogue/categories.controller';
import { ChiefsController } from './chiefs/chiefs.controller';
import { GeoController } from './geo/geo.controller';
import { ImportModule } from './import/import.module';
import { CaseController } from './cases/case.controller';
import { MediaHttpModule } from './media/media-http.module';

/** The intake process: the REST API (and later Open311 and the console). */
@Module({})
export class IntakeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        ...processModules(config, 'intake'),
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          // In memory, per process: reports keep being accepted while Redis is down.
          useFactory: (c: AppConfig) => [
            { name: 'default', ttl: 60_000, limit: 60 },
            { name: 'reports', ttl: 60_000, limit: c.reportRateLimit },
          ],
        }),
        AuthModule,
        GeoModule,
        CatalogueModule,
        ChiefsModule,
        ImportModule,
        WorkflowModule.forRoot({ enabled: true }),
        MediaHttpModule,
      ],
      controllers: [CaseController, JobsController, AuthController, GeoController, CategoriesController, ChiefsController, UsersController],
    };
  }
}
