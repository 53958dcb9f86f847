import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { NoHtml } from '@wangge/operations';
import { CHANNEL_KINDS, DELIVERY_STATUSES, NOTIFICATION_EVENTS, type ChannelKind, type DeliveryStatus } from '@wangge/notifications';

const STREET = /^[0-9]{9}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const EVENTS_MESSAGE = `events must be a list of ${NOTIFICATION_EVENTS.join(', ')}`;

export class CreateChannelDto {
  @ApiProperty({ enum: CHANNEL_KINDS })
  @IsIn(CHANNEL_KINDS, { message: `kind must be one of ${CHANNEL_KINDS.join(', ')}` })
  kind: ChannelKind;

  @ApiPropertyOptional({ example: '市政值班群', description: 'a name to tell channels apart (default: the kind and host)' })
  @IsOptional()
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @NoHtml()
  name?: string;

  @ApiProperty({ example: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…', description: 'the URL (webhook, WeCom, DingTalk robot) or email address' })
  @IsString({ message: 'target must be text' })
  @Length(3, 2000, { message: 'target must be 3-2000 characters' })
  target: string;

  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true })
  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(NOTIFICATION_EVENTS.length * 2, { message: EVENTS_MESSAGE })
  @IsIn(NOTIFICATION_EVENTS, { each: true, message: EVENTS_MESSAGE })
  events: string[];

  @ApiPropertyOptional({ example: '410104001', description: "only this street's notifications; absent: the whole district" })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(STREET, { message: 'streetCode must be a 9-digit street code' })
  streetCode?: string | null;

  @ApiPropertyOptional({ description: 'webhook: the HMAC key of X-Wangge-Signature (required); DingTalk: the robot\'s 加签 secret. Never shown again.' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'secret must be text' })
  @Length(8, 200, { message: 'secret must be 8-200 characters' })
  secret?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

export class UpdateChannelDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @NoHtml()
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'target must be text' })
  @Length(3, 2000, { message: 'target must be 3-2000 characters' })
  target?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_EVENTS, isArray: true })
  @IsOptional()
  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(NOTIFICATION_EVENTS.length * 2, { message: EVENTS_MESSAGE })
  @IsIn(NOTIFICATION_EVENTS, { each: true, message: EVENTS_MESSAGE })
  events?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(STREET, { message: 'streetCode must be a 9-digit street code' })
  streetCode?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'secret must be text' })
  @Length(8, 200, { message: 'secret must be 8-200 characters' })
  secret?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

export class DeliveryQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: '`failed`: failed and dead (out of attempts)' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'the deliveries of one channel' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'channel must be a channel id (UUID)' })
  channel?: string;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be 1-500' })
  @Max(500, { message: 'limit must be 1-500' })
  limit?: number;
}

export class QuietHoursDto {
  @ApiProperty({ example: '22:00' })
  @Matches(HH_MM, { message: 'quietHours.from must be a local time HH:MM, e.g. 22:00' })
  from: string;

  @ApiProperty({ example: '07:00' })
  @Matches(HH_MM, { message: 'quietHours.to must be a local time HH:MM, e.g. 07:00' })
  to: string;
}

export class MyNotificationsDto {
  @ApiPropertyOptional({ enum: NOTIFICATION_EVENTS, isArray: true, description: 'the events I take (inbox and email)' })
  @IsOptional()
  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMaxSize(NOTIFICATION_EVENTS.length * 2, { message: EVENTS_MESSAGE })
  @IsIn(NOTIFICATION_EVENTS, { each: true, message: EVENTS_MESSAGE })
  events?: string[];

  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true, description: 'email held from `from` until `to` (district local time); null: none' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsObject({ message: 'quietHours must be {from, to} or null' })
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;

  @ApiPropertyOptional({ example: 'zhang.wei@example.cn', nullable: true, description: 'where my notifications are emailed; null: inbox only' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null && v !== '')
  @IsString({ message: 'email must be an email address' })
  @MaxLength(200, { message: 'email must be at most 200 characters' })
  @Matches(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, { message: 'email must be an email address' })
  email?: string | null;
}

export class MarkReadDto {
  @ApiPropertyOptional({ type: [String], description: 'the entries to mark read; absent: all' })
  @IsOptional()
  @IsArray({ message: 'ids must be a list of entry ids' })
  @ArrayMaxSize(500, { message: 'ids must hold at most 500 entries' })
  @Matches(/^[0-9]{1,18}$/, { each: true, message: 'ids must be entry ids' })
  ids?: string[];
}
