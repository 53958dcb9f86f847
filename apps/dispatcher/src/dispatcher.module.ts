import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@wangge/config';
import { processModules } from '@wangge/operations';

/** The dispatcher process: BullMQ workers that route cases and run the clocks. HTTP only for health and metrics. */
@Module({})
export class DispatcherModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DispatcherModule,
      imports: processModules(config, 'dispatcher'),
    };
  }
}
