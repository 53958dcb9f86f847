import { Inject, Injectable } from '@nestjs/common';
import type { CasePrincipal } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { CampaignReads } from '../campaign-reads';
import type { CampaignLedger, LedgerRow } from '../campaign.types';

/** The ledger (台账) of a campaign: one row per item the caller sees (JSON; the CSV and XLSX are made from it). */
@Injectable()
export class CampaignLedgerService {
  constructor(
    @Inject(CampaignReads) private readonly reads: CampaignReads,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async ledger(campaignId: string, p: CasePrincipal): Promise<CampaignLedger> {
    const detail = await this.reads.get(campaignId, p);
    const milestones = detail.milestones.map((ms) => ({ code: ms.code, name: ms.name }));
    for (const ms of detail.items.flatMap((i) => i.milestones)) if (!milestones.some((c) => c.code === ms.code)) milestones.push({ code: ms.code, name: ms.name });
    const rows: LedgerRow[] = detail.items.map((i) => ({
      itemId: i.id,
      place: i.place.name,
      placeKind: i.place.kind,
      street: i.street.code,
      owner: i.owner.name,
      state: i.state,
      percent: i.percent,
      milestones: Object.fromEntries(
        milestones.map((c) => {
          const ms = i.milestones.find((x) => x.code === c.code);
          return [c.code, ms ? { dueAt: ms.dueAt, doneAt: ms.doneAt, state: ms.state } : null];
        }),
      ),
      lastProgressAt: i.lastProgress?.at ?? null,
      lastProgressNote: i.lastProgress?.note ?? null,
      lastProgressBy: i.lastProgress?.by.name ?? null,
      withdrawnAt: i.withdrawn?.at ?? null,
      withdrawnReason: i.withdrawn?.reason ?? null,
    }));
    return {
      campaign: { id: detail.id, name: detail.name, kind: detail.kind, from: detail.from, to: detail.to, owner: detail.owner.name, state: detail.state, endedAt: detail.ended?.at ?? null },
      generatedAt: this.clock.now().toISOString(),
      milestones,
      rows,
    };
  }
}
