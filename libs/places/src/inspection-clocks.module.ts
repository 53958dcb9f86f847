import { DynamicModule, Module } from '@nestjs/common';
import { DutyClockService } from './duty/duty-clock.service';
import { InspectionClockService } from './plans/inspection-clock.service';

/**
 * The clocks of inspection plans and duty shifts alone, for the dispatcher (which reports no case):
 * `InspectionClocksModule.forRoot(workflow)` with the process's own WorkflowModule.
 */
@Module({})
export class InspectionClocksModule {
  static forRoot(workflow: DynamicModule): DynamicModule {
    return {
      module: InspectionClocksModule,
      imports: [workflow],
      providers: [InspectionClockService, DutyClockService],
      exports: [InspectionClockService, DutyClockService],
    };
  }
}
