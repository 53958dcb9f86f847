import { DynamicModule, Module } from '@nestjs/common';
import { GeoModule } from '@wangge/geo';
import { CaseActionKeysService } from './case-action-keys.service';
import { CaseReportService } from './case-report.service';
import { IdempotencyKeyPurger } from './idempotency-key.purger';

/**
 * Report intake for a process that takes reports (intake: REST and Open311). Takes the process's own
 * WorkflowModule (the same module object, hence the same outbox relay, calendar and case store):
 * `const workflow = WorkflowModule.forRoot(...)` then `imports: [workflow, ReportsModule.forRoot(workflow)]`.
 */
@Module({})
export class ReportsModule {
  static forRoot(workflow: DynamicModule): DynamicModule {
    return {
      module: ReportsModule,
      imports: [workflow, GeoModule],
      providers: [CaseReportService, CaseActionKeysService, IdempotencyKeyPurger],
      exports: [CaseReportService, CaseActionKeysService],
    };
  }
}
