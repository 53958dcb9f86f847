import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@wangge/domain';
import { AuthError } from './auth-error';
import { IS_PUBLIC, PASSWORD_CHANGE, ROLES } from './auth.decorators';
import type { AuthUser } from './auth-user';
import { AuthService } from './auth.service';

interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthUser;
}

/**
 * The one guard every HTTP endpoint passes: a bearer token unless the endpoint is @Public(), then
 * the roles named by @Roles(). A public endpoint still learns who is calling when a valid token is sent.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) ?? false;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    const allowPasswordChange = this.reflector.getAllAndOverride<boolean | undefined>(PASSWORD_CHANGE, targets) ?? false;
    const req = context.switchToHttp().getRequest<AuthRequest>();
    const token = bearerToken(req.headers.authorization);

    if (!token) {
      if (isPublic) return true;
      throw new AuthError('unauthenticated', 'log in first: send Authorization: Bearer <token> / 请先登录');
    }
    req.user = await this.auth.authenticate(token, { allowPasswordChange, recent: true });
    if (roles && roles.length > 0 && !roles.includes(req.user.role)) {
      throw new AuthError(
        'forbidden',
        `role ${req.user.role} may not do this; allowed: ${roles.join(', ')} / 当前角色无此权限`,
      );
    }
    return true;
  }
}

function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match ? match[1] : null;
}
