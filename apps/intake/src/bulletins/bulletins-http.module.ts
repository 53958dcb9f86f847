import { Module, type DynamicModule } from '@nestjs/common';
import { BulletinsModule } from '@wangge/bulletins';
import { BulletinsController } from './bulletins.controller';
import { HotspotsController } from './hotspots.controller';

/**
 * Bulletins and the hotspot map layer over HTTP. Imports the intake's own WorkflowModule (callers'
 * jurisdiction, time zone, clock): `imports: [workflow, BulletinsHttpModule.forRoot(workflow)]`.
 */
@Module({})
export class BulletinsHttpModule {
  static forRoot(workflow: DynamicModule): DynamicModule {
    return {
      module: BulletinsHttpModule,
      imports: [workflow, BulletinsModule.forRoot()],
      controllers: [BulletinsController, HotspotsController],
    };
  }
}
