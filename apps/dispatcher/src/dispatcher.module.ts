import { DynamicModule, Module, type Type } from '@nestjs/common';
import { BulletinsModule } from '@wangge/bulletins';
import { CampaignClocksModule, CampaignFiguresService } from '@wangge/campaigns';
import type { Clock } from '@wangge/clock';
import type { AppConfig } from '@wangge/config';
import { QueueName } from '@wangge/jobs';
import { MediaModule } from '@wangge/media';
import { NotificationsModule } from '@wangge/notifications';
import { processModules } from '@wangge/startup';
import { InspectionClocksModule } from '@wangge/places';
import { WorkflowModule } from '@wangge/workflow';
import { BulletinSchedules } from './bulletins/bulletin-schedules';
import { InspectionSweeper } from './clocks/inspection-sweeper';
import { MilestoneSweeper } from './clocks/milestone-sweeper';
import { StageSweeper } from './clocks/stage-sweeper';
import { TimerSweeper } from './clocks/timer-sweeper';
import { CheckDeadlineHandler } from './jobs/check-deadline.handler';
import { CheckMilestoneHandler } from './jobs/check-milestone.handler';
import { CheckStageHandler } from './jobs/check-stage.handler';
import { CheckDutyShiftHandler } from './jobs/check-duty-shift.handler';
import { CheckInspectionDueHandler } from './jobs/check-inspection-due.handler';
import { ForeignJobsCensus } from './jobs/foreign-jobs.census';
import { JOB_HANDLERS, JobHandlerRegistry, type JobHandler } from './jobs/job-handler';
import { PublishDailySummaryHandler, PublishWeeklyBulletinHandler } from './jobs/publish-bulletins.handler';
import { QueueMetrics } from './jobs/queue.metrics';
import { PurgeOrphanMediaHandler } from './jobs/purge-orphan-media.handler';
import { BulletinsProcessor, ClocksProcessor, MaintenanceProcessor, NotificationsProcessor, RoutingProcessor } from './jobs/queue.processors';
import { RouteCaseHandler } from './jobs/route-case.handler';
import { RerouteCaseHandler } from './jobs/reroute-case.handler';
import { OrphanMediaSchedule } from './media/orphan-media-schedule';
import { CheckDueSoonHandler, DeliverNotificationHandler, FanOutNotificationHandler } from './notifications/notification.handlers';
import { CaseEventNotifications, DeliverySweeper } from './notifications/notification-sweeps';

/** Every job's handler (the registry fails at boot if a job has none, or two). */
const JOB_HANDLER_CLASSES = [
  RouteCaseHandler,
  RerouteCaseHandler,
  CheckDeadlineHandler,
  CheckStageHandler,
  CheckInspectionDueHandler,
  CheckDutyShiftHandler,
  CheckMilestoneHandler,
  PublishDailySummaryHandler,
  PublishWeeklyBulletinHandler,
  PurgeOrphanMediaHandler,
  FanOutNotificationHandler,
  DeliverNotificationHandler,
  CheckDueSoonHandler,
];

/**
 * What working a queue takes: its consumer and the sweeps and schedules that feed it. A process
 * works the queues DISPATCHER_QUEUES names; every handler is registered in each, as a job may be
 * retried or swept by whichever process works its queue.
 */
const QUEUE_WORK: Readonly<Record<QueueName, readonly Type<unknown>[]>> = {
  [QueueName.Routing]: [RoutingProcessor],
  [QueueName.Clocks]: [ClocksProcessor, TimerSweeper, StageSweeper, InspectionSweeper, MilestoneSweeper],
  [QueueName.Bulletins]: [BulletinsProcessor, BulletinSchedules],
  [QueueName.Maintenance]: [MaintenanceProcessor, OrphanMediaSchedule],
  [QueueName.Notifications]: [NotificationsProcessor, CaseEventNotifications, DeliverySweeper],
};

export interface DispatcherOptions {
  /** Tests move time with a ManualClock. */
  clock?: Clock;
}

/** The dispatcher process: BullMQ workers that route cases and run the clocks. HTTP only for health and metrics. */
@Module({})
export class DispatcherModule {
  static forRoot(config: AppConfig, options: DispatcherOptions = {}): DynamicModule {
    const workflow = WorkflowModule.forRoot({ enabled: true }, { queueRole: 'worker', clock: options.clock });
    const campaigns = CampaignClocksModule.forRoot(workflow);
    return {
      module: DispatcherModule,
      imports: [
        ...processModules(config, 'dispatcher'),
        // The dispatcher relays outbox rows too (safe beside intake's relay), so its own next steps
        // flow even while intake is down.
        workflow,
        InspectionClocksModule.forRoot(workflow),
        campaigns,
        // Campaigns add their figures to the bulletins (a section bulletins declare; campaigns stand above them).
        BulletinsModule.forRoot({ clock: options.clock, contributors: { imports: [campaigns], inject: [CampaignFiguresService] } }),
        MediaModule,
        NotificationsModule.forRoot(workflow, { clock: options.clock }),
      ],
      providers: [
        ...JOB_HANDLER_CLASSES,
        { provide: JOB_HANDLERS, inject: [...JOB_HANDLER_CLASSES], useFactory: (...handlers: JobHandler[]) => handlers },
        { provide: JobHandlerRegistry, inject: [JOB_HANDLERS], useFactory: (handlers: JobHandler[]) => new JobHandlerRegistry(handlers) },
        ...config.dispatcherQueues.flatMap((queue) => QUEUE_WORK[queue as QueueName]),
        QueueMetrics,
        ForeignJobsCensus,
      ],
    };
  }
}
