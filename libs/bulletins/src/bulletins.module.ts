import { DynamicModule, Module, type InjectionToken } from '@nestjs/common';
import { CLOCK, SYSTEM_CLOCK, type Clock } from '@wangge/clock';
import { EvaluationModule } from '@wangge/evaluation';
import { OverdueCasesQuery, RecurrenceHotspotsService } from '@wangge/workflow';
import { BULLETIN_CONTRIBUTORS, type BulletinContributor } from './bulletin-contributor';
import { BulletinService } from './bulletin.service';

/** Sections of libs above bulletins: the modules that provide them and their tokens (`BulletinContributor`s). */
export interface BulletinContributors {
  imports: DynamicModule[];
  inject: InjectionToken[];
}

/**
 * Bulletins for a process: intake (reads, downloads, regeneration) and the dispatcher (the
 * scheduled runs). `forRoot({ clock })` injects the clock (tests move a ManualClock).
 */
@Module({})
export class BulletinsModule {
  static forRoot(options: { clock?: Clock; contributors?: BulletinContributors } = {}): DynamicModule {
    const clock = { provide: CLOCK, useValue: options.clock ?? SYSTEM_CLOCK };
    const contributors = {
      provide: BULLETIN_CONTRIBUTORS,
      inject: options.contributors?.inject ?? [],
      useFactory: (...sections: BulletinContributor[]) => sections,
    };
    return {
      module: BulletinsModule,
      imports: [EvaluationModule.forRoot({ clock: options.clock }), ...(options.contributors?.imports ?? [])],
      // The workflow's case reads it needs (DataSource only, so provided here without the workflow's module).
      providers: [clock, contributors, BulletinService, OverdueCasesQuery, RecurrenceHotspotsService],
      exports: [BulletinService, RecurrenceHotspotsService],
    };
  }
}
