import { Body, Controller, Get, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { CatalogueEditor, type CategoryRecord } from '@wangge/catalogue';
import { ApiError } from '@wangge/operations';
import { CreateCategoryDto, StandardDto, UpdateCategoryDto } from './catalogue-admin.dto';
import { DistrictAdminGuard } from './district-admin.guard';

const CODE = /^[CE]\d{4}$/;

function categoryCode(code: string): string {
  if (!CODE.test(code)) throw ApiError.badInput([{ field: 'code', problem: 'code must be C or E and 4 digits, e.g. E0102' }]);
  return code;
}

/** The category catalogue and its standards, for district admins (domain.md section 7). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@UseGuards(DistrictAdminGuard)
@Controller('api/v1/admin/categories')
export class CatalogueAdminController {
  constructor(@Inject(CatalogueEditor) private readonly editor: CatalogueEditor) {}

  @Get()
  @ApiOperation({ summary: 'Every category, active or not, with all its standard versions / 类别与标准' })
  list(): Promise<CategoryRecord[]> {
    return this.editor.list();
  }

  @Post()
  @ApiOperation({ summary: 'Add a category, with its first standard or without / 新增类别' })
  @ApiCreatedResponse({ description: 'the category with its standards' })
  create(@Body() body: CreateCategoryDto, @CurrentUser() user: AuthUser): Promise<CategoryRecord> {
    return this.editor.create(body, user);
  }

  @Patch(':code')
  @ApiOperation({ summary: 'Rename, switch auto-registration, deactivate or reactivate a category / 修改类别' })
  update(@Param('code') code: string, @Body() body: UpdateCategoryDto, @CurrentUser() user: AuthUser): Promise<CategoryRecord> {
    return this.editor.update(categoryCode(code), body, user);
  }

  @Post(':code/standards')
  @ApiOperation({ summary: 'Add a new version of the standard (versions are never edited; cases keep theirs) / 新增标准版本' })
  @ApiCreatedResponse({ description: 'the category with its standards' })
  addStandard(@Param('code') code: string, @Body() body: StandardDto, @CurrentUser() user: AuthUser): Promise<CategoryRecord> {
    return this.editor.addStandard(categoryCode(code), body, user);
  }
}
