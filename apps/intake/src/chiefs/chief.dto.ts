import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { NoHtml } from '@wangge/operations';
import type { ChiefLevel } from '@wangge/domain';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ChiefQueryDto {
  @ApiPropertyOptional({ enum: [1, 2, 3] })
  @IsOptional()
  @Type(() => Number)
  @IsIn([1, 2, 3], { message: 'level must be 1, 2 or 3' })
  level?: ChiefLevel;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'available must be true or false' })
  available?: boolean;

  @ApiPropertyOptional({ example: '410104001' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'street must be a 9-digit street code' })
  street?: string;
}

export class UpdateChiefDto {
  @ApiPropertyOptional({ description: 'false while on leave: routing goes to the deputy or the next level up' })
  @ValidateIf((_o, v) => v !== undefined)
  @IsBoolean({ message: 'available must be true or false' })
  available?: boolean;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(200)
  @NoHtml()
  unavailableReason?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'id of the road chief who stands in' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  deputyId?: number | null;
}
