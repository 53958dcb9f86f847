import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthService, CurrentUser, LoginBackoff, PasswordChange, PasswordChangeService, Public, type AuthUser } from '@wangge/auth';
import { RateLimit } from '../throttling/rate-limit.decorator';
import { ChangePasswordDto, LoginDto, LoginResponseDto } from './login.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(PasswordChangeService) private readonly passwords: PasswordChangeService,
    @Inject(LoginBackoff) private readonly backoff: LoginBackoff,
  ) {}

  /**
   * Exchanges a username and password for an access token. Against guessing: a limit per client
   * address, and a backoff per account after wrong passwords (429 `login_locked`, from any address).
   */
  @Post('login')
  @Public()
  @HttpCode(200)
  @RateLimit('login')
  @ApiOkResponse({ type: LoginResponseDto })
  login(@Body() body: LoginDto) {
    return this.backoff.attempt(body.username, () => this.auth.login(body.username, body.password));
  }

  /**
   * Changes the caller's own password. The one endpoint the token of a one-time password may call;
   * afterwards the same token works everywhere. Throttled like the login (it checks a password).
   */
  @Post('password')
  @PasswordChange()
  @HttpCode(HttpStatus.NO_CONTENT)
  @RateLimit('login')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set a new password (at least 10 characters, not the username, not a common password) / 修改密码' })
  @ApiNoContentResponse({ description: 'changed; 400 naming current (wrong) or next (with the reason)' })
  changePassword(@Body() body: ChangePasswordDto, @CurrentUser() user: AuthUser): Promise<void> {
    return this.passwords.change(user, body.current, body.next);
  }

  /** Who the token belongs to. */
  @Get('me')
  @ApiBearerAuth()
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}
