import { DynamicModule, Module } from '@nestjs/common';
import { ChiefsModule } from '@wangge/chiefs';
import { CLOCK, SYSTEM_CLOCK, type Clock } from '@wangge/clock';
import { CaseEventNotifier } from './case-event-notifier';
import { NotificationChannelService } from './channel.service';
import { NotificationDeliveryService } from './delivery.service';
import { NotificationFanOut } from './fan-out.service';
import { NotificationPreferenceService } from './preference.service';
import { ChannelSender } from './senders/channel-sender';

/** Notifications for a process: intake (channels, preferences, the delivery list) and the dispatcher (fan-out, delivery, case events). */
@Module({})
export class NotificationsModule {
  /** With the process's WorkflowModule, whose outbox relay is woken after each commit that wrote outbox rows. */
  static forRoot(workflow: DynamicModule, options: { clock?: Clock } = {}): DynamicModule {
    const services = [NotificationChannelService, NotificationPreferenceService, NotificationDeliveryService, NotificationFanOut, CaseEventNotifier, ChannelSender];
    return {
      module: NotificationsModule,
      imports: [ChiefsModule, workflow],
      providers: [{ provide: CLOCK, useValue: options.clock ?? SYSTEM_CLOCK }, ...services],
      exports: services,
    };
  }
}
