import { Body, Controller, Get, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import type { DepartmentView } from '@wangge/chiefs';
import { ApiError } from '@wangge/operations';
import { DepartmentAdminService } from '@wangge/people';
import { CreateDepartmentDto, UpdateDepartmentDto } from './departments.dto';
import { DistrictAdminGuard } from './district-admin.guard';

function departmentCode(code: string): string {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(code)) throw ApiError.badInput([{ field: 'code', problem: 'code must be 1-32 letters, digits, _ or -' }]);
  return code;
}

/** Departments that handle the cases of their trade (domain.md 9), for district admins. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@UseGuards(DistrictAdminGuard)
@Controller('api/v1/admin/departments')
export class DepartmentsController {
  constructor(@Inject(DepartmentAdminService) private readonly departments: DepartmentAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Every department with its categories, streets, leader and members / 部门' })
  list(): Promise<DepartmentView[]> {
    return this.departments.list();
  }

  @Get(':code')
  @ApiOperation({ summary: 'One department / 部门' })
  get(@Param('code') code: string): Promise<DepartmentView> {
    return this.departments.get(departmentCode(code));
  }

  @Post()
  @ApiOperation({ summary: 'Add a department: the categories it handles, the streets it serves (none: the whole district) / 新增部门' })
  @ApiCreatedResponse({ description: 'the department' })
  create(@Body() body: CreateDepartmentDto, @CurrentUser() admin: AuthUser): Promise<DepartmentView> {
    return this.departments.create(admin, body);
  }

  @Patch(':code')
  @ApiOperation({ summary: 'Rename, change categories or streets, name the leader (a member), deactivate / 修改部门' })
  update(@Param('code') code: string, @Body() body: UpdateDepartmentDto, @CurrentUser() admin: AuthUser): Promise<DepartmentView> {
    return this.departments.update(admin, departmentCode(code), body);
  }
}
