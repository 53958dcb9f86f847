import { DynamicModule, Module } from '@nestjs/common';
import { BulletinsModule } from '@wangge/bulletins';
import type { Clock } from '@wangge/clock';
import type { AppConfig } from '@wangge/config';
import { MediaModule } from '@wangge/media';
import { NotificationsModule } from '@wangge/notifications';
import { processModules } from '@wangge/startup';
import { WorkflowModule } from '@wangge/workflow';
import { BulletinSchedules } from './bulletins/bulletin-schedules';
import { StageSweeper } from './clocks/stage-sweeper';
import { TimerSweeper } from './clocks/timer-sweeper';
import { CheckDeadlineHandler } from './jobs/check-deadline.handler';
import { CheckStageHandler } from './jobs/check-stage.handler';
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

export interface DispatcherOptions {
  /** Tests move time with a ManualClock. */
  clock?: Clock;
}

/** The dispatcher process: BullMQ workers that route cases and run the clocks. HTTP only for health and metrics. */
@Module({})
export class DispatcherModule {
  static forRoot(config: AppConfig, options: DispatcherOptions = {}): DynamicModule {
    // The dispatcher relays outbox rows too (safe beside intake's relay), so its own next steps
    // flow even while intake is down.
    const workflow = WorkflowModule.forRoot({ enabled: true }, { queueRole: 'worker', clock: options.clock });
    return {
      module: DispatcherModule,
      imports: [
        ...processModules(config, 'dispatcher'),
        workflow,
        BulletinsModule.forRoot({ clock: options.clock }),
        MediaModule,
        NotificationsModule.forRoot(workflow, { clock: options.clock }),
      ],
      providers: [
        RouteCaseHandler,
        RerouteCaseHandler,
        CheckDeadlineHandler,
        CheckStageHandler,
        PublishDailySummaryHandler,
        PublishWeeklyBulletinHandler,
        PurgeOrphanMediaHandler,
        FanOutNotificationHandler,
        DeliverNotificationHandler,
        CheckDueSoonHandler,
        {
          provide: JOB_HANDLERS,
          inject: [
            RouteCaseHandler,
            RerouteCaseHandler,
            CheckDeadlineHandler,
            CheckStageHandler,
            PublishDailySummaryHandler,
            PublishWeeklyBulletinHandler,
            PurgeOrphanMediaHandler,
            FanOutNotificationHandler,
            DeliverNotificationHandler,
            CheckDueSoonHandler,
          ],
          useFactory: (...handlers: JobHandler[]) => handlers,
        },
        { provide: JobHandlerRegistry, inject: [JOB_HANDLERS], useFactory: (handlers: JobHandler[]) => new JobHandlerRegistry(handlers) },
        RoutingProcessor,
        ClocksProcessor,
        BulletinsProcessor,
        MaintenanceProcessor,
        NotificationsProcessor,
        CaseEventNotifications,
        DeliverySweeper,
        TimerSweeper,
        StageSweeper,
        BulletinSchedules,
        OrphanMediaSchedule,
        QueueMetrics,
        ForeignJobsCensus,
      ],
    };
  }
}
