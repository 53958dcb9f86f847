import { DynamicModule, Module } from '@nestjs/common';
import { CLOCK, SYSTEM_CLOCK, type Clock } from '@wangge/clock';
import { EvaluationModule } from '@wangge/evaluation';
import { GeoModule } from '@wangge/geo';
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
      imports: [EvaluationModule.forRoot({ clock: options.clock }), GeoModule],
      providers: [clock, BulletinService],
      exports: [BulletinService, GeoModule],
    };
  }
}
