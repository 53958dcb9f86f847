import { DynamicModule, Module } from '@nestjs/common';
import { FieldFormulaService } from '@wangge/places';
import { CampaignFiguresService } from './campaign-figures.service';
import { CampaignMaintenanceService } from './campaign-maintenance.service';
import { CampaignProgressService } from './campaign-progress.service';
import { CampaignReads } from './campaign-reads';
import { CampaignService } from './campaign.service';
import { CampaignLedgerService } from './ledger/campaign-ledger.service';
import { MilestoneClockService } from './milestone-clock.service';
import { OutboxHint } from './outbox-hint';

/**
 * What the dispatcher and the bulletins need of campaigns (milestone timers, figures), on the
 * process's own WorkflowModule (clock, the Redis keys of its outbox hints): `CampaignClocksModule.forRoot(workflow)`.
 */
@Module({})
export class CampaignClocksModule {
  static forRoot(workflow: DynamicModule): DynamicModule {
    return {
      module: CampaignClocksModule,
      imports: [workflow],
      providers: [OutboxHint, MilestoneClockService, CampaignFiguresService, FieldFormulaService],
      exports: [OutboxHint, MilestoneClockService, CampaignFiguresService],
    };
  }
}

/**
 * Campaigns over HTTP's services: items are places, read through the process's PlacesModule:
 * `CampaignsModule.forRoot(workflow, places)`.
 */
@Module({})
export class CampaignsModule {
  static forRoot(workflow: DynamicModule, places: DynamicModule): DynamicModule {
    return {
      module: CampaignsModule,
      imports: [workflow, places, CampaignClocksModule.forRoot(workflow)],
      providers: [CampaignReads, CampaignService, CampaignProgressService, CampaignMaintenanceService, CampaignLedgerService],
      exports: [CampaignReads, CampaignService, CampaignProgressService, CampaignMaintenanceService, CampaignLedgerService, CampaignClocksModule],
    };
  }
}
