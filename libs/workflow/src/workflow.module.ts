import { DynamicModule, Module } from '@nestjs/common';
import { GeoModule } from '@wangge/geo';
import { JobsModule } from '@wangge/jobs';
import { ActorService } from './actor.service';
import { BusinessCalendarService } from './business-calendar.service';
import { CaseQueryService } from './case-query.service';
import { CaseReportService } from './case-report.service';
import { CaseWorkflowService } from './case-workflow.service';
import { IdempotencyKeyPurger } from './idempotency-key.purger';
import { OUTBOX_RELAY_OPTIONS, OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay.service';

/** Cases: reports in, the closed loop, reads, and the outbox relay that hands work to the queues. */
@Module({})
export class WorkflowModule {
  static forRoot(relay: OutboxRelayOptions): DynamicModule {
    return {
      module: WorkflowModule,
      imports: [GeoModule, JobsModule.forRoot('producer')],
      providers: [
        { provide: OUTBOX_RELAY_OPTIONS, useValue: relay },
        ActorService,
        BusinessCalendarService,
        CaseQueryService,
        CaseReportService,
        CaseWorkflowService,
        IdempotencyKeyPurger,
        OutboxRelay,
      ],
      exports: [ActorService, BusinessCalendarService, CaseQueryService, CaseReportService, CaseWorkflowService, OutboxRelay],
    };
  }
}
