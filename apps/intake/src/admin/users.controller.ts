import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Roles } from '@wangge/auth';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/users')
export class UsersController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Users with role and jurisdiction (admin)' })
  list() {
    return this.db.query(
      `SELECT u.id, u.username, u.name, u.role, u.active, (u.password_hash IS NOT NULL) AS "canLogIn",
              json_build_object(
                'street', u.street_code,
                'chief', CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('id', c.id, 'level', c.level) END,
                'cells', (SELECT count(*)::int FROM warden_cell w WHERE w.user_id = u.id)) AS jurisdiction
         FROM app_user u LEFT JOIN road_chief c ON c.user_id = u.id
        ORDER BY u.role, u.username`,
    );
  }
}
