import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser, type PersonRecord, type UserEntry } from '@wangge/auth';
import { ApiError } from '@wangge/operations';
import { PeopleAdminService, PeopleImportService, type CreatedPerson, type ImportedPerson, type PersonView, type StreetChoice } from '@wangge/people';
import { CreatedUserDto, CreateUserDto, ImportUsersDto, UpdateUserDto, UserQueryDto } from './users.dto';

const userId = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => ApiError.badInput([{ field: 'id', problem: 'id must be a user id (UUID)' }]),
});

/**
 * People (domain.md section 7): admins; an admin of a street sees and changes the people of that
 * street only. New accounts and password resets answer a one-time password, once.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/users')
export class UsersController {
  constructor(
    @Inject(PeopleAdminService) private readonly people: PeopleAdminService,
    @Inject(PeopleImportService) private readonly imports: PeopleImportService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Users with role and jurisdiction, filtered by role, street, active and q (admin) / 人员列表' })
  list(@Query() q: UserQueryDto, @CurrentUser() admin: AuthUser): Promise<UserEntry[]> {
    return this.people.list(admin, { role: q.role, streetCode: q.street, active: q.active, q: q.q });
  }

  @Get('export.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="people.csv"')
  @ApiOperation({
    summary: 'The people as the import reads them (username,name,phone,role,street,cells,department; road chiefs left out), filtered like the list / 导出人员',
  })
  exportCsv(@Query() q: UserQueryDto, @CurrentUser() admin: AuthUser): Promise<string> {
    return this.people.exportCsv(admin, { role: q.role, streetCode: q.street, active: q.active, q: q.q });
  }

  @Get('streets')
  @ApiOperation({ summary: 'The streets the caller may give people (a street admin: their own), with bounding boxes / 可选街道' })
  streets(@CurrentUser() admin: AuthUser): Promise<StreetChoice[]> {
    return this.people.streets(admin);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user with their cells (and their bounding box) and road-chief post / 人员详情' })
  get(@Param('id', userId) id: string, @CurrentUser() admin: AuthUser): Promise<PersonView> {
    return this.people.get(admin, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Create an account; answers its one-time password once / 新建人员',
    description:
      'With chiefId (role chief) the account takes an existing road-chief post (换人): road_chief.user_id becomes the new account, which inherits the post, its scopes and its cases; the previous account is deactivated and its sessions and feed connections end. departmentCode: the department of an account of role department (domain.md 9).',
  })
  @ApiCreatedResponse({ type: CreatedUserDto })
  create(@Body() body: CreateUserDto, @CurrentUser() admin: AuthUser): Promise<CreatedPerson> {
    return this.people.create(admin, body);
  }

  @Post('import')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      'Create accounts from a CSV (header: username name phone role street cells [department], comma separated; department: the code of a role-department account); all rows or none (422 lists each bad row) / 批量导入人员',
  })
  @ApiCreatedResponse({ description: '{created: [{id, username, name, role, streetCode, cells, initialPassword}]}: the one-time passwords, once' })
  import(@Body() body: ImportUsersDto, @CurrentUser() admin: AuthUser): Promise<{ created: ImportedPerson[] }> {
    return this.imports.import(admin, body.content);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, phone, role, street, cells or active; deactivation ends every session at once / 修改人员' })
  @ApiOkResponse({ description: 'the user with their cells and road-chief post' })
  update(@Param('id', userId) id: string, @Body() body: UpdateUserDto, @CurrentUser() admin: AuthUser): Promise<PersonRecord> {
    return this.people.update(admin, id, body);
  }

  @Post(':id/reset-password')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A new one-time password (shown once); every session of the account ends / 重置密码' })
  resetPassword(@Param('id', userId) id: string, @CurrentUser() admin: AuthUser): Promise<{ initialPassword: string }> {
    return this.people.resetPassword(admin, id);
  }
}
