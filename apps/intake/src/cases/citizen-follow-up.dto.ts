import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { NoHtml } from '@wangge/operations';

/** The tracking token a report answered with: required on the reporter's follow-up. */
export class RequiredTrackingQueryDto {
  @ApiProperty({ description: 'the tracking token the report answered with / 查询码' })
  @IsDefined({ message: 'trackingToken is required' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{16,64}$/, { message: 'trackingToken is not a tracking token' })
  trackingToken: string;
}

/** `POST /api/v1/cases/:id/feedback?trackingToken=` (满意度评价, after close). */
export class FeedbackDto {
  @ApiProperty({ description: 'true: satisfied (满意); false: not fixed (不满意，未解决): within 7 natural days of close it reopens the case once' })
  @IsDefined({ message: 'satisfied is required (true or false)' })
  @IsBoolean({ message: 'satisfied must be true or false' })
  satisfied: boolean;

  @ApiPropertyOptional({ maxLength: 500, example: '井盖还是松的 / the cover still rocks' })
  @IsOptional()
  @IsString()
  @Length(1, 500, { message: 'comment must be 1 to 500 characters' })
  @NoHtml()
  comment?: string;
}

/** `POST /api/v1/cases/:id/updates?trackingToken=` (市民补充: a note and photos). */
export class CitizenUpdateDto {
  @ApiProperty({ maxLength: 1000, example: '今天又冒水了，补一张照片 / water again today, one more photo' })
  @IsDefined({ message: 'note is required' })
  @IsString()
  @Length(1, 1000, { message: 'note must be 1 to 1000 characters' })
  @NoHtml()
  note: string;

  @ApiPropertyOptional({ type: [String], description: 'ids from POST /api/v1/media (at most 6)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6, { message: 'at most 6 photos' })
  @IsUUID('all', { each: true, message: 'each of mediaIds must be a media id (UUID)' })
  mediaIds?: string[];
}

/** `POST /api/v1/cases/:id/updates/:updateId/{approve|reject}`. */
export class UpdateDecisionDto {
  @ApiPropertyOptional({ maxLength: 500, description: 'why (shown to staff only) / 审核意见' })
  @IsOptional()
  @IsString()
  @Length(1, 500, { message: 'reason must be 1 to 500 characters' })
  @NoHtml()
  reason?: string;
}

export const UPDATE_DECISIONS = ['approve', 'reject'] as const;
