import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@wangge/domain';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'wangge:public';
export const ROLES = 'wangge:roles';
export const PASSWORD_CHANGE = 'wangge:password-change';

/** The endpoint needs no token (anonymous citizens, login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The endpoint changes the caller's password: the token of a one-time password may call it (no other may). */
export const PasswordChange = () => SetMetadata(PASSWORD_CHANGE, true);

/** Only these roles may call the endpoint (checked on the server after the token). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** The authenticated caller, as the guard resolved it. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  const req = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
  return req.user;
});
