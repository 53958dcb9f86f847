import { DynamicModule, Module } from '@nestjs/common';
import { CLOCK, SYSTEM_CLOCK, type Clock } from '@wangge/clock';
import { EvaluationModule } from '@wangge/evaluation';
import { OverdueCasesQuery, RecurrenceHotspotsService } from '@wangge/workflow';
import { BulletinService } from './bulletin.service';

/**
 * Bulletins for a process: intake (reads, downloads, regeneration) and the dispatcher (the
 * scheduled runs). `forRoot({ clock })` injects the clock (tests move a ManualClock).
 */
@Module({})
export class BulletinsModule {
  static forRoot(options: { clock?: Clock } = {}): DynamicModule {
    const clock = { provide: CLOCK, useValue: options.clock ?? SYSTEM_CLOCK };
    return {
      module: BulletinsModule,
      imports: [EvaluationModule.forRoot({ clock: options.clock })],
      // The workflow's case reads it needs (DataSource only, so provided here without the workflow's module).
      providers: [clock, BulletinService, OverdueCasesQuery, RecurrenceHotspotsService],
      exports: [BulletinService, RecurrenceHotspotsService],
    };
  }
}
