import { Module, type DynamicModule } from '@nestjs/common';
import { BulletinsModule } from '@wangge/bulletins';
import { CampaignFiguresService } from '@wangge/campaigns';
import { BulletinsController } from './bulletins.controller';
import { HotspotsController } from './hotspots.controller';

/**
 * Bulletins and the hotspot map layer over HTTP. Imports the intake's own WorkflowModule (callers'
 * jurisdiction, time zone, clock): `imports: [workflow, BulletinsHttpModule.forRoot(workflow, campaigns)]` (campaigns: the process's CampaignsModule, whose figures the bulletins carry).
 */
@Module({})
export class BulletinsHttpModule {
  static forRoot(workflow: DynamicModule, campaigns: DynamicModule): DynamicModule {
    return {
      module: BulletinsHttpModule,
      // Campaigns add their figures to a regenerated bulletin, as to the dispatcher's scheduled ones.
      imports: [workflow, BulletinsModule.forRoot({ contributors: { imports: [campaigns], inject: [CampaignFiguresService] } })],
      controllers: [BulletinsController, HotspotsController],
    };
  }
}
