import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '@wangge/domain';
import { NoHtml } from '@wangge/operations';
import { PHONE_PATTERN, USERNAME_PATTERN } from '@wangge/people';

const STREET = /^[0-9]{9}$/;
const CELL = /^[0-9]{15}$/;
const MAX_CELLS = 2000;

export class UserQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ example: '410104001', description: 'people of this street (a street admin: their own)' })
  @IsOptional()
  @Matches(STREET, { message: 'street must be a 9-digit street code' })
  street?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ description: 'part of the username, name or phone' })
  @IsOptional()
  @IsString({ message: 'q must be text' })
  @Length(1, 64, { message: 'q must be 1-64 characters' })
  q?: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'zhang.wei', description: '2-64 letters, digits or _ . @ -' })
  @IsString({ message: 'username must be text' })
  @Matches(USERNAME_PATTERN, { message: 'username must be 2-64 letters, digits or _ . @ -' })
  username: string;

  @ApiProperty({ example: '张伟' })
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @NoHtml()
  name: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(PHONE_PATTERN, { message: 'phone must be 3-32 digits, spaces, + - ( )' })
  phone?: string | null;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ example: '410104001', description: 'street-level staff (wardens always): their street; absent for district-wide staff' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(STREET, { message: 'streetCode must be a 9-digit street code' })
  streetCode?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'wardens: the grid cells they patrol (live, in their street)' })
  @IsOptional()
  @IsArray({ message: 'cells must be a list of cell codes' })
  @ArrayMaxSize(MAX_CELLS, { message: `at most ${MAX_CELLS} cells` })
  @Matches(CELL, { each: true, message: 'each cell must be a 15-digit grid cell code' })
  cells?: string[];

  @ApiPropertyOptional({
    description:
      'role chief: the existing road-chief post (road_chief id) this account takes (换人). The post, its scopes and cases pass to the new account; the previous account is deactivated and its sessions end.',
  })
  @IsOptional()
  @IsInt({ message: 'chiefId must be a road chief id' })
  @Min(1, { message: 'chiefId must be a road chief id' })
  chiefId?: number;

  @ApiPropertyOptional({ description: 'role department: the (active) department the account belongs to; refused for every other role' })
  @IsOptional()
  @IsString({ message: 'departmentCode must be text' })
  @MaxLength(64, { message: 'departmentCode must be at most 64 characters' })
  departmentCode?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @NoHtml()
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(PHONE_PATTERN, { message: 'phone must be 3-32 digits, spaces, + - ( )' })
  phone?: string | null;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ nullable: true, description: 'null: district-wide' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(STREET, { message: 'streetCode must be a 9-digit street code' })
  streetCode?: string | null;

  @ApiPropertyOptional({ type: [String], description: "wardens: the whole list of cells they patrol (replaces the old one)" })
  @IsOptional()
  @IsArray({ message: 'cells must be a list of cell codes' })
  @ArrayMaxSize(MAX_CELLS, { message: `at most ${MAX_CELLS} cells` })
  @Matches(CELL, { each: true, message: 'each cell must be a 15-digit grid cell code' })
  cells?: string[];

  @ApiPropertyOptional({ description: 'false: deactivate (every session and feed connection of the account ends at once); true: reactivate' })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ nullable: true, description: 'role department: the (active) department the account belongs to' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'departmentCode must be text' })
  @MaxLength(64, { message: 'departmentCode must be at most 64 characters' })
  departmentCode?: string | null;
}

export class ImportUsersDto {
  @ApiProperty({ description: 'the CSV as UTF-8 text: username,name,phone,role,street,cells[,department] (cells separated by ; or spaces; department: the code of a role-department account)' })
  @IsString({ message: 'content must be the CSV text' })
  @Length(1, 2_000_000, { message: 'content must be the CSV text (at most 2 MB)' })
  content: string;
}

export class CreatedUserDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ description: 'the one-time password, in this answer only; it must be changed at the first login' }) initialPassword: string;
}
