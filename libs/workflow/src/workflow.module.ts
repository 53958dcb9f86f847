import { DynamicModule, Module } from '@nestjs/common';
import { PeopleModule } from '@wangge/auth';
import { CatalogueModule } from '@wangge/catalogue';
import { ChiefsModule } from '@wangge/chiefs';
import { CLOCK, SYSTEM_CLOCK, type Clock } from '@wangge/clock';
import { GeoModule } from '@wangge/geo';
import { JobsModule } from '@wangge/jobs';
import { ActorService } from './actor.service';
import { BusinessCalendarService } from './business-calendar.service';
import { CaseLimitService } from './case-limit.service';
import { CaseQueryService } from './case-query.service';
import { CaseReportStore } from './case-report.store';
import { CaseWorkflowService } from './case-workflow.service';
import { CaseRoutingService } from './case-routing.service';
import { CaseRelocationService } from './case-relocation.service';
import { CaseClockService } from './case-clock.service';
import { CaseSweepQuery } from './case-sweep.query';
import { OUTBOX_RELAY_OPTIONS, OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay.service';
import { WorkflowMetrics } from './workflow.metrics';
import { CaseOrders } from './orders/case-orders.service';
import { CaseFeedbackService } from './citizens/case-feedback.service';
import { CaseUpdatesService } from './citizens/case-updates.service';
import { CaseStageService } from './stages/case-stages.service';
import { StaffDutyService } from './stages/staff-duty.service';
import { CaseMapLayers } from './reads/case-map-layers.query';
import { OverdueCasesQuery } from './reads/overdue-cases.query';
import { OpenCasesQuery } from './reads/open-cases.query';
import { PublicCaseQuery } from './reads/public-case.query';
import { RecurrenceHotspotsService } from './reads/recurrence-hotspots.query';

/** Case reads for the other libs and the apps (map layers, hotspots, overdue lists, public reads). */
const CASE_READS = [CaseMapLayers, OverdueCasesQuery, OpenCasesQuery, PublicCaseQuery, RecurrenceHotspotsService];

/** Cases: the closed loop (and the case side of reports: CaseReportStore), reads, and the outbox relay that hands work to the queues. */
@Module({})
export class WorkflowModule {
  static forRoot(relay: OutboxRelayOptions, options: { queueRole?: 'producer' | 'worker'; clock?: Clock } = {}): DynamicModule {
    return {
      module: WorkflowModule,
      imports: [GeoModule, PeopleModule, CatalogueModule, ChiefsModule, JobsModule.forRoot(options.queueRole ?? 'producer')],
      providers: [
        { provide: OUTBOX_RELAY_OPTIONS, useValue: relay },
        { provide: CLOCK, useValue: options.clock ?? SYSTEM_CLOCK },
        ActorService,
        BusinessCalendarService,
        CaseLimitService,
        CaseQueryService,
        CaseReportStore,
        CaseWorkflowService,
        CaseRoutingService,
        CaseRelocationService,
        CaseClockService,
        CaseSweepQuery,
        OutboxRelay,
        WorkflowMetrics,
        CaseOrders,
        CaseFeedbackService,
        CaseUpdatesService,
        CaseStageService,
        StaffDutyService,
        ...CASE_READS,
      ],
      exports: [CLOCK, JobsModule, ActorService, BusinessCalendarService, CaseLimitService, CaseQueryService, CaseReportStore, CaseWorkflowService, CaseRoutingService, CaseRelocationService, CaseClockService, CaseSweepQuery, OutboxRelay, CaseOrders, CaseFeedbackService, CaseUpdatesService, CaseStageService, StaffDutyService, ...CASE_READS],
    };
  }
}
