import { AppError, type ErrorKind, type FieldProblem } from '@wangge/operations';

/** Why a campaign request was refused. */
export type CampaignErrorCode = 'not_found' | 'bad_input' | 'unknown_place' | 'unknown_person' | 'unknown_milestone' | 'unknown_media' | 'forbidden' | 'duplicate_item';

export const CAMPAIGN_ERROR_KIND: Readonly<Record<CampaignErrorCode, ErrorKind>> = {
  not_found: 'not_found',
  bad_input: 'invalid',
  unknown_place: 'unprocessable',
  unknown_person: 'unprocessable',
  unknown_milestone: 'unprocessable',
  unknown_media: 'unprocessable',
  forbidden: 'forbidden',
  duplicate_item: 'conflict',
};

/** A refused campaign request: a stable code, a message in English and Chinese, the fields at fault. */
export class CampaignError extends AppError<CampaignErrorCode> {
  constructor(code: CampaignErrorCode, message: string, details?: FieldProblem[]) {
    super(code, CAMPAIGN_ERROR_KIND[code], message, { details });
  }

  static badInput(field: string, problem: string): CampaignError {
    return new CampaignError('bad_input', `${field}: ${problem}`, [{ field, problem }]);
  }

  static field(code: CampaignErrorCode, field: string, problem: string, zh: string): CampaignError {
    return new CampaignError(code, `${field}: ${problem} / ${zh}`, [{ field, problem }]);
  }
}
