import { DynamicModule, Module } from '@nestjs/common';
import type { Clock } from '@wangge/clock';
import { NotificationsModule } from '@wangge/notifications';
import { NotificationChannelsController, NotificationDeliveriesController } from './admin-notifications.controller';
import { MyNotificationsController } from './my-notifications.controller';

/** Notifications over HTTP: the admin's channels and deliveries, everyone's own notifications. */
@Module({})
export class NotificationsHttpModule {
  static forRoot(workflow: DynamicModule, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: NotificationsHttpModule,
      imports: [NotificationsModule.forRoot(workflow, options)],
      controllers: [NotificationChannelsController, NotificationDeliveriesController, MyNotificationsController],
    };
  }
}
