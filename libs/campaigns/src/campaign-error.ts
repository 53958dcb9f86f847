import { AppError, type ErrorKind, type FieldProblem } from '@wangge/operations';

/** Why a campaign request was refused. */
export type CampaignErrorCode =
  | 'not_found'
  | 'bad_input'
  | 'unknown_place'
  | 'unknown_person'
  | 'unknown_milestone'
  | 'unknown_media'
  | 'forbidden'
  | 'duplicate_item'
  | 'campaign_ended'
  | 'item_withdrawn'
  | 'milestone_done';

export const CAMPAIGN_ERROR_KIND: Readonly<Record<CampaignErrorCode, ErrorKind>> = {
  not_found: 'not_found',
  bad_input: 'invalid',
  unknown_place: 'unprocessable',
  unknown_person: 'unprocessable',
  unknown_milestone: 'unprocessable',
  unknown_media: 'unprocessable',
  forbidden: 'forbidden',
  duplicate_item: 'conflict',
  campaign_ended: 'conflict',
  item_withdrawn: 'conflict',
  milestone_done: 'conflict',
};

/** A refused campaign request: a stable code, a message in English and Chinese, the fields at fault. */
export class CampaignError extends AppError<CampaignErrorCode> {
  constructor(code: CampaignErrorCode, message: string, details?: FieldProblem[]) {
    super(code, CAMPAIGN_ERROR_KIND[code], message, { details });
  }

  static badInput(field: string, problem: string): CampaignError {
    return new CampaignError('bad_input', `${field}: ${problem}`, [{ field, problem }]);
  }

  /** The campaign is completed or cancelled: it takes no more items, progress or changes. */
  static ended(campaign: { id: string; state: string }): CampaignError {
    return new CampaignError('campaign_ended', `campaign ${campaign.id} is ${campaign.state}: it takes no more changes / 专项行动已结束，不再接受变更`);
  }

  static field(code: CampaignErrorCode, field: string, problem: string, zh: string): CampaignError {
    return new CampaignError(code, `${field}: ${problem} / ${zh}`, [{ field, problem }]);
  }
}

/** Refuses a change of an item whose campaign has ended (409 `campaign_ended`) or that was withdrawn (409 `item_withdrawn`). */
export function refuseUnlessOpen(row: { id: string; campaign_id: string; campaign_state: string; withdrawn_at: Date | null }): void {
  if (row.campaign_state !== 'active') throw CampaignError.ended({ id: row.campaign_id, state: row.campaign_state });
  if (row.withdrawn_at !== null) throw new CampaignError('item_withdrawn', `item ${row.id} was withdrawn from the ledger / 该条目已撤出台账`);
}
