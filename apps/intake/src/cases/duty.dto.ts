import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { LngLatDto } from './case.dto';

/** `PATCH /api/v1/me/duty`: the on-duty switch of a warden's (or leader's) phone, with where they are. */
export class DutyDto {
  @ApiProperty({ description: 'on duty (在岗) or not' })
  @IsDefined({ message: 'onDuty is required' })
  @IsBoolean({ message: 'onDuty must be true or false' })
  onDuty: boolean;

  @ApiPropertyOptional({ type: LngLatDto, description: 'where the caller is now (WGS-84); kept as their last known place' })
  @IsOptional()
  @IsObject({ message: 'location must be an object {lng, lat}' })
  @ValidateNested()
  @Type(() => LngLatDto)
  location?: LngLatDto;
}
