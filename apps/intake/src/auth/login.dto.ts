import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'operator' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'demo1234' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class LoginUserDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['citizen', 'warden', 'chief', 'operator', 'leader', 'admin'] }) role: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Bearer token for the Authorization header' }) accessToken: string;
  @ApiProperty({
    description: 'true after a one-time password: the token may only call POST /api/v1/auth/password until the password is changed (every other call answers 403 password_change_required)',
  })
  passwordChangeRequired: boolean;
  @ApiProperty({ type: LoginUserDto }) user: LoginUserDto;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'the current password (the one-time password after a reset) / 当前密码' })
  @IsString({ message: 'current must be the current password' })
  @MinLength(1, { message: 'current must be the current password' })
  @MaxLength(256, { message: 'current must be at most 256 characters' })
  current: string;

  @ApiProperty({ description: 'the new password: at least 10 characters, not the username, not a common password / 新密码' })
  @IsString({ message: 'next must be the new password' })
  @MaxLength(256, { message: 'next must be at most 256 characters' })
  next: string;
}
