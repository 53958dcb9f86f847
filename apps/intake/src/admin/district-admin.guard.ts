import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { holdsDistrict, type AuthUser } from '@wangge/auth';
import { ApiError } from '@wangge/operations';

const userOf = (context: ExecutionContext) => context.switchToHttp().getRequest<{ user?: AuthUser }>().user;

/**
 * District-wide reference data (the catalogue, the calendar, formulas, API keys) is changed by
 * district admins only: an admin of one street is refused 403. Runs after the global AuthGuard
 * (which has checked the token and `@Roles('admin')`).
 */
@Injectable()
export class DistrictAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = userOf(context);
    if (user?.role === 'admin' && holdsDistrict(user)) return true;
    throw new ApiError(HttpStatus.FORBIDDEN, 'district_admin_only', 'only a district admin may change district-wide reference data / 仅区级管理员可修改全区基础数据');
  }
}

/**
 * District-wide operations (the dispatcher's queues, whose jobs name cases of every street) are for
 * district-level staff: street-level staff are refused 403. The roles come from `@Roles`.
 */
@Injectable()
export class DistrictStaffGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = userOf(context);
    if (user && holdsDistrict(user)) return true;
    throw new ApiError(HttpStatus.FORBIDDEN, 'district_staff_only', 'only district-level staff may see and retry the queues / 仅区级人员可查看和重试任务队列');
  }
}
