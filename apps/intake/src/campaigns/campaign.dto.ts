import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CAMPAIGN_STATES, type CampaignGroupBy, type CampaignState } from '@wangge/campaigns';
import { NoHtml } from '@wangge/operations';
import { VersionedPeriodQueryDto } from '../evaluation/evaluation.dto';

export class MilestoneDto {
  @ApiProperty({ example: 'survey', description: 'unique in the campaign: letters, digits, _ . -' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'code must be 1 to 40 letters, digits, _ . -' })
  code: string;

  @ApiProperty({ example: '摸清底数' })
  @IsString()
  @Length(1, 100)
  @NoHtml()
  name: string;

  @ApiProperty({ example: '2026-12-15T18:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: 'dueAt must be an ISO 8601 date-time' })
  dueAt: string;
}

/** `POST /api/v1/campaigns` (domain.md 8). */
export class CreateCampaignDto {
  @ApiProperty({ example: '市场外迁' })
  @IsString()
  @Length(1, 200)
  @NoHtml()
  name: string;

  @ApiProperty({ example: 'market_relocation', description: 'the kind of campaign (扬尘治理, 市场外迁, 四乱整治…), free text' })
  @IsString()
  @Length(1, 60)
  @NoHtml()
  kind: string;

  @ApiProperty({ example: '2026-12-01T00:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from: string;

  @ApiProperty({ example: '2026-12-31T24:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to: string;

  @ApiProperty({ description: 'the leader who owns the campaign (app_user id)' })
  @IsUUID('all', { message: 'ownerId must be a user id (UUID)' })
  ownerId: string;

  @ApiPropertyOptional({ type: [MilestoneDto], description: 'the milestones every item gets unless it names its own' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  milestones?: MilestoneDto[];
}

/** `POST /api/v1/campaigns/:id/items`. */
export class CreateCampaignItemDto {
  @ApiProperty({ description: 'a place (POST /api/v1/places)' })
  @IsUUID('all', { message: 'placeId must be a place id (UUID)' })
  placeId: string;

  @ApiProperty({ description: 'who answers for the item (分包领导/责任人; app_user id)' })
  @IsUUID('all', { message: 'ownerId must be a user id (UUID)' })
  ownerId: string;

  @ApiPropertyOptional({ type: [MilestoneDto], description: 'default: the campaign’s milestones' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  milestones?: MilestoneDto[];
}

/** `POST /api/v1/campaigns/:id/items/:itemId/progress`. */
export class CampaignProgressDto {
  @ApiPropertyOptional({ example: 'survey', description: 'the milestone the report is about' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'milestoneCode must be a milestone code' })
  milestoneCode?: string;

  @ApiPropertyOptional({ description: 'the milestone is done (needs milestoneCode)' })
  @IsOptional()
  @IsBoolean({ message: 'done must be true or false' })
  done?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt({ message: 'percent must be a whole number 0 to 100' })
  @Min(0, { message: 'percent must be a whole number 0 to 100' })
  @Max(100, { message: 'percent must be a whole number 0 to 100' })
  percent?: number;

  @ApiProperty({ example: '已完成摸底，登记商户 42 户' })
  @IsDefined({ message: 'note is required' })
  @IsString()
  @Length(1, 2000)
  @NoHtml()
  note: string;

  @ApiPropertyOptional({ type: [String], description: 'evidence photos: ids from POST /api/v1/media' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsUUID('all', { each: true, message: 'each of mediaIds must be a media id (UUID)' })
  mediaIds?: string[];
}

export const CAMPAIGN_GROUP_BY: readonly CampaignGroupBy[] = ['owner', 'street', 'campaign'];

/** `GET /api/v1/campaigns/evaluation`. */
export class CampaignEvaluationQueryDto extends VersionedPeriodQueryDto {
  @ApiProperty({ enum: CAMPAIGN_GROUP_BY })
  @IsDefined({ message: 'groupBy is required' })
  @IsIn(CAMPAIGN_GROUP_BY, { message: `groupBy must be one of ${CAMPAIGN_GROUP_BY.join(', ')}` })
  groupBy: CampaignGroupBy;
}

/** `PATCH /api/v1/campaigns/:id`: what is given changes; ending the campaign needs a note. */
export class UpdateCampaignDto {
  @ApiPropertyOptional({ example: '市场外迁（二期）' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  @NoHtml()
  name?: string;

  @ApiPropertyOptional({ example: '2027-03-31T24:00:00+08:00', description: 'a new end' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @ApiPropertyOptional({ description: 'a new owner (app_user id)' })
  @IsOptional()
  @IsUUID('all', { message: 'ownerId must be a user id (UUID)' })
  ownerId?: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_STATES, description: 'completed or cancelled ends the campaign (with a note); an ended campaign takes no more changes' })
  @IsOptional()
  @IsIn(CAMPAIGN_STATES, { message: `state must be one of ${CAMPAIGN_STATES.join(', ')}` })
  state?: CampaignState;

  @ApiPropertyOptional({ example: '市场已全部外迁', description: 'why the campaign ends (required with state completed or cancelled)' })
  @IsOptional()
  @IsString()
  @Length(1, 2000, { message: 'note must be 1 to 2000 characters' })
  @NoHtml()
  note?: string;
}

/** `PATCH /api/v1/campaigns/:id/items/:itemId`: a new owner, or withdrawn from the ledger with a reason. */
export class UpdateCampaignItemDto {
  @ApiPropertyOptional({ description: 'a new owner (app_user id): escalations go over the new owner from then on' })
  @IsOptional()
  @IsUUID('all', { message: 'ownerId must be a user id (UUID)' })
  ownerId?: string;

  @ApiPropertyOptional({ enum: [true], description: 'withdraw the item from the ledger (撤出台账; needs reason)' })
  @IsOptional()
  @IsBoolean({ message: 'withdrawn must be true' })
  withdrawn?: boolean;

  @ApiPropertyOptional({ example: '市场已提前关闭' })
  @IsOptional()
  @IsString()
  @Length(1, 2000, { message: 'reason must be 1 to 2000 characters' })
  @NoHtml()
  reason?: string;
}

/** `PATCH /api/v1/campaigns/:id/items/:itemId/milestones/:code`: move a milestone (调整时间节点). */
export class MoveMilestoneDto {
  @ApiProperty({ example: '2027-01-15T18:00:00+08:00' })
  @IsDefined({ message: 'dueAt is required' })
  @IsISO8601({ strict: true }, { message: 'dueAt must be an ISO 8601 date-time' })
  dueAt: string;

  @ApiProperty({ example: '区领导调整时间节点' })
  @IsDefined({ message: 'reason is required' })
  @IsString()
  @Length(1, 2000, { message: 'reason must be 1 to 2000 characters' })
  @NoHtml()
  reason: string;
}
