import type { Clock } from '@wangge/clock';
import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@wangge/audit';
import { AuthModule, DemoPasswordCheck } from '@wangge/auth';
import { CatalogueModule } from '@wangge/catalogue';
import { ChiefsModule } from '@wangge/chiefs';
import { EvaluationModule } from '@wangge/evaluation';
import type { AppConfig } from '@wangge/config';
import { GeoModule } from '@wangge/geo';
import { processModules } from '@wangge/startup';
import { CampaignsModule } from '@wangge/campaigns';
import { PlacesModule } from '@wangge/places';
import { ReportsModule } from '@wangge/reports';
import { WorkflowModule } from '@wangge/workflow';
import { AdminModule } from './admin/admin.module';
import { NotificationsHttpModule } from './notifications/notifications-http.module';
import { ApiKeysController } from './admin/api-keys.controller';
import { JobsController } from './admin/jobs.controller';
import { Open311Module } from './open311/open311.module';
import { AuthController } from './auth/auth.controller';
import { BulletinsHttpModule } from './bulletins/bulletins-http.module';
import { CategoriesController } from './catalogue/categories.controller';
import { ChiefsController } from './chiefs/chiefs.controller';
import { DepartmentsReadController } from './chiefs/departments.controller';
import { GeoController } from './geo/geo.controller';
import { ImportModule } from './import/import.module';
import { CaseController } from './cases/case.controller';
import { CitizenFollowUpController } from './cases/citizen-follow-up.controller';
import { LeaderOrdersController } from './cases/leader-orders.controller';
import { DutyController } from './cases/duty.controller';
import { ReportMetrics } from './cases/report.metrics';
import { MediaHttpModule } from './media/media-http.module';
import { AppealsController } from './evaluation/appeals.controller';
import { EvaluationController } from './evaluation/evaluation.controller';
import { ConsoleModule } from './console/console.module';
import { ThrottlingModule } from './throttling/throttling.module';
import { PlacesController } from './places/places.controller';
import { InspectionPlansController } from './places/inspection-plans.controller';
import { CampaignsController } from './campaigns/campaigns.controller';

/** The intake process: the REST API, Open311 and the web console. */
@Module({})
export class IntakeModule {
  static forRoot(config: AppConfig, options: { clock?: Clock } = {}): DynamicModule {
    // One instance of each shared with Open311 (Nest keys dynamic modules by object).
    const workflow = WorkflowModule.forRoot({ enabled: true }, { clock: options.clock });
    const reports = ReportsModule.forRoot(workflow);
    const places = PlacesModule.forRoot(workflow, reports);
    const campaigns = CampaignsModule.forRoot(workflow, places);
    return {
      module: IntakeModule,
      imports: [
        ...processModules(config, 'intake'),
        AuthModule,
        // After AuthModule: its guard runs after the auth guard and knows the caller.
        ThrottlingModule,
        AuditModule,
        GeoModule,
        CatalogueModule,
        ChiefsModule,
        ImportModule.forRoot(workflow),
        workflow,
        reports,
        places,
        campaigns,
        MediaHttpModule,
        Open311Module.forRoot(workflow, reports),
        BulletinsHttpModule.forRoot(workflow, campaigns),
        EvaluationModule,
        AdminModule.forRoot(workflow),
        NotificationsHttpModule.forRoot(workflow, { clock: options.clock }),
        ConsoleModule.forRoot(),
      ],
      // In production, no start while an account has a demo password.
      providers: [ReportMetrics, DemoPasswordCheck],
      controllers: [
        LeaderOrdersController,
        CitizenFollowUpController,
        CaseController,
        DutyController,
        ApiKeysController,
        JobsController,
        AuthController,
        GeoController,
        CategoriesController,
        ChiefsController,
        DepartmentsReadController,
        EvaluationController,
        AppealsController,
        // Before PlacesController: its `inspections/:id` would take `inspections/evaluation`.
        InspectionPlansController,
        PlacesController,
        CampaignsController,
      ],
    };
  }
}
