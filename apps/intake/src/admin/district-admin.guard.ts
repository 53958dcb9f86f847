import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { AuthUser } from '@wangge/auth';
import { ApiError } from '@wangge/operations';

/**
 * District-wide reference data (the catalogue, the calendar, formulas, API keys) is changed by
 * district admins only: an admin of one street is refused 403. Runs after the global AuthGuard
 * (which has checked the token and `@Roles('admin')`).
 */
@Injectable()
export class DistrictAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user?.role === 'admin' && user.streetCode === null) return true;
    throw new ApiError(HttpStatus.FORBIDDEN, 'district_admin_only', 'only a district admin may change district-wide reference data / 仅区级管理员可修改全区基础数据');
  }
}
