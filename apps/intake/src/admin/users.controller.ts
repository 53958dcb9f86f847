import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, UserDirectory, type UserEntry } from '@wangge/auth';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/users')
export class UsersController {
  constructor(@Inject(UserDirectory) private readonly users: UserDirectory) {}

  @Get()
  @ApiOperation({ summary: 'Users with role and jurisdiction (admin)' })
  list(): Promise<UserEntry[]> {
    return this.users.list();
  }
}
